CREATE TYPE "public"."override_kind" AS ENUM('set', 'multiply');--> statement-breakpoint
CREATE TYPE "public"."special_day_effect" AS ENUM('exclude', 'multiply');--> statement-breakpoint
CREATE TABLE "forecast_overrides" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"queue_id" uuid NOT NULL,
	"from_date" date NOT NULL,
	"to_date" date NOT NULL,
	"from_minute" smallint,
	"to_minute" smallint,
	"kind" "override_kind" NOT NULL,
	"value" double precision NOT NULL,
	"label" text NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "forecast_overrides_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "forecast_overrides_dates_check" CHECK ("forecast_overrides"."from_date" <= "forecast_overrides"."to_date"),
	CONSTRAINT "forecast_overrides_minutes_check" CHECK (coalesce("forecast_overrides"."from_minute", 0) >= 0 and coalesce("forecast_overrides"."to_minute", 1440) <= 1440 and coalesce("forecast_overrides"."from_minute", 0) < coalesce("forecast_overrides"."to_minute", 1440)),
	CONSTRAINT "forecast_overrides_value_check" CHECK ("forecast_overrides"."value" >= 0)
);
--> statement-breakpoint
ALTER TABLE "forecast_overrides" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "special_days" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"date" date NOT NULL,
	"label" text NOT NULL,
	"effect" "special_day_effect" NOT NULL,
	"multiplier" double precision,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "special_days_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "special_days_tenant_date" UNIQUE("tenant_id","date"),
	CONSTRAINT "special_days_multiplier_check" CHECK (("special_days"."effect" = 'multiply') = ("special_days"."multiplier" is not null) and coalesce("special_days"."multiplier", 0) >= 0)
);
--> statement-breakpoint
ALTER TABLE "special_days" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "staffing_settings" (
	"tenant_id" uuid NOT NULL,
	"queue_id" uuid NOT NULL,
	"shrinkage" double precision NOT NULL,
	"max_occupancy" double precision NOT NULL,
	"patience_s" double precision,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staffing_settings_tenant_id_queue_id_pk" PRIMARY KEY("tenant_id","queue_id"),
	CONSTRAINT "staffing_settings_shrinkage_check" CHECK ("staffing_settings"."shrinkage" >= 0 and "staffing_settings"."shrinkage" < 1),
	CONSTRAINT "staffing_settings_max_occupancy_check" CHECK ("staffing_settings"."max_occupancy" > 0 and "staffing_settings"."max_occupancy" <= 1),
	CONSTRAINT "staffing_settings_patience_check" CHECK ("staffing_settings"."patience_s" is null or "staffing_settings"."patience_s" > 0)
);
--> statement-breakpoint
ALTER TABLE "staffing_settings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "forecast_overrides" ADD CONSTRAINT "forecast_overrides_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forecast_overrides" ADD CONSTRAINT "forecast_overrides_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forecast_overrides" ADD CONSTRAINT "forecast_overrides_queue_fk" FOREIGN KEY ("tenant_id","queue_id") REFERENCES "public"."queues"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "special_days" ADD CONSTRAINT "special_days_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "special_days" ADD CONSTRAINT "special_days_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staffing_settings" ADD CONSTRAINT "staffing_settings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staffing_settings" ADD CONSTRAINT "staffing_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staffing_settings" ADD CONSTRAINT "staffing_settings_queue_fk" FOREIGN KEY ("tenant_id","queue_id") REFERENCES "public"."queues"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "forecast_overrides" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("forecast_overrides"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("forecast_overrides"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "special_days" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("special_days"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("special_days"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "staffing_settings" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("staffing_settings"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("staffing_settings"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON special_days, forecast_overrides, staffing_settings TO switchboard_app;
