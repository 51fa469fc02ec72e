import { randomUUID } from 'node:crypto';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createElement } from 'react';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { asSuperuser, connect, type Sql, urls } from '../support/db';
import { request } from '../support/fake-request';
import type { Member, Org } from '../support/orgs';

vi.mock('next/headers', () => import('../support/fake-request'));
vi.mock('@/lib/auth/auth', () => import('../support/fake-request'));
// The settings frame's menu marks the current section from the router's path, and the shell's membership
// watcher holds the router to refresh the page with: rendered here outside the app router, as in the app.
vi.mock('next/navigation', async (original) => ({
  ...(await original<typeof import('next/navigation')>()),
  usePathname: () => '/settings/audit-log',
  useRouter: () => ({ refresh: () => {} }),
}));
request.ip = '203.0.113.61';

const { exportAuditLog } = await import('@/lib/audit/export-route');
const { auditExportStream } = await import('@/lib/audit/export');
const { listAuditEvents } = await import('@/lib/audit/queries');
const { parseAuditFilters } = await import('@/lib/audit/filters');
const { withTenant } = await import('@/db/with-tenant');
const { createProject, renameProject } = await import('@/lib/projects/actions');
const { changePassword } = await import('@/lib/account/settings-actions');
const { default: AuditLogPage } = await import('@/app/tenant/[slug]/settings/audit-log/page');
const { renderToStaticMarkup } = await import('react-dom/server');
const orgs = await import('../support/orgs');
const { ok } = orgs;

let platform: Sql;
let a: Org;
let b: Org;
let admin: Member;
let member: Member;
let viewer: Member;
let projectId: string;

const exportUrl = (org: Org, query = '') =>
  `http://${org.slug}.localhost:3000/api/audit-log/export${query ? `?${query}` : ''}`;
const exportAs = (org: Org, query = '') => exportAuditLog(new Request(exportUrl(org, query)));

