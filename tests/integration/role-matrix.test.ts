import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { asSuperuser, connect, type Sql, urls } from '../support/db';
import { loadRouteHandlers, loadServerActions } from '../support/entry-points';
import { request } from '../support/fake-request';
import { pointAppAtRealtime, Realm } from './realtime/harness';

/**
 * Who may do what: every server action and route handler, called as each kind of person, against the table
 * written out below. Any allow or deny the table does not expect fails the test, so a permission that
 * drifts (an action that forgets its check, a page that starts refusing an owner) is caught here.
 *
 * Rows are people, relative to organization A, all presenting themselves on A's host except `other`:
 * - owner, admin, member, viewer: active members of A with that role;
 * - deactivated, removed: former active members of A whose session row is still live;
 * - outsider: a person with an account (a member elsewhere) whose cookie is for their own organization;
 * - other: the owner of organization B, on B's own host, naming A's ids.
 * Each cell starts from fresh targets, created by A's owner, and a fresh session of the person.
 */

vi.mock('next/headers', () => import('../support/fake-request'));
vi.mock('@/lib/observability/queue-source', () => ({ queueStatsSource: null }));
vi.mock('@/lib/auth/auth', async () => ({
  ...(await import('../support/fake-request')),
  signIn: async () => '/',
  signOut: async () => undefined,
}));
request.ip = '203.0.113.77';

const orgs = await import('../support/orgs');

const PERSONAS = [
  'owner',
  'admin',
  'member',
  'viewer',
  'deactivated',
  'removed',
  'outsider',
  'other',
] as const;
type Persona = (typeof PERSONAS)[number];

/**
 * Members actions aim at a fresh member of A (`memberId`, role member). Reactivating an active member is a
 * `conflict` for those allowed to try; A's and B's owners are each their organization's last owner, so they
 * cannot leave (`conflict`); the transfer is sent a wrong password.
 *
 * The outcome of a call: `ok`, or the error code of a refusal (`forbidden`, `unauthenticated`, `not_found`,
 * `invalid`, …). Password-gated actions are sent a wrong password, so a person allowed to try gets
 * `invalid` (this is not your password) where one who may not gets `forbidden` or `unauthenticated`; recovery
 * codes of someone without two-factor sign-in are a `conflict`.
 */
const EXPECTED_ACTIONS = `
action                   owner      admin      member     viewer     deactivated  removed      outsider     other
createProject            ok         ok         ok         forbidden  unauth       unauth       unauth       ok
renameProject            ok         ok         ok         forbidden  unauth       unauth       unauth       not_found
deleteProject            ok         ok         forbidden  forbidden  unauth       unauth       unauth       not_found
createTask               ok         ok         ok         forbidden  unauth       unauth       unauth       not_found
updateTask               ok         ok         ok         forbidden  unauth       unauth       unauth       not_found
moveTask                 ok         ok         ok         forbidden  unauth       unauth       unauth       not_found
deleteTask               ok         ok         forbidden  forbidden  unauth       unauth       unauth       not_found
addComment               ok         ok         ok         forbidden  unauth       unauth       unauth       not_found
editComment              ok         forbidden  forbidden  forbidden  unauth       unauth       unauth       not_found
deleteComment            ok         ok         forbidden  forbidden  unauth       unauth       unauth       not_found
revokeMySession          ok         ok         ok         ok         unauth       unauth       unauth       not_found
revokeOtherSessions      ok         ok         ok         ok         unauth       unauth       unauth       ok
changePassword           invalid    invalid    invalid    invalid    unauth       unauth       unauth       invalid
requestEmailChange       invalid    invalid    invalid    invalid    unauth       unauth       unauth       invalid
startTwoFactorSetup      invalid    invalid    invalid    invalid    unauth       unauth       unauth       invalid
regenerateRecoveryCodes  conflict   conflict   conflict   conflict   unauth       unauth       unauth       conflict
setTwoFactorRequirement  ok         forbidden  forbidden  forbidden  unauth       unauth       unauth       ok
confirmTwoFactorSetup    invalid    invalid    invalid    invalid    unauth       unauth       unauth       invalid
disableTwoFactor         conflict   conflict   conflict   conflict   unauth       unauth       unauth       conflict
confirmEmail             invalid    invalid    invalid    invalid    invalid    invalid    invalid    invalid
resetPassword            invalid    invalid    invalid    invalid    invalid    invalid    invalid    invalid
confirmUnlock            invalid    invalid    invalid    invalid    invalid    invalid    invalid    invalid
confirmEmailChange       invalid    invalid    invalid    invalid    invalid    invalid    invalid    invalid
goToOrganization         ok         ok         ok         ok         ok         ok         ok         ok
signOutAction            ok         ok         ok         ok         ok         ok         ok         ok
updateOrganizationSettings  conflict   forbidden  forbidden  forbidden  unauth       unauth       unauth       conflict
changeSubdomain          conflict   forbidden  forbidden  forbidden  unauth       unauth       unauth       conflict
uploadLogo               conflict   forbidden  forbidden  forbidden  unauth       unauth       unauth       conflict
removeLogo               conflict   forbidden  forbidden  forbidden  unauth       unauth       unauth       conflict
changeName               ok         ok         ok         ok         unauth       unauth       unauth       ok
deleteAccount            conflict   invalid    invalid    invalid    unauth       unauth       unauth       conflict
changeMemberRole         ok         ok         forbidden  forbidden  unauth       unauth       unauth       not_found
deactivateMember         ok         ok         forbidden  forbidden  unauth       unauth       unauth       not_found
reactivateMember         conflict   conflict   forbidden  forbidden  unauth       unauth       unauth       not_found
removeMember             ok         ok         forbidden  forbidden  unauth       unauth       unauth       not_found
transferOwnership        invalid    forbidden  forbidden  forbidden  unauth       unauth       unauth       not_found
leaveOrganization        conflict   ok         ok         ok         unauth       unauth       unauth       conflict
switchOrganization       invalid    invalid    invalid    invalid    unauth       unauth       unauth       not_found
createOrganizationFromSwitcher  ok  ok         ok         ok         unauth       unauth       unauth       ok
inviteMembers            ok         ok         forbidden  forbidden  unauth       unauth       unauth       ok
resendInvitation         ok         ok         forbidden  forbidden  unauth       unauth       unauth       not_found
revokeInvitation         ok         ok         forbidden  forbidden  unauth       unauth       unauth       not_found
`;

