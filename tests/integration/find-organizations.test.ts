import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { asSuperuser, asSuperuserWithoutTriggers, connect, type Sql, urls } from '../support/db';
import { request } from '../support/fake-request';
import { deliveredMail } from '../support/mail';
import type { Org } from '../support/orgs';

vi.mock('next/headers', () => import('../support/fake-request'));
vi.mock('@/lib/auth/auth', async () => ({
  ...(await import('../support/fake-request')),
  signIn: async () => '/',
}));

const route = await import('@/app/api/find-organizations/route');
const { FIND_ANSWER_MS } = await import('@/lib/my-organizations/find');
const orgs = await import('../support/orgs');

const PASSWORD = 'violet-harbor-42';
let platform: Sql;
/** One person in two active organizations, deactivated in a third, a member of a suspended fourth. */
let email: string;
let deactivated: Org;
let suspended: Org;

beforeAll(async () => {
  platform = connect(urls().platform, 2);
  email = `find-${randomUUID().slice(0, 6)}@example.test`;
  await orgs.signUpOrg(platform, 'find-first', email, PASSWORD);
  await orgs.signUpOrg(platform, 'find-second', email, PASSWORD);
  deactivated = await orgs.signUpOrg(platform, 'find-deactivated', email, PASSWORD);
  suspended = await orgs.signUpOrg(platform, 'find-suspended', email, PASSWORD);
  // Each is its organization's only owner, whom the database keeps active: seeded past its trigger.
  await asSuperuserWithoutTriggers(async (sql) => {
    await sql`update memberships set status = 'deactivated' where tenant_id = ${deactivated.tenantId}`;
    await sql`update tenants set status = 'suspended' where id = ${suspended.tenantId}`;
  });
  // The sign-ups' own verification mail is out of the way.
  await deliveredMail({ to: email });
});
afterAll(() => platform.end());
beforeEach(() => {
  request.host = 'localhost:3000';
  request.pointer = null;
  request.ip = `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
});

async function ask(address: string) {
  const started = performance.now();
  const response = await route.POST(
    new Request('http://localhost:3000/api/find-organizations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: address }),
    }),
  );
  return {
    status: response.status,
    body: await response.json(),
    ms: performance.now() - started,
    retryAfter: response.headers.get('retry-after') !== null,
  };
}

/** What the mailbox received (delivered by the mail jobs), for any of these addresses. */
async function delivered(...addresses: string[]) {
  const mail = await deliveredMail({ to: addresses });
  return mail.sort((a, b) => a.subject.localeCompare(b.subject));
}

describe('find my organizations', () => {
  it('answers alike, in the same time, whether or not the address is known', async () => {
    const known = await ask(email.toUpperCase());
    const unknown = await ask(`nobody-${randomUUID().slice(0, 6)}@example.test`);
    expect({ status: known.status, body: known.body }).toEqual({
      status: 200,
      body: { done: true },
    });
    expect({ status: unknown.status, body: unknown.body }).toEqual({
      status: 200,
      body: { done: true },
    });
    expect(known.ms).toBeGreaterThanOrEqual(FIND_ANSWER_MS - 5);
    expect(unknown.ms).toBeGreaterThanOrEqual(FIND_ANSWER_MS - 5);
    expect(Math.abs(known.ms - unknown.ms)).toBeLessThan(FIND_ANSWER_MS / 2);
  });

  it('mails each active organization’s sign-in link to the address, and only to it', async () => {
    const address = `find-list-${randomUUID().slice(0, 6)}@example.test`;
    const a = await orgs.signUpOrg(platform, 'find-list-a', address, PASSWORD);
    const b = await orgs.signUpOrg(platform, 'find-list-b', address, PASSWORD);
    const off = await orgs.signUpOrg(platform, 'find-list-off', address, PASSWORD);
    await asSuperuserWithoutTriggers(
      (sql) => sql`update memberships set status = 'removed' where tenant_id = ${off.tenantId}`,
    );
    await delivered(address);
    const before = await countMail(address);
    const since = new Date();
    await ask(address);
    const mail = (await delivered(address)).filter((m) =>
      m.subject.startsWith('Your organization'),
    );
    expect(mail.map((m) => m.subject)).toEqual([
      'Your organization on Tenantry: find-list-a',
      'Your organization on Tenantry: find-list-b',
    ]);
    for (const [message, org] of [
      [mail[0]!, a],
      [mail[1]!, b],
    ] as const) {
      expect(message.to_address).toBe(address);
      expect(message.text).toContain(`http://${org.slug}.localhost:3000/login`);
      // An address nobody confirmed gets no HTML part.
      expect(message.html).toBe('');
    }
    // Nothing else was queued: exactly one message per active organization, all to this address.
    expect((await countMail(address)) - before).toBe(2);
    const audited = await asSuperuser(
      (sql) =>
        sql`select tenant_id from audit_events where action = 'user.organizations_requested' and created_at >= ${since}`,
    );
    expect(audited.map((r) => r.tenant_id).sort()).toEqual([a.tenantId, b.tenantId].sort());
  });

  it('counts only active memberships of active organizations', async () => {
    await ask(email);
    const mail = await delivered(email);
    const subjects = mail.map((m) => m.subject).filter((s) => s.startsWith('Your organization'));
    expect(subjects).toContain('Your organization on Tenantry: find-first');
    expect(subjects).toContain('Your organization on Tenantry: find-second');
    expect(subjects.join()).not.toContain('find-deactivated');
    expect(subjects.join()).not.toContain('find-suspended');
  });

  it('sends nothing to a deleted or disabled account', async () => {
    for (const status of ['disabled', 'deleted']) {
      const address = `find-${status}-${randomUUID().slice(0, 6)}@example.test`;
      const org = await orgs.signUpOrg(platform, `find-${status}`, address, PASSWORD);
      await asSuperuser(
        (sql) => sql`update users set status = ${status} where id = ${org.session.userId}`,
      );
      await delivered(address);
      const before = await countMail(address);
      expect((await ask(address)).body).toEqual({ done: true });
      expect(await countMail(address)).toBe(before);
    }
  });

  it('escapes the organization’s name in the HTML part sent to a confirmed address', async () => {
    const address = `find-html-${randomUUID().slice(0, 6)}@example.test`;
    const org = await orgs.signUpOrg(platform, 'find-html', address, PASSWORD);
    await asSuperuser(async (sql) => {
      await sql`update tenants set name = '<b>Bold</b>' where id = ${org.tenantId}`;
      await sql`update users set email_verified_at = now() where id = ${org.session.userId}`;
    });
    await delivered(address);
    await ask(address);
    const [message] = (await delivered(address)).filter((m) =>
      m.subject.startsWith('Your organization'),
    );
    expect(message!.html).toContain('&lt;b&gt;Bold&lt;/b&gt;');
    expect(message!.html).not.toContain('<b>Bold</b>');
  });

  it('is rate limited per address and per client address, alike for known and unknown', async () => {
    const unknown = `nobody-${randomUUID().slice(0, 6)}@example.test`;
    const address = `find-limit-${randomUUID().slice(0, 6)}@example.test`;
    await orgs.signUpOrg(platform, 'find-limit', address, PASSWORD);
    const answers = [];
    for (let i = 0; i < 4; i++) {
      request.ip = `198.18.251.${i}`;
      answers.push([(await ask(address)).status, (await ask(unknown)).status]);
    }
    expect(answers).toEqual([
      [200, 200],
      [200, 200],
      [200, 200],
      [429, 429],
    ]);
    const limited = await ask(address);
    expect(limited).toMatchObject({
      status: 429,
      body: { error: { code: 'rate_limited' } },
      retryAfter: true,
    });

    request.ip = '198.18.252.1';
    const statuses = [];
    for (let i = 0; i < 11; i++) {
      statuses.push((await ask(`ip-${i}-${randomUUID().slice(0, 6)}@example.test`)).status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses[10]).toBe(429);
  }, 30_000);

  it('refuses what is not an email address, next to the field', async () => {
    const answer = await ask('not an address');
    expect(answer).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid', fieldErrors: { email: expect.any(String) } } },
    });
  });
});

/** Mail queued to an address, in any organization (other test files share the database). */
async function countMail(address: string) {
  const [row] = await asSuperuser(
    (sql) => sql`select count(*)::int as n from outgoing_mail where lower(to_address) = ${address}`,
  );
  return row!.n as number;
}
