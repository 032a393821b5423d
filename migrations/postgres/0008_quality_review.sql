CREATE TYPE "public"."calibration_status" AS ENUM('open', 'closed');--> statement-breakpoint
CREATE TYPE "public"."dispute_status" AS ENUM('open', 'upheld', 'changed');--> statement-breakpoint
CREATE TABLE "calibration_answers" (
	"tenant_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"interaction_id" text NOT NULL,
	"question_id" text NOT NULL,
	"answer" text NOT NULL,
	CONSTRAINT "calibration_answers_tenant_id_session_id_user_id_interaction_id_question_id_pk" PRIMARY KEY("tenant_id","session_id","user_id","interaction_id","question_id")
);
--> statement-breakpoint
ALTER TABLE "calibration_answers" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "calibration_items" (
	"tenant_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"interaction_id" text NOT NULL,
	"position" smallint NOT NULL,
	"agent_key" text NOT NULL,
	"channel" text NOT NULL,
	"interaction_ended_at" timestamp with time zone NOT NULL,
	CONSTRAINT "calibration_items_tenant_id_session_id_interaction_id_pk" PRIMARY KEY("tenant_id","session_id","interaction_id")
);
--> statement-breakpoint
ALTER TABLE "calibration_items" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "calibration_participants" (
	"tenant_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"submitted_at" timestamp with time zone,
	CONSTRAINT "calibration_participants_tenant_id_session_id_user_id_pk" PRIMARY KEY("tenant_id","session_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "calibration_participants" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "calibration_sessions" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"form_id" uuid NOT NULL,
	"lead_id" text,
	"status" "calibration_status" DEFAULT 'open' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "calibration_sessions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "calibration_sessions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "evaluation_disputes" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"evaluation_id" uuid NOT NULL,
	"question_id" text NOT NULL,
	"comment" text NOT NULL,
	"status" "dispute_status" DEFAULT 'open' NOT NULL,
	"answer_before" text NOT NULL,
	"answer_after" text,
	"decision_note" text,
	"raised_by" text,
	"decided_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	"reminded_at" timestamp with time zone,
	"escalated_at" timestamp with time zone,
	CONSTRAINT "evaluation_disputes_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "evaluation_disputes" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "evaluation_plans" ADD COLUMN "team_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
ALTER TABLE "evaluations" ADD COLUMN "acknowledged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "quality_lead" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "calibration_answers" ADD CONSTRAINT "calibration_answers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calibration_answers" ADD CONSTRAINT "calibration_answers_participant_fk" FOREIGN KEY ("tenant_id","session_id","user_id") REFERENCES "public"."calibration_participants"("tenant_id","session_id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calibration_items" ADD CONSTRAINT "calibration_items_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calibration_items" ADD CONSTRAINT "calibration_items_session_fk" FOREIGN KEY ("tenant_id","session_id") REFERENCES "public"."calibration_sessions"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calibration_participants" ADD CONSTRAINT "calibration_participants_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calibration_participants" ADD CONSTRAINT "calibration_participants_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calibration_participants" ADD CONSTRAINT "calibration_participants_session_fk" FOREIGN KEY ("tenant_id","session_id") REFERENCES "public"."calibration_sessions"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calibration_sessions" ADD CONSTRAINT "calibration_sessions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calibration_sessions" ADD CONSTRAINT "calibration_sessions_lead_id_users_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calibration_sessions" ADD CONSTRAINT "calibration_sessions_form_fk" FOREIGN KEY ("tenant_id","form_id") REFERENCES "public"."quality_forms"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_disputes" ADD CONSTRAINT "evaluation_disputes_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_disputes" ADD CONSTRAINT "evaluation_disputes_raised_by_users_id_fk" FOREIGN KEY ("raised_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_disputes" ADD CONSTRAINT "evaluation_disputes_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_disputes" ADD CONSTRAINT "evaluation_disputes_evaluation_fk" FOREIGN KEY ("tenant_id","evaluation_id") REFERENCES "public"."evaluations"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "evaluation_disputes_one_open" ON "evaluation_disputes" USING btree ("tenant_id","evaluation_id","question_id") WHERE "evaluation_disputes"."status" = 'open';--> statement-breakpoint
CREATE INDEX "evaluation_disputes_status" ON "evaluation_disputes" USING btree ("tenant_id","status","created_at");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "calibration_answers" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("calibration_answers"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("calibration_answers"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "calibration_items" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("calibration_items"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("calibration_items"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "calibration_participants" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("calibration_participants"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("calibration_participants"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "calibration_sessions" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("calibration_sessions"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("calibration_sessions"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "evaluation_disputes" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("evaluation_disputes"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("evaluation_disputes"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
-- A form version a calibration session scores with is frozen too, as one an evaluation used; deleting a tenant
-- takes its forms with everything else.
CREATE OR REPLACE FUNCTION quality_forms_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM tenants t WHERE t.id = OLD.tenant_id) THEN
    RETURN OLD;
  END IF;
  IF EXISTS (SELECT 1 FROM evaluations e WHERE e.tenant_id = OLD.tenant_id AND e.form_id = OLD.id)
     OR EXISTS (SELECT 1 FROM calibration_sessions c WHERE c.tenant_id = OLD.tenant_id AND c.form_id = OLD.id) THEN
    RAISE EXCEPTION 'form % version % is used by evaluations: save a new version instead', OLD.key, OLD.version USING ERRCODE = 'check_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON evaluation_disputes, calibration_sessions, calibration_items, calibration_participants, calibration_answers TO switchboard_app;
