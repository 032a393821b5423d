CREATE TABLE "coaching_assignments" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"agent_id" uuid NOT NULL,
	"rule_id" uuid,
	"rule_name" text NOT NULL,
	"target_key" text NOT NULL,
	"target" jsonb NOT NULL,
	"evidence" jsonb NOT NULL,
	"tip" jsonb NOT NULL,
	"session_minutes" smallint,
	"measure_weeks" smallint NOT NULL,
	"status" text DEFAULT 'delivered' NOT NULL,
	"coach_user_id" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"delivered_at" timestamp with time zone,
	"acknowledged_at" timestamp with time zone,
	"reminded_at" timestamp with time zone,
	"escalated_at" timestamp with time zone,
	"session_starts_at" timestamp with time zone,
	"session_ends_at" timestamp with time zone,
	"session_schedule_id" uuid,
	"proposed_slots" jsonb,
	"measure_from" timestamp with time zone,
	"measure_until" timestamp with time zone,
	"outcome" jsonb,
	"closed_at" timestamp with time zone,
	CONSTRAINT "coaching_assignments_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "coaching_assignments_status_check" CHECK ("coaching_assignments"."status" in ('delivered', 'acknowledged', 'overdue', 'slots_proposed', 'session_booked', 'measuring', 'closed', 'cancelled')),
	CONSTRAINT "coaching_assignments_session_check" CHECK ("coaching_assignments"."session_minutes" is null or "coaching_assignments"."session_minutes" > 0)
);
--> statement-breakpoint
ALTER TABLE "coaching_assignments" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "coaching_events" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"assignment_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"actor_user_id" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "coaching_events_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "coaching_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "coaching_rules" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"definition" jsonb NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coaching_rules_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "coaching_rules" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "coaching_assignments" ADD CONSTRAINT "coaching_assignments_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching_assignments" ADD CONSTRAINT "coaching_assignments_coach_user_id_users_id_fk" FOREIGN KEY ("coach_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching_assignments" ADD CONSTRAINT "coaching_assignments_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching_assignments" ADD CONSTRAINT "coaching_assignments_agent_fk" FOREIGN KEY ("tenant_id","agent_id") REFERENCES "public"."agents"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching_events" ADD CONSTRAINT "coaching_events_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching_events" ADD CONSTRAINT "coaching_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching_events" ADD CONSTRAINT "coaching_events_assignment_fk" FOREIGN KEY ("tenant_id","assignment_id") REFERENCES "public"."coaching_assignments"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching_rules" ADD CONSTRAINT "coaching_rules_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching_rules" ADD CONSTRAINT "coaching_rules_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "coaching_assignments_status_idx" ON "coaching_assignments" USING btree ("tenant_id","status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "coaching_assignments_open_idx" ON "coaching_assignments" USING btree ("tenant_id","agent_id","target_key") WHERE "coaching_assignments"."status" not in ('closed', 'cancelled');--> statement-breakpoint
CREATE INDEX "coaching_events_assignment_idx" ON "coaching_events" USING btree ("tenant_id","assignment_id","at");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "coaching_assignments" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("coaching_assignments"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("coaching_assignments"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "coaching_events" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("coaching_events"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("coaching_events"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "coaching_rules" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("coaching_rules"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("coaching_rules"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON coaching_rules, coaching_assignments, coaching_events TO switchboard_app;
