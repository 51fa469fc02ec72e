import postgres from 'postgres';
import { barePageLike } from './bare';
import { launchBrowser, signUp } from './browser';
import { closedLoop, httpGetter, keepAliveAgent } from './load';
import { rootUrl, type Stack, tenantHost } from './stack';
import { row, type Summary } from './stats';

const MEMBERS = 1_000;
const ROLES = ['admin', 'member', 'member', 'member', 'viewer'];

/**
 * An organization of its own (so the board's figures keep their four members), signed up through the app
 * for its owner's real session, then 999 more members in bulk SQL as the superuser: mixed roles, a few
 * deactivated and removed, each with two sessions (so "last active" groups real rows).
 */
async function seedMembersOrganization(stack: Stack, root: string) {
  const browser = await launchBrowser();
  const owner = await signUp(browser, root, `bench-members-${Date.now().toString(36)}`).finally(
    () => browser.close(),
  );
  const sql = postgres(stack.superuserUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.begin(async (tx) => {
      const [tenant] = await tx`select id from tenants where slug = ${owner.slug}`;
      const tenantId = tenant!.id as string;
      await tx`create temp table bench_people on commit drop as
        select i, gen_random_uuid() as user_id from generate_series(1, ${MEMBERS - 1}::int) i`;
      await tx`insert into users (id, email, name, password_hash)
        select user_id, 'member-' || i || '-' || ${owner.slug} || '@example.test',
          'Person ' || lpad(i::text, 4, '0'), 'not-a-hash' from bench_people`;
      await tx`insert into memberships (tenant_id, user_id, role, status, created_at)
        select ${tenantId}::uuid, user_id, (${ROLES}::text[])[1 + i % ${ROLES.length}],
          case when i % 50 = 0 then 'removed' when i % 20 = 0 then 'deactivated' else 'active' end,
          now() - make_interval(days => i % 400)
        from bench_people`;
      await tx`insert into sessions (tenant_id, user_id, expires_at, last_seen_at)
        select ${tenantId}::uuid, user_id, now() + interval '7 days', now() - make_interval(mins => i * s)
        from bench_people, generate_series(1, 2) s`;
    });
  } finally {
    await sql.end();
  }
  return owner;
}

/**
 * The members page with 1,000 members, as its owner opens it: server time per request (one at a time, so a
 * request's latency is the server's time for it), for the first page by name, sorted by last activity, and a
 * search. Returns the table rows and the target's verdict input (the worst p95 of the three).
 */
export async function benchMembersPage(
  stack: Stack,
  options: { port: number; barePort: number; seconds: number; warmupSeconds: number },
) {
  const root = rootUrl(options.port);
  const owner = await seedMembersOrganization(stack, root);
  const host = tenantHost(owner.slug, options.port);
  const headers = { Cookie: owner.sessionCookie };
  const variants: [string, string][] = [
    ['first page by name', '/settings/members'],
    ['sorted by last active, newest first', '/settings/members?sort=last_active&direction=desc'],
    ['search "person 01"', '/settings/members?q=person+01'],
  ];
  const agent = keepAliveAgent(1);
  const results: [string, Summary][] = [];
  try {
    for (const [label, path] of variants) {
      const get = httpGetter({ port: options.port, host, path, headers }, agent);
      await closedLoop({ concurrency: 1, warmupMs: 0, durationMs: 2_000 }, get);
      results.push([
        label,
        await closedLoop(
          {
            concurrency: 1,
            warmupMs: options.warmupSeconds * 1000,
            durationMs: options.seconds * 1000,
            cpu: () => stack.cpu(),
          },
          get,
        ),
      ]);
    }
  } finally {
    agent.destroy();
  }
  // The framework's own cost of a dynamic page as long as the members page's first page.
  const bare = await barePageLike(
    { port: options.port, host, path: variants[0]![1], headers },
    options.barePort,
    {
      concurrency: 1,
      warmupMs: options.warmupSeconds * 1000,
      durationMs: options.seconds * 1000,
      cpu: () => stack.cpu(),
    },
  );
  return {
    rows: [
      row(`bare Next.js dynamic page of the same size (${bare.bytes} B)`, bare.summary),
      ...results.map(([label, s]) => row(`members page, 1,000 members: ${label}`, s)),
    ],
    bare: bare.summary,
    worstP95: Math.max(...results.map(([, s]) => s.p95)),
  };
}
