CREATE TYPE "public"."detected_day_kind" AS ENUM('closed', 'unusual');--> statement-breakpoint
CREATE TYPE "public"."detected_day_status" AS ENUM('pending', 'confirmed', 'rejected');--> statement-breakpoint
CREATE TABLE "detected_days" (
	"tenant_id" uuid NOT NULL,
	"queue_id" uuid NOT NULL,
	"date" date NOT NULL,
	"kind" "detected_day_kind" NOT NULL,
	"total" double precision NOT NULL,
	"expected" double precision NOT NULL,
	"status" "detected_day_status" DEFAULT 'pending' NOT NULL,
	"detected_at" timestamp with time zone NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	CONSTRAINT "detected_days_tenant_id_queue_id_date_pk" PRIMARY KEY("tenant_id","queue_id","date")
);
--> statement-breakpoint
ALTER TABLE "detected_days" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "forecast_settings" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"holiday_region" text,
	"holiday_multiplier" double precision DEFAULT 0 NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "forecast_settings_holiday_multiplier_check" CHECK ("forecast_settings"."holiday_multiplier" >= 0)
);
--> statement-breakpoint
ALTER TABLE "forecast_settings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "special_days" ADD COLUMN "recurs_yearly" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "detected_days" ADD CONSTRAINT "detected_days_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "detected_days" ADD CONSTRAINT "detected_days_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "detected_days" ADD CONSTRAINT "detected_days_queue_fk" FOREIGN KEY ("tenant_id","queue_id") REFERENCES "public"."queues"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forecast_settings" ADD CONSTRAINT "forecast_settings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forecast_settings" ADD CONSTRAINT "forecast_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "detected_days" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("detected_days"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("detected_days"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "forecast_settings" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("forecast_settings"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("forecast_settings"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
-- Forecast runs write detected days and planners decide them, both as switchboard_app under row security.
GRANT SELECT, INSERT, UPDATE, DELETE ON forecast_settings, detected_days TO switchboard_app;
