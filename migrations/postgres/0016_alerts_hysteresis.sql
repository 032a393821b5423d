CREATE TABLE "alert_incidents" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"rule_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"severity" "alert_severity" NOT NULL,
	"fired_at" timestamp with time zone NOT NULL,
	"values" jsonb NOT NULL,
	"cleared_at" timestamp with time zone,
	"acknowledged_by" text,
	"acknowledged_at" timestamp with time zone,
	"resolved_by" text,
	"resolved_at" timestamp with time zone,
	"note" text,
	CONSTRAINT "alert_incidents_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "alert_incidents" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "alert_states" (
	"tenant_id" uuid NOT NULL,
	"rule_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"breaching_since" timestamp with time zone,
	"recovering_since" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alert_states_tenant_id_rule_id_subject_pk" PRIMARY KEY("tenant_id","rule_id","subject")
);
--> statement-breakpoint
ALTER TABLE "alert_states" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "alert_rules" ADD COLUMN "name" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "alert_rules" ADD COLUMN "team_id" uuid;--> statement-breakpoint
ALTER TABLE "alert_rules" ADD COLUMN "match" text DEFAULT 'all' NOT NULL;--> statement-breakpoint
ALTER TABLE "alert_rules" ADD COLUMN "conditions" jsonb;--> statement-breakpoint
ALTER TABLE "alert_rules" ADD COLUMN "fire_after_s" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "alert_rules" ADD COLUMN "clear_after_s" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "alert_rules" ADD COLUMN "enabled" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "alert_incidents" ADD CONSTRAINT "alert_incidents_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_incidents" ADD CONSTRAINT "alert_incidents_acknowledged_by_users_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_incidents" ADD CONSTRAINT "alert_incidents_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_incidents" ADD CONSTRAINT "alert_incidents_rule_fk" FOREIGN KEY ("tenant_id","rule_id") REFERENCES "public"."alert_rules"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_states" ADD CONSTRAINT "alert_states_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_states" ADD CONSTRAINT "alert_states_rule_fk" FOREIGN KEY ("tenant_id","rule_id") REFERENCES "public"."alert_rules"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_incidents_fired_idx" ON "alert_incidents" USING btree ("tenant_id","fired_at");--> statement-breakpoint
CREATE UNIQUE INDEX "alert_incidents_open_idx" ON "alert_incidents" USING btree ("tenant_id","rule_id","subject") WHERE "alert_incidents"."cleared_at" is null;--> statement-breakpoint
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_team_fk" FOREIGN KEY ("tenant_id","team_id") REFERENCES "public"."teams"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- A rule of one threshold becomes one condition, clearing where it fires (no hysteresis, as before).
UPDATE "alert_rules" SET "conditions" = jsonb_build_array(jsonb_build_object('metric', "metric"::text, 'comparator', "comparator"::text, 'threshold', "threshold", 'clearThreshold', "threshold")), "name" = "metric"::text;--> statement-breakpoint
ALTER TABLE "alert_rules" ALTER COLUMN "conditions" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "alert_rules" DROP COLUMN "metric";--> statement-breakpoint
ALTER TABLE "alert_rules" DROP COLUMN "comparator";--> statement-breakpoint
ALTER TABLE "alert_rules" DROP COLUMN "threshold";--> statement-breakpoint
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_match_check" CHECK ("alert_rules"."match" in ('all', 'any'));--> statement-breakpoint
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_durations_check" CHECK ("alert_rules"."fire_after_s" >= 0 and "alert_rules"."clear_after_s" >= 0);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "alert_incidents" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("alert_incidents"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("alert_incidents"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "alert_states" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("alert_states"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("alert_states"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
DROP TYPE "public"."alert_comparator";--> statement-breakpoint
DROP TYPE "public"."alert_metric";--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON alert_states, alert_incidents TO switchboard_app;