const EXPECTED_ROUTES = `
route                         owner      admin      member     viewer     deactivated  removed      outsider     other
GET /api/projects             ok         ok         ok         ok         unauth       unauth       unauth       ok
GET /api/projects/[id]/board  ok         ok         ok         ok         unauth       unauth       unauth       not_found
GET /api/tasks/[id]           ok         ok         ok         ok         unauth       unauth       unauth       not_found
PATCH /api/tasks/[id]         ok         ok         ok         forbidden  unauth       unauth       unauth       not_found
DELETE /api/tasks/[id]        ok         ok         forbidden  forbidden  unauth       unauth       unauth       not_found
GET /api/my-organizations     ok         ok         ok         ok         unauth       unauth       unauth       ok
GET /api/audit-log/export     ok         ok         forbidden  forbidden  unauth       unauth       unauth       ok
`;

function parseTable(text: string): Map<string, Record<Persona, string>> {
  const lines = text.trim().split('\n').slice(1);
  const table = new Map<string, Record<Persona, string>>();
  for (const line of lines) {
    const cells = line.trim().split(/\s{2,}/);
    const [name, ...outcomes] = cells;
    expect(outcomes, `row ${name}`).toHaveLength(PERSONAS.length);
    table.set(
      name!,
      Object.fromEntries(PERSONAS.map((p, i) => [p, outcomes[i]!])) as Record<Persona, string>,
    );
  }
  return table;
}

type Targets = {
  projectId: string;
  taskId: string;
  commentId: string;
  sessionId: string;
  invitationId: string;
  slug: string;
  memberId: string;
};

