CREATE TABLE "desktop_embed_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"kind" text NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "desktop_embed_tokens_tokenHash_unique" UNIQUE("token_hash"),
	CONSTRAINT "desktop_embed_tokens_kind_check" CHECK ("desktop_embed_tokens"."kind" in ('handshake', 'panel'))
);
--> statement-breakpoint
ALTER TABLE "desktop_embed_tokens" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "desktop_frame_ancestors" text[] DEFAULT array[]::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "desktop_embed_tokens" ADD CONSTRAINT "desktop_embed_tokens_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "desktop_embed_tokens" ADD CONSTRAINT "desktop_embed_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "desktop_embed_tokens_expires_idx" ON "desktop_embed_tokens" USING btree ("expires_at");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "desktop_embed_tokens" AS PERMISSIVE FOR ALL TO "switchboard_app" USING ("desktop_embed_tokens"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)) WITH CHECK ("desktop_embed_tokens"."tenant_id" = (select nullif(current_setting('switchboard.tenant_id', true), '')::uuid));--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "desktop_embed_tokens" TO switchboard_app;
