CREATE TABLE "intraday_offer_acceptances" (
	"tenant_id" uuid NOT NULL,
	"proposal_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"accepted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"schedule_id" uuid,
	CONSTRAINT "intraday_offer_acceptances_tenant_id_proposal_id_agent_id_pk" PRIMARY KEY("tenant_id","proposal_id","agent_id")
);
--> statement-breakpoint
ALTER TABLE "intraday_offer_acceptances" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "intraday_proposals" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"group_id" uuid NOT NULL,
	"date" date NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'proposed' NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"agents" smallint NOT NULL,
	"gain" double precision NOT NULL,
	"detail" jsonb NOT NULL,
	"run_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"schedule_id" uuid,
	CONSTRAINT "intraday_proposals_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "intraday_proposals_kind_check" CHECK ("intraday_proposals"."kind" in ('break_moves', 'vto', 'overtime')),
	CONSTRAINT "intraday_proposals_status_check" CHECK ("intraday_proposals"."status" in ('proposed', 'open', 'filled', 'applied', 'rejected', 'superseded', 'expired')),
	CONSTRAINT "intraday_proposals_range_check" CHECK ("intraday_proposals"."ends_at" > "intraday_proposals"."starts_at"),
	CONSTRAINT "intraday_proposals_agents_check" CHECK ("intraday_proposals"."agents" > 0)
);
--> statement-breakpoint
ALTER TABLE "intraday_proposals" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "intraday_settings" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"gap_threshold" double precision DEFAULT 2 NOT NULL,
	"lead_minutes" smallint DEFAULT 30 NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "intraday_settings_threshold_check" CHECK ("intraday_settings"."gap_threshold" > 0),
	CONSTRAINT "intraday_settings_lead_check" CHECK ("intraday_settings"."lead_minutes" between 0 and 240)
);
--> statement-breakpoint
ALTER TABLE "intraday_settings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "intraday_offer_acceptances" ADD CONSTRAINT "intraday_offer_acceptances_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intraday_offer_acceptances" ADD CONSTRAINT "intraday_offer_acceptances_proposal_fk" FOREIGN KEY ("tenant_id","proposal_id") REFERENCES "public"."intraday_proposals"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intraday_offer_acceptances" ADD CONSTRAINT "intraday_offer_acceptances_agent_fk" FOREIGN KEY ("tenant_id","agent_id") REFERENCES "public"."agents"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intraday_proposals" ADD CONSTRAINT "intraday_proposals_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intraday_proposals" ADD CONSTRAINT "intraday_proposals_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intraday_proposals" ADD CONSTRAINT "intraday_proposals_group_fk" FOREIGN KEY ("tenant_id","group_id") REFERENCES "public"."planning_groups"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intraday_settings" ADD CONSTRAINT "intraday_settings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intraday_settings" ADD CONSTRAINT "intraday_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "intraday_proposals_day_idx" ON "intraday_proposals" USING btree ("tenant_id","date","group_id");--> statement-breakpoint
CREATE UNIQUE INDEX "intraday_proposals_run_idx" ON "intraday_proposals" USING btree ("tenant_id","run_id","group_id","kind","starts_at");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "intraday_offer_acceptances" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("intraday_offer_acceptances"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("intraday_offer_acceptances"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "intraday_proposals" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("intraday_proposals"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("intraday_proposals"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "intraday_settings" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("intraday_settings"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("intraday_settings"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON intraday_settings, intraday_proposals, intraday_offer_acceptances TO switchboard_app;