const STALE = 2_000_000_000;
/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** A well-formed call of each action, aimed at A's targets. */
const ACTION_INPUTS: Record<string, (t: Targets) => unknown> = {
  createProject: () => ({ name: `Matrix ${randomUUID().slice(0, 6)}` }),
  renameProject: (t) => ({ id: t.projectId, name: 'Renamed', version: 1 }),
  deleteProject: (t) => ({ id: t.projectId }),
  createTask: (t) => ({ projectId: t.projectId, title: 'Task' }),
  updateTask: (t) => ({ id: t.taskId, version: 1, title: 'Edited' }),
  moveTask: (t) => ({ id: t.taskId, version: 1, status: 'done', afterId: null, beforeId: null }),
  deleteTask: (t) => ({ id: t.taskId }),
  addComment: (t) => ({ taskId: t.taskId, body: 'A comment' }),
  editComment: (t) => ({ id: t.commentId, version: 1, body: 'Edited' }),
  deleteComment: (t) => ({ id: t.commentId }),
  revokeMySession: (t) => ({ id: t.sessionId }),
  revokeOtherSessions: () => ({}),
  changePassword: () => ({
    current: 'not-the-password-1',
    password: 'violet-harbor-cobalt-77',
    confirm: 'violet-harbor-cobalt-77',
  }),
  requestEmailChange: () => ({ email: 'matrix-new@example.test', password: 'not-the-password-1' }),
  startTwoFactorSetup: () => ({ password: 'not-the-password-1' }),
  regenerateRecoveryCodes: () => ({ password: 'not-the-password-1' }),
  setTwoFactorRequirement: () => ({ required: false }),
  confirmTwoFactorSetup: () => ({ code: '123456' }),
  disableTwoFactor: () => ({ password: 'not-the-password-1', code: '123456' }),
  // Emailed links: whoever opens one, a token that is not live is refused the same way.
  confirmEmail: () => ({ token: 'x'.repeat(43) }),
  resetPassword: () => ({
    token: 'x'.repeat(43),
    password: 'violet-harbor-cobalt-77',
    confirm: 'violet-harbor-cobalt-77',
  }),
  confirmUnlock: () => ({ token: 'x'.repeat(43) }),
  confirmEmailChange: () => ({ token: 'x'.repeat(43) }),
  goToOrganization: (t) => ({ address: t.slug }),
  // The shell's form: it answers nothing and ends whatever session it is sent with.
  signOutAction: () => new FormData(),
  // Organization settings at a version nobody has: an owner gets as far as the conflict, and nothing changes.
  updateOrganizationSettings: () => ({ version: STALE, sessionIdleDays: 7 }),
  changeSubdomain: () => ({ version: STALE, slug: `matrix-${randomUUID().slice(0, 8)}` }),
  uploadLogo: () => ({ version: STALE, logo: new File([new Uint8Array(PNG)], 'logo.png') }),
  removeLogo: () => ({ version: STALE }),
  changeName: () => ({ name: 'Matrix Person' }),
  deleteAccount: () => ({ password: 'not-the-password-1' }),
  changeMemberRole: (t) => ({ userId: t.memberId, version: 1, role: 'viewer' }),
  deactivateMember: (t) => ({ userId: t.memberId, version: 1 }),
  reactivateMember: (t) => ({ userId: t.memberId, version: 1 }),
  removeMember: (t) => ({ userId: t.memberId, version: 1 }),
  transferOwnership: (t) => ({
    userId: t.memberId,
    version: 1,
    password: 'not-the-password-1',
  }),
  leaveOrganization: () => ({}),
  // To A itself: its members are already there; B's owner is no member of A.
  switchOrganization: () => ({ organizationId: a.tenantId }),
  // Any signed-in person may create an organization of their own, whatever their role here.
  createOrganizationFromSwitcher: () => ({
    organizationName: 'Matrix organization',
    slug: `matrix-new-${randomUUID().slice(0, 8)}`,
  }),
  // B's owner invites into B, their own organization; A's invitation is not theirs to touch.
  inviteMembers: () => ({
    invitees: [
      { email: `matrix-${randomUUID().slice(0, 8)}@example.test`, role: 'member' },
      { email: `matrix-${randomUUID().slice(0, 8)}@example.test`, role: 'viewer' },
    ],
  }),
  resendInvitation: (t) => ({ id: t.invitationId, version: 1 }),
  revokeInvitation: (t) => ({ id: t.invitationId, version: 1 }),
};

const ROUTE_CALLS: Record<
  string,
  { params?: (t: Targets) => Record<string, string>; body?: (t: Targets) => unknown }
> = {
  'GET /api/projects': {},
  'GET /api/projects/[id]/board': { params: (t) => ({ id: t.projectId }) },
  'GET /api/tasks/[id]': { params: (t) => ({ id: t.taskId }) },
  'PATCH /api/tasks/[id]': {
    params: (t) => ({ id: t.taskId }),
    body: () => ({ version: 1, title: 'Via HTTP' }),
  },
  'DELETE /api/tasks/[id]': { params: (t) => ({ id: t.taskId }), body: () => ({}) },
  'GET /api/my-organizations': {},
  // B's owner, on B's host, exports B's own trail: the host picks the tenant, never the request.
  'GET /api/audit-log/export': {},
};

