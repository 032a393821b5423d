ALTER TABLE "evaluation_answers" DROP CONSTRAINT "evaluation_answers_tenant_id_tenants_id_fk";
