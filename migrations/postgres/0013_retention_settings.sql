ALTER TABLE "tenants" ADD COLUMN "transcript_retention_days" integer;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "rejection_retention_days" integer DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "retention_pending" boolean DEFAULT false NOT NULL;