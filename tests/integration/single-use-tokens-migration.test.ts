import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations } from '@/db/bootstrap';
import { connect, type Sql } from '../support/db';
import { createOwnDatabase, type DatabaseUrls } from '../support/own-database';

// The migration that replaces the per-kind token tables with single_use_tokens, applied to a database that
// holds tokens of every old kind: live ones move over, the rest go with their tables.
const TAG_SUFFIX = '_single_use_tokens_replace_per_kind_tables';
const migrations = new URL('../../db/migrations/', import.meta.url).pathname;

let own: DatabaseUrls;
let superuser: Sql;
let folder: string;

/** The migrations folder as it was before the one under test. */
function migrationsBefore(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tenantry-migrations-'));
  cpSync(migrations, dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag.endsWith(TAG_SUFFIX));
  if (at < 0) throw new Error(`no migration ends with ${TAG_SUFFIX}`);
  journal.entries = journal.entries.slice(0, at);
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

const ids = { tenant: randomUUID(), user: randomUUID() };
const hash = () => randomUUID();
const live = {
  verify: hash(),
  change: hash(),
  handoff: hash(),
  challenge: hash(),
};
const dead = {
  usedReset: hash(),
  expiredUnlock: hash(),
  expiredHandoff: hash(),
  usedChallenge: hash(),
  exhaustedChallenge: hash(),
};

beforeAll(async () => {
  own = await createOwnDatabase('token_migration', { migrate: false });
  folder = migrationsBefore();
  const owner = connect(own.owner, 1);
  await migrate(drizzle(owner), { migrationsFolder: folder });
  await owner.end();
  superuser = connect(own.superuser, 1);
  await superuser`insert into tenants (id, slug, name) values (${ids.tenant}, 'token-migration', 'T')`;
  await superuser`insert into users (id, email, name, password_hash) values (${ids.user}, 'tm@example.test', 'T', 'x')`;
  await superuser`insert into memberships (tenant_id, user_id, role) values (${ids.tenant}, ${ids.user}, 'owner')`;
  const email = (h: string, purpose: string, expires: string, used: string | null, to?: string) =>
    superuser`
      insert into email_tokens (tenant_id, token_hash, user_id, purpose, new_email, expires_at, used_at)
      values (${ids.tenant}, ${h}, ${ids.user}, ${purpose}, ${to ?? null}, now() + ${expires}::interval,
              now() + ${used}::interval)`;
  await email(live.verify, 'verify_email', '+1 day', null);
  await email(live.change, 'change_email', '+1 day', null, 'New.Address@Example.test');
  await email(dead.usedReset, 'reset_password', '+1 hour', '-1 minute');
  await email(dead.expiredUnlock, 'unlock_account', '-1 minute', null);
  for (const [h, expires] of [
    [live.handoff, '+1 minute'],
    [dead.expiredHandoff, '-1 second'],
  ] as const) {
    await superuser`
      insert into handoff_tokens (tenant_id, token_hash, user_id, expires_at)
      values (${ids.tenant}, ${h}, ${ids.user}, now() + ${expires}::interval)`;
  }
  for (const [h, failures, used] of [
    [live.challenge, 2, null],
    [dead.usedChallenge, 0, '-1 second'],
    [dead.exhaustedChallenge, 5, null],
  ] as const) {
    await superuser`
      insert into two_factor_challenges (tenant_id, token_hash, user_id, failed_attempts, expires_at, used_at)
      values (${ids.tenant}, ${h}, ${ids.user}, ${failures}, now() + interval '5 minutes',
              now() + ${used}::interval)`;
  }
  await runMigrations(own.owner);
});
afterAll(async () => {
  await superuser?.end();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe('replacing the per-kind token tables', () => {
  it('moves every live token over, with its kind, address, failures and expiry, and nothing else', async () => {
    const rows = await superuser`
      select token_hash, purpose, user_id, email, failed_attempts, used_at,
             expires_at > now() + interval '2 minutes' as long_lived
      from single_use_tokens order by purpose`;
    const row = (token_hash: string, purpose: string, more: Record<string, unknown> = {}) => ({
      token_hash,
      purpose,
      user_id: ids.user,
      email: null,
      failed_attempts: 0,
      used_at: null,
      long_lived: true,
      ...more,
    });
    expect(rows).toEqual([
      row(live.change, 'change_email', { email: 'new.address@example.test' }),
      row(live.handoff, 'handoff', { long_lived: false }),
      row(live.challenge, 'two_factor_challenge', { failed_attempts: 2 }),
      row(live.verify, 'verify_email'),
    ]);
  });

  it('drops the old tables and keeps RLS forced on the new one', async () => {
    const [tables] = await superuser`
      select to_regclass('email_tokens') as email, to_regclass('handoff_tokens') as handoff,
             to_regclass('two_factor_challenges') as challenges`;
    expect(tables).toEqual({ email: null, handoff: null, challenges: null });
    const [rls] = await superuser`
      select relrowsecurity as enabled, relforcerowsecurity as forced from pg_class
      where relname = 'single_use_tokens'`;
    expect(rls).toEqual({ enabled: true, forced: true });
  });
});