let platform: Sql;
let realm: Realm;
let a: Awaited<ReturnType<typeof orgs.signUpOrg>>;
let b: Awaited<ReturnType<typeof orgs.signUpOrg>>;
let outsiderOrg: Awaited<ReturnType<typeof orgs.signUpOrg>>;
const people = {} as Record<Persona, { userId: string; tenantId: string; slug: string }>;

beforeAll(async () => {
  realm = await Realm.start();
  pointAppAtRealtime(realm.server.port);
  platform = connect(urls().platform, 2);
  [a, b, outsiderOrg] = await Promise.all([
    orgs.signUpOrg(platform, 'matrix-a'),
    orgs.signUpOrg(platform, 'matrix-b'),
    orgs.signUpOrg(platform, 'matrix-out'),
  ]);
  const at = (org: typeof a, userId: string) => ({
    userId,
    tenantId: org.tenantId,
    slug: org.slug,
  });
  people.owner = at(a, a.session.userId);
  for (const role of ['admin', 'member', 'viewer'] as const) {
    people[role] = at(a, (await orgs.addMember(platform, a, role)).userId);
  }
  for (const [persona, status] of [
    ['deactivated', 'deactivated'],
    ['removed', 'removed'],
  ] as const) {
    const { userId } = await orgs.addMember(platform, a, 'member');
    await asSuperuser(
      (sql) =>
        sql`update memberships set status = ${status} where tenant_id = ${a.tenantId} and user_id = ${userId}`,
    );
    people[persona] = at(a, userId);
  }
  people.outsider = at(outsiderOrg, outsiderOrg.session.userId);
  people.other = at(b, b.session.userId);
});
afterAll(async () => {
  await realm.close();
  await platform.end();
});

/**
 * A's project, task and comment, all by A's owner, and another session of the acting person: written in one
 * statement as the superuser, since the matrix needs a fresh set for each of its few hundred cells.
 */
async function prepare(persona: Persona): Promise<Targets> {
  const person = people[persona];
  // For B's owner, the other session is one of A's owner: another tenant's row.
  const otherSessionOf = persona === 'other' ? people.owner : person;
  // A member who left in the previous cell is back, with their role.
  if (['admin', 'member', 'viewer'].includes(persona)) {
    await asSuperuser(
      (sql) =>
        sql`update memberships set status = 'active' where tenant_id = ${a.tenantId} and user_id = ${person.userId} and status <> 'active'`,
    );
  }
  const [row] = await asSuperuser(
    (sql) => sql`
      with project as (
        insert into projects (tenant_id, name, created_by)
        values (${a.tenantId}, ${`Target ${randomUUID().slice(0, 6)}`}, ${a.session.userId})
        returning id
      ), task as (
        insert into tasks (tenant_id, project_id, title, position, created_by)
        select ${a.tenantId}, id, 'Target task', 1, ${a.session.userId} from project
        returning id
      ), comment as (
        insert into task_comments (tenant_id, task_id, author_id, body)
        select ${a.tenantId}, id, ${a.session.userId}, 'Target comment' from task
        returning id
      ), invitation as (
        insert into invitations (tenant_id, email, role, invited_by, expires_at)
        values (${a.tenantId}, ${`matrix-${randomUUID().slice(0, 8)}@example.test`}, 'member',
          ${a.session.userId}, now() + interval '7 days')
        returning id
      ), acting as (
        insert into sessions (tenant_id, user_id, expires_at)
        values (${person.tenantId}, ${person.userId}, now() + interval '1 day')
        returning id
      ), other as (
        insert into sessions (tenant_id, user_id, expires_at)
        values (${otherSessionOf.tenantId}, ${otherSessionOf.userId}, now() + interval '1 day')
        returning id
      ), target_user as (
        insert into users (email, name, password_hash)
        values (${`target-${randomUUID().slice(0, 8)}@example.test`}, 'Target member', 'x')
        returning id
      ), target as (
        insert into memberships (tenant_id, user_id, role)
        select ${a.tenantId}, id, 'member' from target_user
        returning user_id
      )
      select (select id from project) as "projectId", (select id from task) as "taskId",
        (select id from comment) as "commentId", (select id from acting) as "actingId",
        (select id from other) as "otherId", (select user_id from target) as "memberId",
        (select id from invitation) as "invitationId"`,
  );
  request.host = `${persona === 'other' ? b.slug : a.slug}.localhost:3000`;
  request.pointer = { sessionId: row!.actingId, tenantId: person.tenantId, userId: person.userId };
  return {
    projectId: row!.projectId,
    taskId: row!.taskId,
    commentId: row!.commentId,
    sessionId: row!.otherId,
    invitationId: row!.invitationId,
    slug: a.slug,
    memberId: row!.memberId,
  };
}

