import { defineConfig } from 'drizzle-kit';

// drizzle-kit only generates here; the app applies migrations itself (migrateDb) at start.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema.ts',
  out: '../../migrations/postgres',
  casing: 'snake_case',
});
