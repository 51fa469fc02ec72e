import postgres from 'postgres';
import type { Board, TaskCard } from '@/lib/tasks/queries';
import { type Answer, call } from './http';
import type { Organization } from './organizations';
import type { AppProcess, PoolerStack } from './stack';

/**
 * Many concurrent requests, each for one tenant through one app process, alternating both, checking that
 * every answer holds its own tenant's canary rows and nobody else's. Server connections of PgBouncer pass
 * from one tenant's transaction to another's between two requests; a tenant context that outlived its
 * transaction would show here as a foreign row, a missing one or a wrong count.
 */

const KINDS = ['board', 'projects', 'task', 'write'] as const;
type Kind = (typeof KINDS)[number];

export type LoadReport = {
  requests: number;
  byKind: Record<Kind, number>;
  problems: string[];
};

type Step = { app: AppProcess; org: Organization; other: Organization; kind: Kind; client: number };

function expectTenantRows(step: Step, answer: Answer, problems: string[]) {
  const { org, kind } = step;
  const where = `${step.app.name}, ${org.slug}, ${kind}`;
  const own = (title: string) => title.startsWith(`${org.canary} #`);
  if (answer.status !== 200) {
    problems.push(`${where}: ${answer.status} ${answer.body.slice(0, 200)}`);
    return null;
  }
  const body = JSON.parse(answer.body) as unknown;
  if (kind === 'board') {
    const board = body as Board;
    const foreign = board.tasks.filter((t) => t.projectId !== org.projectId || !own(t.title));
    if (board.project.id !== org.projectId || board.project.name !== org.canary)
      problems.push(`${where}: the board of ${board.project.name}`);
    if (foreign.length > 0) problems.push(`${where}: foreign cards ${foreign.map((t) => t.title)}`);
    if (board.tasks.length !== org.tasks.length)
      problems.push(`${where}: ${board.tasks.length} cards, not ${org.tasks.length}`);
    if (board.members.some((m) => m.id !== org.userId))
      problems.push(`${where}: foreign members ${board.members.map((m) => m.name)}`);
  } else if (kind === 'projects') {
    const { projects } = body as { projects: { id: string; name: string }[] };
    if (projects.length !== 1 || projects[0]!.id !== org.projectId)
      problems.push(`${where}: projects ${projects.map((p) => p.name)}`);
  } else {
    const task = body as TaskCard;
    if (task.projectId !== org.projectId || !own(task.title))
      problems.push(`${where}: the task ${task.title}`);
    return task;
  }
  return null;
}

/** Another tenant's row, named on this tenant's host: it must be exactly as absent as a row that never was. */
async function expectNotFound(step: Step, path: string, method: string, problems: string[]) {
  const other = step.other.tasks[step.client % step.other.tasks.length]!;
  const answer = await call(step.app, step.org.host, `${path}/${other.id}`, {
    method,
    cookie: step.org.cookie,
    json: method === 'PATCH' ? { version: other.version, title: 'stolen' } : undefined,
  });
  if (answer.status !== 404)
    problems.push(
      `${step.app.name}, ${step.org.slug}: ${method} of a foreign task answered ${answer.status}`,
    );
}

