import postgres from 'postgres';

export type Measured = { tenantId: string; userId: string };
export type Seeded = {
  /** The measured board: exactly 200 tasks over the three columns. */
  boardProjectId: string;
  /** Another project of the measured tenant, whose tasks the realtime measurement edits. */
  writeTaskId: string;
  writeTaskVersion: number;
  tasks: number;
  tenants: number;
  seconds: number;
};

const TASKS_PER_TENANT = 1_000;
const MEASURED_PROJECTS = 5; // × 200 tasks

/**
 * 1,000 tenants × 1,000 tasks, in bulk SQL on the server (generate_series), as the bootstrap superuser:
 * forced RLS binds the owner role too, and it has no policy, so only a role that bypasses RLS can write every
 * tenant's rows. `session_replication_role = replica` skips the foreign-key triggers, since the rows are
 * built consistent, and the tenant-revision triggers, since no board of these tenants has been read yet. The measured tenant (signed up through the app) gets five projects of 200 tasks and a
 * few comments; every other tenant three members and one project of 1,000 tasks.
 */
export async function seed(
  superuserUrl: string,
  measured: Measured,
  tenants = 1_000,
): Promise<Seeded> {
  const started = performance.now();
  const sql = postgres(superuserUrl, { max: 1, onnotice: () => {} });
  try {
    const others = tenants - 1;
    const m = measured.tenantId;
    await sql.begin(async (tx) => {
      await tx`set local session_replication_role = replica`;
      await tx`create temp table seed_tenants on commit drop as
        select i, gen_random_uuid() as tenant_id from generate_series(1, ${others}::int) i`;
      await tx`insert into tenants (id, slug, name)
        select tenant_id, 'seed-' || i, 'Seeded organization ' || i from seed_tenants`;
      await tx`create temp table seed_members on commit drop as
        select tenant_id, n, gen_random_uuid() as user_id from seed_tenants, generate_series(1, 3) n
        union all select ${m}::uuid, n, gen_random_uuid() from generate_series(1, 4) n`;
      await tx`insert into users (id, email, name, password_hash)
        select user_id, 'seed-' || user_id || '@example.test', 'Member ' || n, 'not-a-hash' from seed_members`;
      await tx`insert into memberships (tenant_id, user_id, role)
        select tenant_id, user_id, case when n = 1 and tenant_id <> ${m}::uuid then 'owner' else 'member' end
        from seed_members`;
      await tx`create temp table seed_teams on commit drop as
        select tenant_id, array_agg(user_id order by n) as ids from (
          select tenant_id, n, user_id from seed_members
          union all select ${m}::uuid, 0, ${measured.userId}::uuid
        ) t group by tenant_id`;
      await tx`create temp table seed_projects on commit drop as
        select tenant_id, 1 as n, gen_random_uuid() as project_id, ${TASKS_PER_TENANT}::int as tasks from seed_tenants
        union all select ${m}::uuid, n, gen_random_uuid(), ${TASKS_PER_TENANT / MEASURED_PROJECTS}::int
        from generate_series(1, ${MEASURED_PROJECTS}::int) n`;
      await tx`insert into projects (id, tenant_id, name, created_by)
        select p.project_id, p.tenant_id, 'Project ' || p.n, t.ids[1]
        from seed_projects p join seed_teams t using (tenant_id)`;
      await tx`insert into tasks (tenant_id, project_id, title, status, position, assignee_id, created_by, updated_by)
        select p.tenant_id, p.project_id, 'Task ' || k || ' of project ' || p.n,
          (array['todo', 'in_progress', 'done'])[k % 3 + 1], (k / 3 + 1) * 1024.0,
          case when k % 4 = 0 then null else t.ids[1 + k % cardinality(t.ids)] end,
          t.ids[1], t.ids[1 + k % cardinality(t.ids)]
        from seed_projects p join seed_teams t using (tenant_id), generate_series(0, p.tasks - 1) k`;
      // Comments on the measured board, so its comment counts read real rows.
      await tx`insert into task_comments (tenant_id, task_id, author_id, body)
        select t.tenant_id, t.id, t.created_by, 'Comment ' || c
        from tasks t join seed_projects p on p.project_id = t.project_id and p.tenant_id = t.tenant_id,
          generate_series(1, 2) c
        where t.tenant_id = ${m}::uuid and p.n = 1 and t.position::int % 2048 = 0`;
    });
    await sql.unsafe(
      'vacuum (analyze) tenants, users, memberships, projects, tasks, task_comments',
    );
    // The million rows' dirty pages are written now, not by a checkpoint in the middle of a measurement.
    await sql.unsafe('checkpoint');
    const [board] =
      await sql`select id from projects where tenant_id = ${m} and name = 'Project 1'`;
    const [writeTask] = await sql`
      select t.id, t.version from tasks t join projects p on p.tenant_id = t.tenant_id and p.id = t.project_id
      where t.tenant_id = ${m} and p.name = 'Project 2' order by t.position limit 1`;
    const [counts] =
      await sql`select count(*)::int as tasks, (select count(*)::int from tenants) as tenants from tasks`;
    const [board200] = await sql`select count(*)::int as n, count(distinct status)::int as statuses
      from tasks where tenant_id = ${m} and project_id = ${board!.id}`;
    if (board200!.n !== 200 || board200!.statuses !== 3)
      throw new Error(
        `The measured board has ${board200!.n} tasks in ${board200!.statuses} columns.`,
      );
    return {
      boardProjectId: board!.id,
      writeTaskId: writeTask!.id,
      writeTaskVersion: writeTask!.version,
      tasks: counts!.tasks,
      tenants: counts!.tenants,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await sql.end();
  }
}