const CODE_OF_STATUS: Record<number, string> = {
  400: 'invalid',
  401: 'unauth',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  429: 'rate_limited',
};

function outcomeOfResult(result: { ok: boolean; error?: { code: string } } | undefined): string {
  if (result === undefined || result.ok) return 'ok';
  const code = result.error!.code;
  return code === 'unauthenticated' ? 'unauth' : code;
}

type ActionFn = (input: unknown) => Promise<{ ok: boolean; error?: { code: string } } | undefined>;
type RouteFn = (r: Request, c: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Route handlers that serve no member: public, operational, or realtime plumbing tested on its own. */
const ROUTES_WITHOUT_ROLES = new Set([
  'GET /api/health',
  'GET /api/ready',
  'GET /api/metrics',
  'GET /api/static',
  'GET /api/slug-availability',
  // An organization's logo is public: its sign-in page shows it.
  'GET /api/logo',
  'POST /api/signup',
  'POST /api/find-organizations',
  'POST /api/login',
  'POST /api/login/second-factor',
  'POST /api/password-reset',
  'POST /api/email-verification/resend',
  'POST /api/pusher/auth',
  'POST /api/pusher/user-auth',
  // Joining: for people who are no members yet (tests/integration/invitations.test.ts, join-by-domain.test.ts).
  'POST /api/invitations/accept',
  'POST /api/join',
  'POST /api/join/complete',
]);

const actionTable = parseTable(EXPECTED_ACTIONS);
const routeTable = parseTable(EXPECTED_ROUTES);
let actions: Record<string, ActionFn>;
let routes: Record<string, RouteFn>;

describe('the role matrix', () => {
  beforeAll(async () => {
    [actions, routes] = await Promise.all([
      loadServerActions<ActionFn>(),
      loadRouteHandlers<RouteFn>(),
    ]);
  });

  it('has a row for every server action and every member route, and no other', () => {
    expect([...actionTable.keys()].sort()).toEqual(Object.keys(actions).sort());
    expect([...actionTable.keys()].sort()).toEqual(Object.keys(ACTION_INPUTS).sort());
    const memberRoutes = Object.keys(routes).filter((key) => !ROUTES_WITHOUT_ROLES.has(key));
    expect([...routeTable.keys()].sort()).toEqual(memberRoutes.sort());
    expect([...routeTable.keys()].sort()).toEqual(Object.keys(ROUTE_CALLS).sort());
  });

  for (const [name, expected] of actionTable) {
    it(`server action ${name}`, async () => {
      const mismatches: string[] = [];
      for (const persona of PERSONAS) {
        const targets = await prepare(persona);
        const outcome = outcomeOfResult(await actions[name]!(ACTION_INPUTS[name]!(targets)));
        if (outcome !== expected[persona])
          mismatches.push(`as ${persona}: expected ${expected[persona]}, got ${outcome}`);
      }
      expect(mismatches).toEqual([]);
    }, 60_000);
  }

  for (const [key, expected] of routeTable) {
    it(`route ${key}`, async () => {
      const [method, path] = key.split(' ') as [string, string];
      const call = ROUTE_CALLS[key]!;
      const mismatches: string[] = [];
      for (const persona of PERSONAS) {
        const targets = await prepare(persona);
        const body = call.body?.(targets);
        const response = await routes[key]!(
          new Request(`http://${request.host}${path}`, {
            method,
            headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
            body: body === undefined ? undefined : JSON.stringify(body),
          }),
          { params: Promise.resolve(call.params?.(targets) ?? {}) },
        );
        const outcome =
          response.status < 300
            ? 'ok'
            : (CODE_OF_STATUS[response.status] ?? String(response.status));
        if (outcome !== expected[persona])
          mismatches.push(`as ${persona}: expected ${expected[persona]}, got ${outcome}`);
      }
      expect(mismatches).toEqual([]);
    }, 60_000);
  }
});
