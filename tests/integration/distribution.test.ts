import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Sql, urls } from '../support/db';
import { findDistributionProblems } from '../support/distribution';

/**
 * The tables of `public` that hold no tenant's rows, and why. On Citus each would be a reference table
 * (copied to every node, which distributed tables may point to), or stay on the coordinator; `tenants` could
 * instead be distributed by its own id, co-located with the tenant tables. See README, "Production shape".
 */
const GLOBAL_TABLES: Record<string, string> = {
  tenants: 'the organizations themselves: their id is every tenant table’s tenant_id',
  users: 'a person signs in to every organization they belong to with one account',
  user_two_factor: 'a person’s second factor is theirs in every organization',
  two_factor_recovery_codes: 'they belong to the person’s second factor, not to an organization',
  mail_messages:
    'captured mail (development and tests): sign-up mail is written before its tenant exists',
  rate_limits: 'counters keyed by address or account, across organizations (sign-up, sign-in)',
  tenant_slug_redirects:
    'a former subdomain is unique across the platform, like the current one; the host lookup reads it before any tenant is known',
};

let owner: Sql;

beforeAll(() => {
  owner = connect(urls().owner, 1);
});

afterAll(async () => {
  await owner.end();
});

/** What the check says about the catalog as `change` leaves it, inside a transaction rolled back after. */
async function problemsAfter(
  change: (tx: postgres.TransactionSql) => Promise<unknown>,
  globalTables = GLOBAL_TABLES,
) {
  let problems: string[] = [];
  const rollback = new Error('roll back');
  await owner
    .begin(async (tx) => {
      await change(tx);
      problems = await findDistributionProblems(tx, globalTables);
      throw rollback;
    })
    .catch((error) => {
      if (error !== rollback) throw error;
    });
  return problems.sort();
}

describe('distribution by tenant_id', () => {
  it('holds for every tenant table: keys include tenant_id, foreign keys pair it, nothing global points in', async () => {
    expect(await findDistributionProblems(owner, GLOBAL_TABLES)).toEqual([]);
  });

  it('reports each way a table could break it', async () => {
    const problems = await problemsAfter(async (tx) => {
      await tx`create table notes (tenant_id uuid, id uuid primary key, slug text)`;
      await tx`create unique index notes_slug on notes (tenant_id, slug)`;
      await tx`create unique index notes_global_slug on notes (lower(slug))`;
      await tx`create table kept (tenant_id uuid not null, id uuid not null)`;
      await tx`create table settings (key text primary key, task_tenant uuid, task_id uuid,
        foreign key (task_tenant, task_id) references tasks (tenant_id, id))`;
      await tx`create table pairs (tenant_id uuid not null, id uuid, other_tenant uuid, task_id uuid,
        primary key (tenant_id, id), foreign key (other_tenant, task_id) references tasks (tenant_id, id))`;
    });
    expect(problems).toEqual(
      [
        'notes.tenant_id is nullable',
        'primary key notes_pkey of notes does not include tenant_id',
        'unique index notes_global_slug of notes does not include tenant_id',
        'kept has no primary key',
        'settings has no tenant_id and is not listed as a global table (with the reason it is global)',
        'foreign key settings_task_tenant_task_id_fkey points from the global table settings into the tenant table tasks',
        'foreign key pairs_other_tenant_task_id_fkey from pairs to tasks does not pair tenant_id with tenant_id',
      ].sort(),
    );
  });

  it('keeps the list of global tables true: no tenant table in it, no table that is gone', async () => {
    const problems = await problemsAfter(async () => {}, {
      ...GLOBAL_TABLES,
      projects: 'listed by mistake',
      archived_things: 'dropped since',
    });
    expect(problems).toEqual([
      'archived_things is listed as a global table but does not exist',
      'projects has a tenant_id but is listed as a global table',
    ]);
  });
});
