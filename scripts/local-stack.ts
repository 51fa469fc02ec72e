import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runMigrations } from '../db/bootstrap';
import { startLocalDatabase } from '../db/embedded';

/**
 * Fills in what a developer's machine lacks, before the configuration module reads the environment: an
 * AUTH_SECRET kept under the data folder, and an embedded PostgreSQL when DATABASE_URL is not given.
 * Explicit settings always win.
 */
export async function prepareLocalStack(dataDir: string) {
  mkdirSync(dataDir, { recursive: true });
  const secretFile = join(dataDir, 'auth-secret');
  if (!process.env.AUTH_SECRET) {
    if (!existsSync(secretFile))
      writeFileSync(secretFile, randomBytes(32).toString('base64url'), { mode: 0o600 });
    process.env.AUTH_SECRET = readFileSync(secretFile, 'utf8').trim();
  }

  if (process.env.DATABASE_URL) {
    if (process.env.DATABASE_OWNER_URL) await runMigrations(process.env.DATABASE_OWNER_URL);
    return { stop: async () => {} };
  }
  const started = Date.now();
  const db = await startLocalDatabase(dataDir);
  process.env.DATABASE_URL = db.urls.app;
  process.env.DATABASE_PLATFORM_URL = db.urls.platform;
  process.env.DATABASE_OWNER_URL = db.urls.owner;
  console.log(
    `Embedded PostgreSQL ready in ${Date.now() - started} ms (data in ${dataDir}/postgres).`,
  );
  return db;
}

export function stopOnSignals(stop: () => Promise<void>) {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      stop().finally(() => process.exit(0));
    });
  }
}
