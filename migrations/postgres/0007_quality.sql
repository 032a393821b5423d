CREATE TYPE "public"."evaluation_status" AS ENUM('in_review', 'scored', 'finalized', 'released', 'disputed');--> statement-breakpoint
CREATE TABLE "evaluation_answers" (
	"tenant_id" uuid NOT NULL,
	"evaluation_id" uuid NOT NULL,
	"question_id" text NOT NULL,
	"machine_answer" text,
	"confidence" double precision,
	"evidence" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"needs_review" boolean DEFAULT false NOT NULL,
	"final_answer" text,
	"override_reason" text,
	"answered_by" text,
	"answered_at" timestamp with time zone,
	CONSTRAINT "evaluation_answers_tenant_id_evaluation_id_question_id_pk" PRIMARY KEY("tenant_id","evaluation_id","question_id")
);
--> statement-breakpoint
ALTER TABLE "evaluation_answers" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "evaluation_cursors" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"received_up_to" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "evaluation_cursors" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "evaluation_plans" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"form_key" text NOT NULL,
	"queue_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"review_percent" double precision DEFAULT 2 NOT NULL,
	"min_reviews_per_agent_week" smallint DEFAULT 1 NOT NULL,
	"targets" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evaluation_plans_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "evaluation_plans_tenant_key" UNIQUE("tenant_id","key"),
	CONSTRAINT "evaluation_plans_percent_check" CHECK ("evaluation_plans"."review_percent" between 0 and 100)
);
--> statement-breakpoint
ALTER TABLE "evaluation_plans" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "evaluations" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"interaction_id" text NOT NULL,
	"agent_key" text NOT NULL,
	"queue_key" text NOT NULL,
	"channel" text NOT NULL,
	"form_id" uuid NOT NULL,
	"plan_id" uuid,
	"review_reason" text,
	"status" "evaluation_status" NOT NULL,
	"score" double precision,
	"failed_critical" boolean DEFAULT false NOT NULL,
	"interaction_ended_at" timestamp with time zone NOT NULL,
	"scored_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finalized_by" text,
	"finalized_at" timestamp with time zone,
	"released_at" timestamp with time zone,
	CONSTRAINT "evaluations_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "evaluations_one_per_form" UNIQUE("tenant_id","interaction_id","form_id")
);
--> statement-breakpoint
ALTER TABLE "evaluations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "quality_forms" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"version" integer NOT NULL,
	"name" text NOT NULL,
	"definition" jsonb NOT NULL,
	"built_in" boolean DEFAULT false NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "quality_forms_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "quality_forms_tenant_key_version" UNIQUE("tenant_id","key","version"),
	CONSTRAINT "quality_forms_version_check" CHECK ("quality_forms"."version" >= 1)
);
--> statement-breakpoint
ALTER TABLE "quality_forms" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "evaluation_answers" ADD CONSTRAINT "evaluation_answers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_answers" ADD CONSTRAINT "evaluation_answers_answered_by_users_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_answers" ADD CONSTRAINT "evaluation_answers_evaluation_fk" FOREIGN KEY ("tenant_id","evaluation_id") REFERENCES "public"."evaluations"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_cursors" ADD CONSTRAINT "evaluation_cursors_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_plans" ADD CONSTRAINT "evaluation_plans_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_plans" ADD CONSTRAINT "evaluation_plans_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_finalized_by_users_id_fk" FOREIGN KEY ("finalized_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_form_fk" FOREIGN KEY ("tenant_id","form_id") REFERENCES "public"."quality_forms"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quality_forms" ADD CONSTRAINT "quality_forms_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quality_forms" ADD CONSTRAINT "quality_forms_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "evaluations_status" ON "evaluations" USING btree ("tenant_id","status","interaction_ended_at");--> statement-breakpoint
CREATE INDEX "evaluations_agent" ON "evaluations" USING btree ("tenant_id","agent_key","interaction_ended_at");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "evaluation_answers" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("evaluation_answers"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("evaluation_answers"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "evaluation_cursors" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("evaluation_cursors"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("evaluation_cursors"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "evaluation_plans" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("evaluation_plans"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("evaluation_plans"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "evaluations" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("evaluations"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("evaluations"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "quality_forms" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("quality_forms"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("quality_forms"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
-- A form version an evaluation used is frozen: an edit saves a new version instead.
CREATE FUNCTION quality_forms_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM evaluations e WHERE e.tenant_id = OLD.tenant_id AND e.form_id = OLD.id) THEN
    RAISE EXCEPTION 'form % version % is used by evaluations: save a new version instead', OLD.key, OLD.version USING ERRCODE = 'check_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
--> statement-breakpoint
CREATE TRIGGER quality_forms_frozen BEFORE UPDATE OR DELETE ON quality_forms FOR EACH ROW EXECUTE FUNCTION quality_forms_frozen();
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON quality_forms, evaluation_plans, evaluations, evaluation_answers, evaluation_cursors TO switchboard_app;
