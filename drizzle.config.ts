import { defineConfig } from 'drizzle-kit';

// Generation needs no database; migrations are applied by runMigrations (db/bootstrap.ts) with the owner role.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema/index.ts',
  out: './db/migrations',
  entities: { roles: { provider: '' } },
  strict: true,
});
