import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asTenant, connect, type SeededTenant, type Sql, seedTenant, urls } from '../support/db';
import {
  compareGrants,
  formatAllowlist,
  parseAllowlist,
  readCatalogGrants,
} from '../support/grants';

const allowlist = parseAllowlist(
  readFileSync(new URL('../../db/grants.allowlist', import.meta.url), 'utf8'),
);

let app: Sql;
let platform: Sql;
let owner: Sql;
let a: SeededTenant;
let b: SeededTenant;

beforeAll(async () => {
  app = connect(urls().app);
  platform = connect(urls().platform);
  owner = connect(urls().owner, 1);
  a = await seedTenant(platform, app, 'grants-a');
  b = await seedTenant(platform, app, 'grants-b');
});

afterAll(async () => {
  await Promise.all([app.end(), platform.end(), owner.end()]);
});

const DENIED = /permission denied for table/;

/** Raw SQL as the runtime role in A's context, as the owner of A's seeded account. */
const inA = <T>(fn: Parameters<typeof asTenant<T>>[3]) => asTenant(app, a.tenantId, a.userId, fn);

/** What the comparison says about the catalog as `change` leaves it, inside a transaction rolled back after. */
async function compareAfter(change: (tx: postgres.TransactionSql) => Promise<unknown>) {
  let result: ReturnType<typeof compareGrants> | undefined;
  const rollback = new Error('roll back');
  await owner
    .begin(async (tx) => {
      await change(tx);
      result = compareGrants(await readCatalogGrants(tx), allowlist.grants);
      throw rollback;
    })
    .catch((error) => {
      if (error !== rollback) throw error;
    });
  return result!;
}

describe('db/grants.allowlist', () => {
  it('is readable and in its canonical order, one line per grantee, object and privilege', () => {
    expect(allowlist.unreadable).toEqual([]);
    expect(allowlist.lines).toEqual(formatAllowlist(allowlist.grants));
  });

  it('lists exactly the grants of the database, per role, object, privilege and column', async () => {
    const { unlisted, missing } = compareGrants(await readCatalogGrants(owner), allowlist.grants);
    expect(unlisted).toEqual([]);
    expect(missing).toEqual([]);
  });

  it('tells a table-level grant from column-level ones, and a missing grant from an extra one', async () => {
    const result = await compareAfter(async (tx) => {
      // The widening this file exists to catch: a table-level UPDATE beside the column-level ones.
      await tx`grant update on projects to tenantry_app`;
      await tx`grant select (created_at) on single_use_tokens to tenantry_platform`;
      await tx`grant execute on function tenant_revisions_bump(uuid) to public`;
      await tx`revoke update (used_at) on single_use_tokens from tenantry_app`;
      // A system column: enough to pick rows by, without reading any of their columns.
      await tx`grant select (ctid) on rate_limits to tenantry_worker`;
    });
    expect(result).toEqual({
      unlisted: [
        'PUBLIC holds EXECUTE on function tenant_revisions_bump(uuid), which db/grants.allowlist does not list',
        'tenantry_app holds table-level UPDATE on projects (every column, also those added later), which db/grants.allowlist does not list',
        'tenantry_platform holds SELECT on column single_use_tokens.created_at, which db/grants.allowlist does not list',
        'tenantry_worker holds SELECT on column rate_limits.ctid, which db/grants.allowlist does not list',
      ],
      missing: [
        'db/grants.allowlist gives tenantry_app UPDATE on column single_use_tokens.used_at, which the database does not grant',
      ],
    });
  });
});