/** Every row of a CSV export, cells unquoted (the export quotes every cell and doubles its quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && body[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

const ctxOf = (org: Org) => ({ tenantId: org.tenantId, userId: org.session.userId });
const list = (org: Org, query: Record<string, string>) =>
  withTenant(ctxOf(org), (tx) => listAuditEvents(tx, org.tenantId, parseAuditFilters(query)));

async function renderPage(query: Record<string, string>) {
  const page = await AuditLogPage({ searchParams: Promise.resolve(query) });
  // The shell's organization switcher reads through TanStack Query, as under the app's providers.
  const html = renderToStaticMarkup(
    createElement(QueryClientProvider, { client: new QueryClient() }, page),
  );
  return { html, text: html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ') };
}

beforeAll(async () => {
  platform = connect(urls().platform, 2);
  a = await orgs.signUpOrg(platform, 'audit-a');
  b = await orgs.signUpOrg(platform, 'audit-b');
  admin = await orgs.addMember(platform, a, 'admin', 'Ada Admin');
  member = await orgs.addMember(platform, a, 'member', 'Mo Member');
  viewer = await orgs.addMember(platform, a, 'viewer', 'Vi Viewer');
  orgs.actAs(request, a);
  projectId = (await ok<{ id: string }>(createProject({ name: 'Apollo' }))).id;
  await ok(renameProject({ id: projectId, name: 'Artemis', version: 1 }));
  orgs.actAsMember(request, a, admin);
  await ok(createProject({ name: 'By the admin' }));
  orgs.actAs(request, b);
  await ok(createProject({ name: 'Canary of B' }));
});
afterAll(() => platform.end());

describe('who may read the audit log', () => {
  it('refuses members and viewers, on the export and on the page', async () => {
    for (const who of [member, viewer]) {
      orgs.actAsMember(request, a, who);
      const response = await exportAs(a);
      expect(response.status).toBe(403);
      expect((await response.json()).error.code).toBe('forbidden');
      const { text } = await renderPage({});
      expect(text).toContain('Only owners and admins can read the audit log.');
      expect(text).not.toContain('project.created');
    }
  });

  it('lets owners and admins read it', async () => {
    for (const act of [() => orgs.actAs(request, a), () => orgs.actAsMember(request, a, admin)]) {
      act();
      const response = await exportAs(a);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('project.created');
      const { text } = await renderPage({});
      expect(text).toContain('Project created');
    }
  });

  it('refuses a signed-out request and a session of another organization', async () => {
    request.pointer = null;
    request.host = `${a.slug}.localhost:3000`;
    expect((await exportAs(a)).status).toBe(401);
    // B's owner, with B's cookie, on A's host: not a member of A.
    orgs.actAs(request, b, a);
    expect((await exportAs(a)).status).toBe(401);
  });
});

describe('what the audit log shows', () => {
  it('never shows another organization’s entries', async () => {
    orgs.actAs(request, a);
    const page = await list(a, {});
    expect(page.items.length).toBeGreaterThan(0);
    const csv = await (await exportAs(a)).text();
    expect(csv).not.toContain('Canary of B');
    const [projectOfB] = await asSuperuser(
      (su) =>
        su`select target_id from audit_events where tenant_id = ${b.tenantId} and action = 'project.created'`,
    );
    expect(csv).not.toContain(projectOfB!.target_id);
    expect(page.items.map((r) => r.targetId)).not.toContain(projectOfB!.target_id);
    // A's entries by id through B's context: nothing.
    const ids = page.items.map((r) => r.id);
    const seen = await withTenant(ctxOf(b), (tx) =>
      listAuditEvents(tx, b.tenantId, parseAuditFilters({})),
    );
    expect(seen.items.map((r) => r.id).filter((id) => ids.includes(id))).toEqual([]);
  });

  it('records changes with before and after, IP and user agent, and shows them', async () => {
    const [renamed] = (await list(a, { action: 'project.renamed' })).items;
    expect(renamed).toMatchObject({
      actorUserId: a.session.userId,
      actorType: 'user',
      targetType: 'project',
      targetId: projectId,
      ip: '203.0.113.61',
      userAgent: 'vitest',
      before: { name: 'Apollo' },
      after: { name: 'Artemis' },
    });
    orgs.actAs(request, a);
    const { text } = await renderPage({ action: 'project.renamed' });
    expect(text).toContain('Apollo');
    expect(text).toContain('Project renamed');
    expect(text).toContain('vitest');
    expect(text).toContain('203.0.113.61');
  });

  it('records security events outside the action chain with their target, IP and user agent', async () => {
    orgs.actAs(request, a);
    const result = await changePassword({
      current: 'not-the-password-1',
      password: 'violet-harbor-cobalt-77',
      confirm: 'violet-harbor-cobalt-77',
    });
    expect(result.ok).toBe(false);
    const [refusal] = (await list(a, { action: 'user.reauthentication_failed' })).items;
    expect(refusal).toMatchObject({
      actorUserId: a.session.userId,
      targetType: 'user',
      targetId: a.session.userId,
      ip: '203.0.113.61',
      userAgent: 'vitest',
    });
  });

  it('filters by actor, action, target and date range', async () => {
    const byAdmin = await list(a, { actor: admin.userId });
    expect(byAdmin.items.length).toBeGreaterThan(0);
    expect(byAdmin.items.every((r) => r.actorUserId === admin.userId)).toBe(true);

    const created = await list(a, { action: 'project.created' });
    expect(created.items).toHaveLength(2);

    const target = await list(a, { targetType: 'project', targetId: projectId });
    expect(target.items.map((r) => r.action).sort()).toEqual([
      'project.created',
      'project.renamed',
    ]);

    const today = new Date().toISOString().slice(0, 10);
    expect((await list(a, { from: today, to: today })).items.length).toBeGreaterThan(0);
    expect((await list(a, { from: '2020-01-01', to: '2020-12-31' })).items).toEqual([]);
    expect(
      (await list(a, { actor: admin.userId, action: 'project.created', from: today })).items,
    ).toHaveLength(1);
  });

  it('answers bad filters with a clear message beside the field, on the page and the export', async () => {
    orgs.actAs(request, a);
    for (const [query, field] of [
      [{ actor: 'not-a-uuid' }, 'actor'],
      [{ action: 'DROP TABLE' }, 'action'],
      [{ targetId: 'abc' }, 'targetId'],
      [{ from: '2026-02-30' }, 'from'],
      [{ from: '2026-05-02', to: '2026-05-01' }, 'to'],
      [{ cursor: 'garbage' }, 'cursor'],
    ] as const) {
      // The export has no pages: it ignores a cursor.
      if (field !== 'cursor') {
        const response = await exportAs(a, new URLSearchParams(query).toString());
        expect(response.status, JSON.stringify(query)).toBe(400);
        const { error } = await response.json();
        expect(error.code).toBe('invalid');
        expect(Object.keys(error.fieldErrors ?? {})).toContain(field);
      }
      const { text } = await renderPage(query);
      expect(text).toContain('These filters cannot be used.');
    }
    // A forged cursor that decodes but names no real position: the same 400, never a database error.
    const forged = Buffer.from(
      JSON.stringify(['2026-02-30T00:00:00.000000Z', randomUUID()]),
    ).toString('base64url');
    const { text } = await renderPage({ cursor: forged });
    expect(text).toContain('This page link is not valid');
    await expect(list(a, { cursor: forged })).rejects.toThrow(/not valid/);
  });

  it('shows an unknown action by its raw name, a deleted user and a former member', async () => {
    const gone = await orgs.addMember(platform, a, 'member', 'Gone Member');
    const deleted = await orgs.addMember(platform, a, 'member', 'Deleted Person');
    await asSuperuser(async (su) => {
      await su`update memberships set status = 'removed' where tenant_id = ${a.tenantId} and user_id = ${gone.userId}`;
      await su`update users set status = 'deleted', name = '' where id = ${deleted.userId}`;
      await su`insert into audit_events (tenant_id, actor_user_id, action) values
        (${a.tenantId}, ${gone.userId}, 'widget.frobnicated'),
        (${a.tenantId}, ${deleted.userId}, 'widget.frobnicated')`;
    });
    orgs.actAs(request, a);
    const { text } = await renderPage({ action: 'widget.frobnicated' });
    expect(text).toContain('widget.frobnicated');
    expect(text).toContain('Deleted user');
    expect(text).toContain('Gone Member');
    expect(text).toContain('Former member');
    expect(text).not.toContain('Deleted Person');
  });

  it('says so when nothing matches', async () => {
    orgs.actAs(request, a);
    const { text } = await renderPage({ action: 'ownership.transferred' });
    expect(text).toContain('No entries match these filters.');
  });
});

describe('pagination', () => {
  it('stays stable across pages while entries are added in between', async () => {
    const org = await orgs.signUpOrg(platform, 'audit-pages');
    // 120 entries, several sharing one timestamp (the id breaks the tie), older than anything added later.
    await asSuperuser(
      (su) => su`
        insert into audit_events (tenant_id, action, created_at)
        select ${org.tenantId}, 'test.paged', now() - interval '1 hour' - (g / 3) * interval '1 second'
        from generate_series(1, 120) g`,
    );
    const all: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(org, { action: 'test.paged', ...(cursor ? { cursor } : {}) });
      all.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
      pages++;
      // New entries arrive between the pages: they belong to the first page, never in the middle.
      await asSuperuser(
        (su) =>
          su`insert into audit_events (tenant_id, action) values (${org.tenantId}, 'test.paged')`,
      );
    } while (cursor);
    expect(pages).toBe(3);
    expect(all).toHaveLength(120);
    expect(new Set(all).size).toBe(120);
    const expected = await asSuperuser(
      (su) => su`
        select id from audit_events where tenant_id = ${org.tenantId} and created_at < now() - interval '30 minutes'
        order by created_at desc, id desc`,
    );
    expect(all).toEqual(expected.map((r) => r.id));
  });
});

describe('the CSV export', () => {
  it('escapes formulas and quotes, and answers as a dated, uncached download', async () => {
    await asSuperuser(
      (su) => su`
        insert into audit_events (tenant_id, actor_user_id, action, target_type, target_id, metadata, user_agent)
        values (${a.tenantId}, ${a.session.userId}, 'test.injection', 'task', '=HYPERLINK("http://evil.example")',
          ${su.json({ note: 'a "quoted", comma' })}, '@SUM(1+1)'),
          (${a.tenantId}, null, 'test.injection', 'task', '+1', '{}', '-2'),
          (${a.tenantId}, null, 'test.injection', 'task', ${'\tcmd'}, '{}', ${'\rcmd'})`,
    );
    orgs.actAs(request, a);
    const response = await exportAs(a, 'action=test.injection');
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="audit-log-${a.slug}-${new Date().toISOString().slice(0, 10)}.csv"`,
    );
    expect(response.headers.get('cache-control')).toContain('no-store');
    const text = await response.text();
    expect(text).toContain('"\'=HYPERLINK(""http://evil.example"")"');
    expect(text).toContain('"\'@SUM(1+1)"');
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([
      'time',
      'actor_id',
      'actor',
      'actor_type',
      'action',
      'action_label',
      'target_type',
      'target_id',
      'before',
      'after',
      'metadata',
      'ip',
      'user_agent',
    ]);
    expect(rows).toHaveLength(4);
    const cells = rows.slice(1).flat();
    for (const dangerous of ['=', '+', '-', '@', '\t', '\r'])
      expect(cells.filter((c) => c.startsWith(dangerous))).toEqual([]);
    expect(cells).toContain('{"note":"a \\"quoted\\", comma"}');
    expect(cells).toContain("'+1");
    expect(cells).toContain("'\tcmd");
  });

  it('is itself recorded, with its filters', async () => {
    orgs.actAsMember(request, a, admin);
    await (await exportAs(a, 'action=project.created&from=2026-01-01')).text();
    const [entry] = await asSuperuser(
      (su) => su`
        select actor_user_id, metadata, ip, user_agent from audit_events
        where tenant_id = ${a.tenantId} and action = 'audit.exported' order by created_at desc limit 1`,
    );
    expect(entry).toEqual({
      actor_user_id: admin.userId,
      metadata: { filters: { action: 'project.created', from: '2026-01-01' } },
      ip: '203.0.113.61',
      user_agent: 'vitest',
    });
  });

  it('stops when the member loses the permission during the download', async () => {
    const demoted = await orgs.addMember(platform, a, 'admin', 'Soon Demoted');
    orgs.actAsMember(request, a, demoted);
    const response = await exportAs(a);
    expect(response.status).toBe(200);
    await asSuperuser(
      (su) =>
        su`update memberships set role = 'member' where tenant_id = ${a.tenantId} and user_id = ${demoted.userId}`,
    );
    await expect(response.text()).rejects.toThrow(/no longer allows/);
  });
});

describe('100,000 entries', () => {
  let big: Org;
  const ROWS = 100_000;

  beforeAll(async () => {
    big = await orgs.signUpOrg(platform, 'audit-big');
    const actors = [big.session.userId];
    for (let i = 0; i < 3; i++) actors.push((await orgs.addMember(platform, big, 'member')).userId);
    await asSuperuser(async (su) => {
      await su`
        insert into audit_events (tenant_id, actor_user_id, action, target_type, target_id, ip, user_agent, created_at)
        select ${big.tenantId}, (${actors}::uuid[])[1 + g % ${actors.length}],
          (array['task.created','task.updated','task.moved','comment.created','session.created','project.renamed'])[1 + g % 6],
          'task', 'task-' || (g % 5000), '198.51.100.7', 'Mozilla/5.0 (bench)',
          now() - interval '1 day' - g * interval '7 seconds'
        from generate_series(1, ${ROWS}) g`;
      await su`analyze audit_events`;
    });
  }, 120_000);

  it('exports every row in bounded batches, one transaction each, without holding them', async () => {
    const batches: number[] = [];
    const member = { tenant: { id: big.tenantId } as never, userId: big.session.userId };
    const stream = auditExportStream(member, parseAuditFilters({}), {
      onBatch: (rows) => batches.push(rows),
    });
    const reader = stream.getReader();
    const decoder = new TextDecoder();
    let lines = 0;
    let chunks = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks += 1;
      // Pull-based: the stream reads a batch only when the reader has taken what came before, so it
      // never holds more than a batch or two, however slowly the download is written.
      expect(batches.length, `after chunk ${chunks}`).toBeLessThanOrEqual(chunks + 1);
      // Counted and dropped, as a browser writes a download to disk.
      lines += decoder.decode(value).split('\r\n').length - 1;
    }
    // The header, the entries seeded here, and the organization's own few (sign-up, members).
    expect(lines).toBeGreaterThan(ROWS);
    expect(Math.max(...batches)).toBe(1_000);
    expect(batches.length).toBe(Math.floor((lines - 1) / 1_000) + 1);
  }, 120_000);

  // Through an index, not how fast: timings belong to the bench (BENCH_ONLY=audit), not to a test.
  it('reads every filter combination through an index, never a scan of the trail', async () => {
    const [someone] = await asSuperuser(
      (su) => su`select actor_user_id from audit_events where tenant_id = ${big.tenantId} limit 1`,
    );
    const first = await list(big, {});
    const options: Record<string, Record<string, string>> = {
      actor: { actor: someone!.actor_user_id },
      action: { action: 'task.moved' },
      target: { targetType: 'task', targetId: 'task-42' },
      range: { from: '2026-01-01', to: '2099-12-31' },
      cursor: { cursor: first.nextCursor! },
    };
    const names = Object.keys(options);
    const { auditBatchQuery } = await import('@/lib/audit/queries');
    const app = connect(urls().app, 1);
    try {
      for (let mask = 0; mask < 1 << names.length; mask++) {
        const query = Object.assign(
          {},
          ...names.filter((_, i) => mask & (1 << i)).map((n) => options[n]),
        );
        const plan = await explainPage(app, big, query, auditBatchQuery);
        const label = JSON.stringify(Object.keys(query));
        expect(plan.text, label).not.toMatch(/Seq Scan on audit_events/);
        expect(plan.text, label).toMatch(/Index (Only )?Scan( Backward)? using audit_events_/);
      }
    } finally {
      await app.end();
    }
  }, 120_000);
});

/**
 * EXPLAIN ANALYZE of one page's statement as the app runs it: the runtime role in the tenant's context, a
 * prepared statement under the role's forced generic plans.
 */
