CREATE TYPE "public"."activity_kind" AS ENUM('work', 'break', 'lunch', 'meeting', 'coaching', 'training', 'time_off');--> statement-breakpoint
CREATE TYPE "public"."schedule_status" AS ENUM('draft', 'published', 'superseded', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."swap_status" AS ENUM('requested', 'accepted', 'approved', 'refused', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."time_off_status" AS ENUM('pending', 'approved', 'refused', 'cancelled');--> statement-breakpoint
CREATE TABLE "agent_work_rules" (
	"tenant_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"contract_id" uuid NOT NULL,
	"timezone" text,
	"availability" jsonb,
	"preferred_start_from" smallint,
	"preferred_start_to" smallint,
	"preferred_days_off" smallint[] DEFAULT '{}' NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agent_work_rules_tenant_id_agent_id_pk" PRIMARY KEY("tenant_id","agent_id"),
	CONSTRAINT "agent_work_rules_preferred_start_check" CHECK (("agent_work_rules"."preferred_start_from" is null) = ("agent_work_rules"."preferred_start_to" is null) and coalesce("agent_work_rules"."preferred_start_from" <= "agent_work_rules"."preferred_start_to", true))
);
--> statement-breakpoint
ALTER TABLE "agent_work_rules" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "planning_group_queues" (
	"tenant_id" uuid NOT NULL,
	"queue_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	CONSTRAINT "planning_group_queues_tenant_id_queue_id_pk" PRIMARY KEY("tenant_id","queue_id")
);
--> statement-breakpoint
ALTER TABLE "planning_group_queues" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "planning_groups" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "planning_groups_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "planning_groups_tenant_key" UNIQUE("tenant_id","key")
);
--> statement-breakpoint
ALTER TABLE "planning_groups" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "schedule_acknowledgements" (
	"tenant_id" uuid NOT NULL,
	"schedule_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "schedule_acknowledgements_tenant_id_schedule_id_agent_id_pk" PRIMARY KEY("tenant_id","schedule_id","agent_id")
);
--> statement-breakpoint
ALTER TABLE "schedule_acknowledgements" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "schedule_activities" (
	"tenant_id" uuid NOT NULL,
	"schedule_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"agent_id" uuid NOT NULL,
	"kind" "activity_kind" NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"shift_date" date NOT NULL,
	"template_id" uuid,
	CONSTRAINT "schedule_activities_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "schedule_activities_range_check" CHECK ("schedule_activities"."starts_at" < "schedule_activities"."ends_at")
);
--> statement-breakpoint
ALTER TABLE "schedule_activities" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "schedule_settings" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"auto_approve_swaps" boolean DEFAULT false NOT NULL,
	"acknowledge_days" smallint DEFAULT 2 NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "schedule_settings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "schedules" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"group_id" uuid NOT NULL,
	"week_start" date NOT NULL,
	"timezone" text NOT NULL,
	"status" "schedule_status" DEFAULT 'draft' NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"summary" jsonb NOT NULL,
	"staffing_version_id" uuid,
	"workflow_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	"decided_by" text,
	"rejected_reason" text,
	"acknowledge_by" timestamp with time zone,
	CONSTRAINT "schedules_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "schedules" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "shift_swaps" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"week_start" date NOT NULL,
	"requester_id" uuid NOT NULL,
	"requester_date" date NOT NULL,
	"colleague_id" uuid NOT NULL,
	"colleague_date" date NOT NULL,
	"status" "swap_status" DEFAULT 'requested' NOT NULL,
	"refusal" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" text,
	CONSTRAINT "shift_swaps_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "shift_swaps_two_agents_check" CHECK ("shift_swaps"."requester_id" <> "shift_swaps"."colleague_id")
);
--> statement-breakpoint
ALTER TABLE "shift_swaps" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "shift_templates" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"length_min" smallint NOT NULL,
	"start_step_min" smallint NOT NULL,
	"earliest_start_min" smallint NOT NULL,
	"latest_start_min" smallint NOT NULL,
	"weekdays" smallint[] NOT NULL,
	"cost" double precision,
	"breaks" jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shift_templates_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "shift_templates_tenant_name" UNIQUE("tenant_id","name"),
	CONSTRAINT "shift_templates_length_check" CHECK ("shift_templates"."length_min" between 15 and 1440 and "shift_templates"."length_min" % 15 = 0),
	CONSTRAINT "shift_templates_step_check" CHECK ("shift_templates"."start_step_min" > 0 and "shift_templates"."start_step_min" % 15 = 0),
	CONSTRAINT "shift_templates_window_check" CHECK ("shift_templates"."earliest_start_min" >= 0 and "shift_templates"."earliest_start_min" <= "shift_templates"."latest_start_min" and "shift_templates"."latest_start_min" < 1440 and "shift_templates"."earliest_start_min" % 15 = 0)
);
--> statement-breakpoint
ALTER TABLE "shift_templates" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "time_off_allowances" (
	"tenant_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"year" smallint NOT NULL,
	"hours" double precision NOT NULL,
	CONSTRAINT "time_off_allowances_tenant_id_agent_id_year_pk" PRIMARY KEY("tenant_id","agent_id","year"),
	CONSTRAINT "time_off_allowances_hours_check" CHECK ("time_off_allowances"."hours" >= 0)
);
--> statement-breakpoint
ALTER TABLE "time_off_allowances" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "time_off_requests" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"agent_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"paid_hours" double precision NOT NULL,
	"status" time_off_status DEFAULT 'pending' NOT NULL,
	"decision_note" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "time_off_requests_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "time_off_requests_range_check" CHECK ("time_off_requests"."starts_at" < "time_off_requests"."ends_at"),
	CONSTRAINT "time_off_requests_hours_check" CHECK ("time_off_requests"."paid_hours" >= 0)
);
--> statement-breakpoint
ALTER TABLE "time_off_requests" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "work_contracts" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"min_hours" double precision NOT NULL,
	"max_hours" double precision NOT NULL,
	"min_rest_min" smallint NOT NULL,
	"max_consecutive_days" smallint NOT NULL,
	"days_off_per_week" smallint NOT NULL,
	"fixed_days_off" smallint[] DEFAULT '{}' NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "work_contracts_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "work_contracts_tenant_name" UNIQUE("tenant_id","name"),
	CONSTRAINT "work_contracts_hours_check" CHECK ("work_contracts"."min_hours" >= 0 and "work_contracts"."min_hours" <= "work_contracts"."max_hours" and "work_contracts"."max_hours" <= 168),
	CONSTRAINT "work_contracts_rest_check" CHECK ("work_contracts"."min_rest_min" between 0 and 1440),
	CONSTRAINT "work_contracts_days_check" CHECK ("work_contracts"."max_consecutive_days" between 1 and 14 and "work_contracts"."days_off_per_week" between 0 and 7)
);
--> statement-breakpoint
ALTER TABLE "work_contracts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "agent_work_rules" ADD CONSTRAINT "agent_work_rules_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_work_rules" ADD CONSTRAINT "agent_work_rules_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_work_rules" ADD CONSTRAINT "agent_work_rules_agent_fk" FOREIGN KEY ("tenant_id","agent_id") REFERENCES "public"."agents"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_work_rules" ADD CONSTRAINT "agent_work_rules_contract_fk" FOREIGN KEY ("tenant_id","contract_id") REFERENCES "public"."work_contracts"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "planning_group_queues" ADD CONSTRAINT "planning_group_queues_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "planning_group_queues" ADD CONSTRAINT "planning_group_queues_queue_fk" FOREIGN KEY ("tenant_id","queue_id") REFERENCES "public"."queues"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "planning_group_queues" ADD CONSTRAINT "planning_group_queues_group_fk" FOREIGN KEY ("tenant_id","group_id") REFERENCES "public"."planning_groups"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "planning_groups" ADD CONSTRAINT "planning_groups_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "planning_groups" ADD CONSTRAINT "planning_groups_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_acknowledgements" ADD CONSTRAINT "schedule_acknowledgements_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_acknowledgements" ADD CONSTRAINT "schedule_acknowledgements_schedule_fk" FOREIGN KEY ("tenant_id","schedule_id") REFERENCES "public"."schedules"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_acknowledgements" ADD CONSTRAINT "schedule_acknowledgements_agent_fk" FOREIGN KEY ("tenant_id","agent_id") REFERENCES "public"."agents"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_activities" ADD CONSTRAINT "schedule_activities_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_activities" ADD CONSTRAINT "schedule_activities_schedule_fk" FOREIGN KEY ("tenant_id","schedule_id") REFERENCES "public"."schedules"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_activities" ADD CONSTRAINT "schedule_activities_agent_fk" FOREIGN KEY ("tenant_id","agent_id") REFERENCES "public"."agents"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_settings" ADD CONSTRAINT "schedule_settings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_settings" ADD CONSTRAINT "schedule_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_group_fk" FOREIGN KEY ("tenant_id","group_id") REFERENCES "public"."planning_groups"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shift_swaps" ADD CONSTRAINT "shift_swaps_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shift_swaps" ADD CONSTRAINT "shift_swaps_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shift_swaps" ADD CONSTRAINT "shift_swaps_requester_fk" FOREIGN KEY ("tenant_id","requester_id") REFERENCES "public"."agents"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shift_swaps" ADD CONSTRAINT "shift_swaps_colleague_fk" FOREIGN KEY ("tenant_id","colleague_id") REFERENCES "public"."agents"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shift_templates" ADD CONSTRAINT "shift_templates_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shift_templates" ADD CONSTRAINT "shift_templates_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "time_off_allowances" ADD CONSTRAINT "time_off_allowances_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "time_off_allowances" ADD CONSTRAINT "time_off_allowances_agent_fk" FOREIGN KEY ("tenant_id","agent_id") REFERENCES "public"."agents"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "time_off_requests" ADD CONSTRAINT "time_off_requests_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "time_off_requests" ADD CONSTRAINT "time_off_requests_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "time_off_requests" ADD CONSTRAINT "time_off_requests_agent_fk" FOREIGN KEY ("tenant_id","agent_id") REFERENCES "public"."agents"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_contracts" ADD CONSTRAINT "work_contracts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_contracts" ADD CONSTRAINT "work_contracts_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "schedule_activities_agent_time" ON "schedule_activities" USING btree ("tenant_id","agent_id","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "schedules_one_published" ON "schedules" USING btree ("tenant_id","group_id","week_start") WHERE "schedules"."status" = 'published';--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "agent_work_rules" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("agent_work_rules"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("agent_work_rules"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "planning_group_queues" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("planning_group_queues"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("planning_group_queues"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "planning_groups" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("planning_groups"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("planning_groups"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "schedule_acknowledgements" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("schedule_acknowledgements"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("schedule_acknowledgements"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "schedule_activities" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("schedule_activities"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("schedule_activities"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "schedule_settings" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("schedule_settings"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("schedule_settings"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "schedules" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("schedules"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("schedules"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "shift_swaps" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("shift_swaps"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("shift_swaps"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "shift_templates" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("shift_templates"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("shift_templates"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "time_off_allowances" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("time_off_allowances"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("time_off_allowances"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "time_off_requests" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("time_off_requests"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("time_off_requests"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "work_contracts" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("work_contracts"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("work_contracts"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint-- Planners edit these and the schedule workflow writes drafts, all as switchboard_app under row security.
GRANT SELECT, INSERT, UPDATE, DELETE ON planning_groups, planning_group_queues, shift_templates, work_contracts, agent_work_rules, time_off_requests, time_off_allowances, schedules, schedule_activities, schedule_acknowledgements, shift_swaps, schedule_settings TO switchboard_app;--> statement-breakpoint
-- A published schedule is an immutable version: its activities can be neither added, changed nor removed, except
-- by a cascade from deleting the schedule, its agent or its tenant (an erasure, a tenant leaving): a cascade's
-- delete runs inside the foreign key's trigger, one level deeper than a statement's.
CREATE FUNCTION schedule_activities_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  row_ schedule_activities%ROWTYPE;
  state schedule_status;
BEGIN
  IF TG_OP = 'DELETE' THEN row_ := OLD; ELSE row_ := NEW; END IF;
  SELECT status INTO state FROM schedules WHERE tenant_id = row_.tenant_id AND id = row_.schedule_id;
  IF state IS NOT NULL AND state <> 'draft' AND (TG_OP <> 'DELETE' OR pg_trigger_depth() = 1) THEN
    RAISE EXCEPTION 'schedule % is %: its activities cannot change', row_.schedule_id, state USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER schedule_activities_frozen BEFORE INSERT OR UPDATE OR DELETE ON schedule_activities FOR EACH ROW EXECUTE FUNCTION schedule_activities_frozen();