describe('the runtime role, in its own tenant', () => {
  it('renames a project, but never moves it to another tenant, re-keys it or changes its author', async () => {
    const renamed = await inA(
      (tx) => tx`
      update projects set name = 'Renamed', version = version + 1, updated_at = now()
      where id = ${a.projectId} returning name`,
    );
    expect(renamed).toEqual([{ name: 'Renamed' }]);
    for (const change of [
      `tenant_id = '${b.tenantId}'`,
      `id = '${randomUUID()}'`,
      `created_by = '${b.userId}'`,
      `created_at = now()`,
      `description = 'not written by the app'`,
    ]) {
      await expect(
        inA((tx) => tx.unsafe(`update projects set ${change} where id = '${a.projectId}'`)),
        change,
      ).rejects.toThrow(DENIED);
    }
  });

  it('only spends single-use tokens or counts a failure: never re-points, extends or deletes one', async () => {
    const purposes = ['handoff', 'reset_password', 'change_email', 'two_factor_challenge'];
    const hashes = Object.fromEntries(purposes.map((purpose) => [purpose, randomUUID()]));
    for (const purpose of purposes) {
      await inA(
        (tx) => tx`
        insert into single_use_tokens (tenant_id, token_hash, purpose, user_id, email, expires_at)
        values (${a.tenantId}, ${hashes[purpose]!}, ${purpose}, ${a.userId}, 'new@example.test',
                now() + interval '5 minutes')`,
      );
    }
    const frozen = [
      'tenant_id',
      'token_hash',
      'purpose',
      'user_id',
      'email',
      'subject_id',
      'source_session_id',
      'expires_at',
      'created_at',
    ];
    for (const [purpose, hash] of Object.entries(hashes)) {
      for (const column of frozen) {
        await expect(
          inA((tx) =>
            tx.unsafe(
              `update single_use_tokens set ${column} = ${column} where token_hash = '${hash}'`,
            ),
          ),
          `${purpose}: ${column}`,
        ).rejects.toThrow(DENIED);
      }
      await expect(
        inA((tx) => tx.unsafe(`delete from single_use_tokens where token_hash = '${hash}'`)),
        `${purpose}: delete`,
      ).rejects.toThrow(DENIED);
      const spent = await inA(
        (tx) => tx`
        update single_use_tokens set failed_attempts = failed_attempts + 1, used_at = now()
        where token_hash = ${hash} returning user_id`,
      );
      expect({ purpose, spent: [...spent] }).toEqual({ purpose, spent: [{ user_id: a.userId }] });
    }
  });

  it('spends a recovery code without rewriting it; replacing the set deletes the old codes', async () => {
    const codeHash = randomUUID();
    await inA(
      (tx) =>
        tx`insert into two_factor_recovery_codes (user_id, code_hash) values (${a.userId}, ${codeHash})`,
    );
    for (const column of ['code_hash', 'user_id', 'created_at']) {
      await expect(
        inA((tx) =>
          tx.unsafe(
            `update two_factor_recovery_codes set ${column} = ${column} where code_hash = '${codeHash}'`,
          ),
        ),
        column,
      ).rejects.toThrow(DENIED);
    }
    expect(
      (
        await inA(
          (tx) =>
            tx`update two_factor_recovery_codes set used_at = now() where code_hash = ${codeHash}`,
        )
      ).count,
    ).toBe(1);
    expect(
      (await inA((tx) => tx`delete from two_factor_recovery_codes where code_hash = ${codeHash}`))
        .count,
    ).toBe(1);
  });

  it('writes and reads the audit trail but can neither change nor erase it', async () => {
    await inA(
      (tx) =>
        tx`insert into audit_events (tenant_id, actor_user_id, action) values (${a.tenantId}, ${a.userId}, 'test.grants')`,
    );
    expect(
      await inA((tx) => tx`select action from audit_events where action = 'test.grants'`),
    ).toEqual([{ action: 'test.grants' }]);
    await expect(inA((tx) => tx`update audit_events set action = 'x'`)).rejects.toThrow(DENIED);
    await expect(inA((tx) => tx`delete from audit_events`)).rejects.toThrow(DENIED);
  });

  it('changes a membership’s role and status but never deletes one, nor writes a rate limit', async () => {
    expect(
      (
        await inA(
          (tx) =>
            tx`update memberships set role = 'owner', version = version + 1 where user_id = ${a.userId}`,
        )
      ).count,
    ).toBe(1);
    await expect(
      inA((tx) => tx`update memberships set user_id = ${b.userId} where user_id = ${a.userId}`),
    ).rejects.toThrow(DENIED);
    await expect(
      inA((tx) => tx`delete from memberships where user_id = ${a.userId}`),
    ).rejects.toThrow(DENIED);
    await expect(app`select key from rate_limits`).rejects.toThrow(DENIED);
    await expect(app`delete from rate_limits`).rejects.toThrow(DENIED);
    // Its own user row only: another member's name is out of reach of the self-update policy.
    expect(
      (await inA((tx) => tx`update users set name = 'Renamed' where id = ${a.userId}`)).count,
    ).toBe(1);
    expect(
      (await inA((tx) => tx`update users set name = 'Renamed' where id = ${b.userId}`)).count,
    ).toBe(0);
  });
});

describe('the platform role', () => {
  it('moves a rate limit counter and its window, never its key', async () => {
    const key = `grants-test:${randomUUID()}`;
    const [hit] = await platform`
      insert into rate_limits (key, points, expires_at) values (${key}, 1, now() + interval '1 minute')
      on conflict (key) do update set points = rate_limits.points + 1 returning points`;
    expect(hit).toEqual({ points: 1 });
    await expect(
      platform`update rate_limits set key = ${`${key}:moved`} where key = ${key}`,
    ).rejects.toThrow(DENIED);
    expect((await platform`delete from rate_limits where key = ${key}`).count).toBe(1);
  });

  it("revokes a user's sessions by user, reading nothing but their ids", async () => {
    await expect(platform`select tenant_id from sessions`).rejects.toThrow(DENIED);
    await expect(
      platform`update sessions set revoked_at = now() where user_id = ${a.userId} returning tenant_id`,
    ).rejects.toThrow(DENIED);
    const revoked = await platform`
      update sessions set revoked_at = now() where user_id = ${randomUUID()} and revoked_at is null
      returning id`;
    expect(revoked).toEqual([]);
  });
});