async function explainPage(
  app: Sql,
  org: Org,
  query: Record<string, string>,
  build: typeof import('@/lib/audit/queries').auditBatchQuery,
) {
  const { sql: text, params } = await withTenant(ctxOf(org), async (tx) => {
    const filters = parseAuditFilters(query);
    const { decodeAuditCursor } = await import('@/lib/audit/queries');
    return build(tx, org.tenantId, filters, decodeAuditCursor(filters.cursor), 51).toSQL();
  });
  const name = `audit_page_${randomUUID().replaceAll('-', '')}`;
  return app.begin(async (tx) => {
    await tx`select set_config('app.tenant_id', ${org.tenantId}, true), set_config('app.user_id', ${org.session.userId}, true)`;
    await tx.unsafe(`prepare ${name} as ${text}`);
    const literal = (v: unknown) =>
      v instanceof Date ? `'${v.toISOString()}'` : `'${String(v).replaceAll("'", "''")}'`;
    const args = params.length ? `(${params.map(literal).join(', ')})` : '';
    const [row] = await tx.unsafe(`explain (analyze, format json) execute ${name}${args}`);
    await tx.unsafe(`deallocate ${name}`);
    const plan = (
      row as unknown as { 'QUERY PLAN': [{ 'Execution Time': number; Plan: unknown }] }
    )['QUERY PLAN'][0];
    return { ms: plan['Execution Time'], text: describePlan(plan.Plan) };
  });
}

/** A JSON plan as lines like EXPLAIN's text: node type, index, relation. */
function describePlan(node: unknown): string {
  const n = node as {
    'Node Type': string;
    'Scan Direction'?: string;
    'Index Name'?: string;
    'Relation Name'?: string;
    Plans?: unknown[];
  };
  const direction = n['Scan Direction'] === 'Backward' ? ' Backward' : '';
  const line = `${n['Node Type']}${n['Index Name'] ? `${direction} using ${n['Index Name']}` : ''}${n['Relation Name'] ? ` on ${n['Relation Name']}` : ''}`;
  return [line, ...(n.Plans ?? []).map(describePlan)].join('\n');
}
