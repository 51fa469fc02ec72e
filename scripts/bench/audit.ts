import postgres from 'postgres';
import { barePageLike } from './bare';
import {
  closedLoop,
  getHtml,
  httpGetter,
  keepAliveAgent,
  type LoadOptions,
  type Target,
} from './load';
import { row, type Summary } from './stats';

export const AUDIT_EVENTS = 100_000;

const ACTIONS = [
  'task.created',
  'task.updated',
  'task.moved',
  'comment.created',
  'session.created',
  'project.renamed',
  'member.role_changed',
  'user.password_changed',
];

/**
 * 100,000 audit entries in the measured organization, in bulk SQL as the superuser (inserts only: the trail
 * is append-only for every role): eight actors (the owner and seven members added here), eight actions, a
 * few thousand targets, before/after on a share of them, spread over the last 100 days, newest now.
 */
export async function seedAuditEvents(
  superuserUrl: string,
  measured: { tenantId: string; userId: string },
  count = AUDIT_EVENTS,
) {
  const started = performance.now();
  const sql = postgres(superuserUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.begin(async (tx) => {
      const members = await tx<{ id: string }[]>`
        insert into users (email, name, password_hash)
        select 'audit-bench-' || g || '-' || ${measured.tenantId} || '@example.test', 'Audit member ' || g, 'x'
        from generate_series(1, 7) g returning id`;
      const actors = [measured.userId, ...members.map((m) => m.id)];
      await tx`insert into memberships (tenant_id, user_id, role)
        select ${measured.tenantId}, id, 'member' from unnest(${members.map((m) => m.id)}::uuid[]) id`;
      await tx`
        insert into audit_events (tenant_id, actor_user_id, action, target_type, target_id, before, after,
          metadata, ip, user_agent, created_at)
        select ${measured.tenantId}, (${actors}::uuid[])[1 + g % ${actors.length}],
          (${ACTIONS}::text[])[1 + g % ${ACTIONS.length}], 'task', 'task-' || (g % 4000),
          case when g % 3 = 0 then jsonb_build_object('status', 'todo') end,
          case when g % 3 = 0 then jsonb_build_object('status', 'done') end,
          jsonb_build_object('n', g), '198.51.100.' || (g % 250),
          'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
          now() - (g * interval '86 seconds')
        from generate_series(1, ${count}::int) g`;
    });
    await sql`analyze audit_events`;
  } finally {
    await sql.end();
  }
  return (performance.now() - started) / 1000;
}

/**
 * GET /settings/audit-log as the owner, one request at a time, so each latency is the server's time for the
 * page (session check, the page of 50 entries and the actor list, rendering): the first page, a filtered
 * page (an action and a date range), and a page deep in the trail (by cursor, as "Next page" links give).
 * Beside them, the static JSON route on the same server at the same concurrency, for what any request costs.
 */
export async function benchAuditLog(
  target: { port: number; barePort: number; host: string; cookie: string },
  load: LoadOptions,
) {
  const agent = keepAliveAgent(load.concurrency);
  const page = (path: string): Target => ({
    port: target.port,
    host: target.host,
    path,
    headers: { Cookie: target.cookie },
  });
  const today = new Date();
  const daysAgo = (n: number) =>
    new Date(today.getTime() - n * 86_400_000).toISOString().slice(0, 10);
  const filtered = `/settings/audit-log?action=task.moved&from=${daysAgo(60)}&to=${daysAgo(30)}`;
  const deep = await deepPagePath(page('/settings/audit-log'), 20);
  const targets = {
    static: { port: target.port, host: target.host, path: '/api/static' },
    first: page('/settings/audit-log'),
    filtered: page(filtered),
    deep: page(deep),
  };
  const results = {} as Record<keyof typeof targets, Summary>;
  for (const [name, t] of Object.entries(targets) as [keyof typeof targets, Target][]) {
    const get = httpGetter(t, agent);
    // Warm the route up (JIT, the statement's plan) before measuring it.
    await closedLoop({ concurrency: load.concurrency, warmupMs: 0, durationMs: 1500 }, get);
    results[name] = await closedLoop(load, get);
  }
  agent.destroy();
  // The framework's own cost of a dynamic page as long as the audit log's first page.
  const bare = await barePageLike(targets.first, target.barePort, load);
  const label = `${load.concurrency} conc.`;
  return {
    results,
    bare: bare.summary,
    rows: [
      row(`static JSON route (reference), ${label}`, results.static),
      row(`bare Next.js dynamic page of the same size (${bare.bytes} B), ${label}`, bare.summary),
      row(`audit log, first page of 50 (of 100,000), ${label}`, results.first),
      row(`audit log, action + date range filter, ${label}`, results.filtered),
      row(`audit log, page 21 by cursor, ${label}`, results.deep),
    ],
  };
}

/** Follows "Next page" `pages` times and returns that page's path. */
async function deepPagePath(first: Target, pages: number): Promise<string> {
  let path = first.path;
  for (let i = 0; i < pages; i++) {
    const html = await getHtml({ ...first, path });
    const next = /href="([^"]*cursor=[^"]*)"[^>]*>Next page/.exec(html)?.[1];
    if (!next) throw new Error(`No "Next page" link on page ${i + 1} of the audit log.`);
    path = next.replaceAll('&amp;', '&');
  }
  return path;
}