export async function runMixedTenantLoad(
  stack: PoolerStack,
  orgs: Organization[],
  { clients, iterations }: { clients: number; iterations: number },
): Promise<LoadReport> {
  const problems: string[] = [];
  const byKind = { board: 0, projects: 0, task: 0, write: 0 } as Record<Kind, number>;
  // Client i alone writes task i of every tenant, so it knows each version it writes against.
  const versions = orgs.map((org) => org.tasks.map((t) => t.version));
  const writes = orgs.map(() => 0);

  async function runStep(step: Step) {
    const { app, org, kind, client } = step;
    const orgIndex = orgs.indexOf(org);
    byKind[kind]++;
    if (kind === 'board') {
      const answer = await call(app, org.host, `/api/projects/${org.projectId}/board`, {
        cookie: org.cookie,
      });
      expectTenantRows(step, answer, problems);
    } else if (kind === 'projects') {
      expectTenantRows(
        step,
        await call(app, org.host, '/api/projects', { cookie: org.cookie }),
        problems,
      );
    } else if (kind === 'task') {
      const task = org.tasks[(client * 7 + byKind.task) % org.tasks.length]!;
      expectTenantRows(
        step,
        await call(app, org.host, `/api/tasks/${task.id}`, { cookie: org.cookie }),
        problems,
      );
      await expectNotFound(step, '/api/tasks', 'GET', problems);
    } else {
      const task = org.tasks[client]!;
      const version = versions[orgIndex]![client]!;
      const title = `${org.canary} #${client + 1} write ${++writes[orgIndex]!}`;
      const answer = await call(app, org.host, `/api/tasks/${task.id}`, {
        method: 'PATCH',
        cookie: org.cookie,
        json: { version, title },
      });
      const written = expectTenantRows(step, answer, problems);
      if (written) {
        if (written.id !== task.id || written.title !== title || written.version !== version + 1)
          problems.push(`${app.name}, ${org.slug}: wrote ${JSON.stringify(written)}`);
        versions[orgIndex]![client] = written.version;
      }
      await expectNotFound(step, '/api/tasks', 'PATCH', problems);
    }
  }

  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let j = 0; j < iterations; j++) {
        // Over consecutive steps every pairing of process and tenant comes up, and each kind with each.
        const c = client + j;
        const org = orgs[c % orgs.length]!;
        const step: Step = {
          app: stack.apps[c % 2]!,
          org,
          other: orgs[(c + 1) % orgs.length]!,
          kind: KINDS[Math.floor(c / (2 * orgs.length)) % KINDS.length]!,
          client,
        };
        try {
          await runStep(step);
        } catch (error) {
          problems.push(`${step.app.name}, ${org.slug}, ${step.kind}: ${String(error)}`);
        }
      }
    }),
  );
  for (const [i, org] of orgs.entries()) {
    org.tasks.forEach((t, k) => {
      t.version = versions[i]![k]!;
    });
  }
  const requests = Object.values(byKind).reduce((a, b) => a + b, 0);
  return { requests, byKind, problems };
}

export type ContextProbe = { probes: number; leaks: string[] };

/**
 * Queries as the runtime role through PgBouncer, outside withTenant, on the server connections the load is
 * passing between tenants: each must find no tenant context and therefore no tenant row.
 */
export async function probeTenantContext(pooledAppUrl: string, until: Promise<unknown>) {
  const sql = postgres(pooledAppUrl, { max: 4, prepare: false, onnotice: () => {} });
  const report: ContextProbe = { probes: 0, leaks: [] };
  let done = false;
  void until.finally(() => {
    done = true;
  });
  try {
    do {
      const rows = await Promise.all(
        Array.from(
          { length: 4 },
          () => sql`
            select current_setting('app.tenant_id', true) as tenant,
              current_setting('app.user_id', true) as "user",
              (select count(*) from projects)::int as projects,
              (select count(*) from tasks)::int as tasks,
              (select count(*) from outbox_events)::int as events`,
        ),
      );
      for (const [row] of rows) {
        report.probes++;
        const { tenant, user, projects, tasks, events } = row!;
        if (tenant || user || projects || tasks || events) report.leaks.push(JSON.stringify(row));
      }
    } while (!done);
  } finally {
    await sql.end();
  }
  return report;
}

/** What PgBouncer's console says about one role's clients and server connections. */
export async function poolerConnections(consoleUrl: string, role: string) {
  const sql = postgres(consoleUrl, { max: 1, fetch_types: false, onnotice: () => {} });
  try {
    const clients = await sql.unsafe('SHOW CLIENTS').simple();
    const servers = await sql.unsafe('SHOW SERVERS').simple();
    const ofRole = (rows: postgres.Row[]) => rows.filter((r) => r.user === role);
    const byApplication: Record<string, number> = {};
    for (const client of ofRole(clients)) {
      const name = String(client.application_name);
      byApplication[name] = (byApplication[name] ?? 0) + 1;
    }
    return { clients: ofRole(clients).length, servers: ofRole(servers).length, byApplication };
  } finally {
    await sql.end();
  }
}
