import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pointAppAtRealtime, Realm } from '../integration/realtime/harness';
import { connect, type Sql, urls } from '../support/db';
import { loadRouteHandlers, loadServerActions } from '../support/entry-points';
import { request } from '../support/fake-request';

/**
 * Every server action and route handler, fed malformed input: wrong types, huge, empty, NUL bytes, Unicode,
 * numbers out of range, extra keys. Whatever arrives, the answer is never a 5xx (a thrown action, an
 * `internal` failure, a 500), always the project's error shape, and a refused call writes nothing (row
 * counts of every table, read as the superuser, are the same before and after). Fixed seed, so a failure
 * replays; fast-check prints the smallest input that breaks it.
 */

vi.mock('next/headers', () => import('../support/fake-request'));
// No worker drains this database's jobs, so its queue would rightly fail readiness (a 503) once a mail job
// has waited two minutes; readiness has tests of its own (tests/integration/readiness.test.ts).
vi.mock('@/lib/observability/queue-source', () => ({ queueStatsSource: null }));
vi.mock('@/lib/auth/auth', async () => ({
  ...(await import('../support/fake-request')),
  signIn: async () => '/',
  signOut: async () => undefined,
}));

const SEED = 20261205;
const RUNS = 100;

const orgs = await import('../support/orgs');
const { withTenant } = await import('@/db/with-tenant');
const { issueHandoffToken, redeemHandoffToken } = await import('@/lib/auth/handoff');

type Action = (input: unknown) => Promise<unknown>;
type Handler = (
  request: Request,
  context: { params: Promise<Record<string, string>> },
) => Promise<Response>;

type Targets = {
  projectId: string;
  taskId: string;
  commentId: string;
  otherSessionId: string;
  /** Another member (role `member`) of the organization, for the members actions to act on. */
  memberId: string;
  ids: string[];
};
type Baseline = (t: Targets) => Record<string, unknown>;

const WRONG_PASSWORD = 'not-the-password-1';
const TOKEN = 'x'.repeat(43);
const NEW_PASSWORD = 'violet-harbor-cobalt-77';
/** The smallest PNG: its signature and a 1×1 image. */
const PNG_BYTES = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * A well-formed input for each server action: the fuzzer mostly keeps it and breaks one or two fields, so
 * broken values reach the code past validation (an out-of-range version with a real task id, a NUL byte in
 * an otherwise valid title), and sometimes sends anything at all.
 */
const ACTIONS: Record<string, Baseline> = {
  createProject: () => ({ name: 'Fuzz project', description: '' }),
  renameProject: (t) => ({ id: t.projectId, name: 'Renamed', version: 1 }),
  deleteProject: (t) => ({ id: t.projectId }),
  createTask: (t) => ({
    projectId: t.projectId,
    title: 'Task',
    status: 'todo',
    dueDate: '2027-01-31',
  }),
  updateTask: (t) => ({ id: t.taskId, version: 1, title: 'Edited', dueDate: '2027-02-28' }),
  moveTask: (t) => ({ id: t.taskId, version: 1, status: 'done', afterId: null, beforeId: null }),
  deleteTask: (t) => ({ id: t.taskId }),
  addComment: (t) => ({ taskId: t.taskId, body: 'A comment' }),
  editComment: (t) => ({ id: t.commentId, version: 1, body: 'Edited comment' }),
  deleteComment: (t) => ({ id: t.commentId }),
  revokeMySession: (t) => ({ id: t.otherSessionId }),
  revokeOtherSessions: () => ({}),
  changePassword: () => ({
    current: WRONG_PASSWORD,
    password: NEW_PASSWORD,
    confirm: NEW_PASSWORD,
  }),
  requestEmailChange: () => ({ email: 'fuzz-new@example.test', password: WRONG_PASSWORD }),
  startTwoFactorSetup: () => ({ password: WRONG_PASSWORD }),
  confirmTwoFactorSetup: () => ({ code: '123456' }),
  regenerateRecoveryCodes: () => ({ password: WRONG_PASSWORD }),
  disableTwoFactor: () => ({ password: WRONG_PASSWORD, code: '123456' }),
  setTwoFactorRequirement: () => ({ required: false }),
  confirmEmail: () => ({ token: TOKEN }),
  resetPassword: () => ({ token: TOKEN, password: NEW_PASSWORD, confirm: NEW_PASSWORD }),
  confirmUnlock: () => ({ token: TOKEN }),
  confirmEmailChange: () => ({ token: TOKEN }),
  goToOrganization: () => ({ address: 'fuzz' }),
  updateOrganizationSettings: () => ({
    version: 1,
    name: 'Fuzzed organization',
    accentColor: '#4f46e5',
    defaultRole: 'member',
    allowedEmailDomains: 'example.test',
    sessionIdleDays: 7,
    auditRetention: '365',
  }),
  changeSubdomain: () => ({ version: 1, slug: `fz-${randomUUID().slice(0, 8)}` }),
  uploadLogo: () => ({
    version: 1,
    logo: new File([new Uint8Array(PNG_BYTES)], 'logo.png', { type: 'image/png' }),
  }),
  removeLogo: () => ({ version: 1 }),
  changeName: () => ({ name: 'Fuzz Person' }),
  deleteAccount: () => ({ password: WRONG_PASSWORD }),
  inviteMembers: () => ({
    invitees: [
      { email: 'fuzz-invitee@example.test', role: 'member' },
      { email: 'fuzz-viewer@example.test', role: 'viewer' },
    ],
  }),
  resendInvitation: (t) => ({ id: t.projectId, version: 1 }),
  revokeInvitation: (t) => ({ id: t.projectId, version: 1 }),
  signOutAction: () => ({}),
  changeMemberRole: (t) => ({ userId: t.memberId, version: 1, role: 'viewer' }),
  deactivateMember: (t) => ({ userId: t.memberId, version: 1 }),
  reactivateMember: (t) => ({ userId: t.memberId, version: 1 }),
  removeMember: (t) => ({ userId: t.memberId, version: 1 }),
  // The organization's only owner: always refused (an organization keeps an owner), never half-written.
  leaveOrganization: () => ({}),
  // A stale version, refused before the password is hashed: a hundred argon2 checks would outlast the test.
  transferOwnership: (t) => ({
    userId: t.memberId,
    version: 2,
    password: WRONG_PASSWORD,
    keepOwnership: false,
  }),
  switchOrganization: () => ({ organizationId: randomUUID() }),
  createOrganizationFromSwitcher: () => ({
    organizationName: 'Fuzzed switcher organization',
    slug: `fz-${randomUUID().slice(0, 8)}`,
  }),
};

type RouteSpec = {
  from: 'json' | 'form' | 'query';
  baseline: Baseline;
  params?: (t: Targets) => Record<string, string>;
};

/** Each route handler: where it reads its input, a well-formed input, and its URL params. */
const ROUTES: Record<string, RouteSpec> = {
  'GET /api/health': { from: 'query', baseline: () => ({}) },
  'GET /api/ready': { from: 'query', baseline: () => ({}) },
  // Without METRICS_TOKEN (as here) the endpoint answers 404 in the error shape.
  'GET /api/metrics': { from: 'query', baseline: () => ({}) },
  'GET /api/static': { from: 'query', baseline: () => ({}) },
  'GET /api/projects': { from: 'query', baseline: () => ({}) },
  'GET /api/projects/[id]/board': {
    from: 'query',
    baseline: () => ({}),
    params: (t) => ({ id: t.projectId }),
  },
  'GET /api/tasks/[id]': { from: 'query', baseline: () => ({}), params: (t) => ({ id: t.taskId }) },
  'PATCH /api/tasks/[id]': {
    from: 'json',
    baseline: () => ({ version: 1, title: 'Via the API', dueDate: '2027-03-31' }),
    params: (t) => ({ id: t.taskId }),
  },
  'DELETE /api/tasks/[id]': {
    from: 'json',
    baseline: () => ({}),
    params: (t) => ({ id: t.taskId }),
  },
  'POST /api/signup': {
    from: 'json',
    baseline: () => ({
      organizationName: 'Fuzzed organization',
      slug: `fz-${randomUUID().slice(0, 8)}`,
      name: 'Fuzz Person',
      email: `fz-${randomUUID().slice(0, 8)}@example.test`,
      password: NEW_PASSWORD,
    }),
  },
  'POST /api/login': {
    from: 'json',
    baseline: () => ({ email: 'fuzz@example.test', password: WRONG_PASSWORD, next: '/projects' }),
  },
  'POST /api/login/second-factor': {
    from: 'json',
    baseline: () => ({ challenge: TOKEN, code: '123456', next: '/' }),
  },
  'POST /api/password-reset': { from: 'json', baseline: () => ({ email: 'fuzz@example.test' }) },
  'POST /api/invitations/accept': {
    from: 'json',
    baseline: () => ({ token: TOKEN, name: 'Fuzz Person', password: NEW_PASSWORD, code: '123456' }),
  },
  'POST /api/join': { from: 'json', baseline: () => ({ email: 'fuzz@example.test' }) },
  'POST /api/join/complete': {
    from: 'json',
    baseline: () => ({ token: TOKEN, name: 'Fuzz Person', password: NEW_PASSWORD, code: '123456' }),
  },
  'POST /api/email-verification/resend': { from: 'json', baseline: () => ({}) },
  'POST /api/pusher/auth': {
    from: 'form',
    baseline: (t) => ({
      socket_id: '1234.5678',
      channel_name: `presence-tenant-${org.tenantId}-project-${t.projectId}`,
    }),
  },
  'POST /api/pusher/user-auth': { from: 'form', baseline: () => ({ socket_id: '1234.5678' }) },
  'GET /api/slug-availability': { from: 'query', baseline: () => ({ slug: 'some-team' }) },
  'GET /api/logo': { from: 'query', baseline: () => ({ v: '1' }) },
  'GET /api/audit-log/export': {
    from: 'query',
    baseline: () => ({ action: 'task.created', from: '2026-01-01', to: '2026-12-31' }),
  },
  'GET /api/my-organizations': { from: 'query', baseline: () => ({}) },
  'POST /api/find-organizations': {
    from: 'json',
    baseline: () => ({ email: 'fuzz@example.test' }),
  },
};

// Rows a refused call may add by design: attempts counted, security failures audited, a lock-out's mail
// (queued in outgoing_mail; its job lives in pgboss.job, which is not counted).
const MAY_GROW = new Set(['rate_limits', 'audit_events', 'mail_messages', 'outgoing_mail']);
let superuser: Sql;
let countAll: () => Promise<Record<string, number>>;

async function prepareCounter() {
  superuser = connect(urls().superuser, 1);
  const tables = await superuser<{ name: string }[]>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`;
  const counted = tables.map((t) => t.name).filter((name) => !MAY_GROW.has(name));
  // A refusal that locks an account mails an unlock link: that token is the lock's notice, not a half-write.
  const where = (t: string) =>
    t === 'single_use_tokens' ? ` where purpose <> 'unlock_account'` : '';
  const query = `select ${counted
    .map((t) => `(select count(*)::int from "${t}"${where(t)}) as "${t}"`)
    .join(', ')}`;
  countAll = async () => (await superuser.unsafe(query))[0] as Record<string, number>;
}

/** Values known to break careless code: each is also tried in every field of every entry point. */
const KNOWN_NASTY: unknown[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '0000-01-01',
  '1899-12-31',
  '10000-01-01',
  '2026-02-30',
  '2147483648',
  2147483648,
  -2147483649,
  -1,
  0,
  1e308,
  'NaN',
  null,
  true,
  [],
  {},
  '<b>bold</b>',
  '/\t/evil.example',
  '\u202e\ud800',
  'x'.repeat(5001),
  'ü'.repeat(400),
];

const nastyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '9999-12-31',
    '1e400',
    'todo',
    'done',
    'javascript:alert(1)',
    '%00',
    'a@b.co',
    '1.2',
    ...KNOWN_NASTY.filter((v) => typeof v === 'string'),
  ),
);
const nastyNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(2147483647, 2147483648, -2147483649, 0, -0, 1, 2, 2 ** 53 + 1, 1e308),
);

/** The well-formed input with one field replaced by each known nasty value, in turn. */
function knownNastyInputs(baseline: Record<string, unknown>): Record<string, unknown>[] {
  return Object.keys(baseline).flatMap((key) =>
    KNOWN_NASTY.map((value) => ({ ...baseline, [key]: value })),
  );
}

function valueArb(targets: Targets) {
  return fc.oneof(
    { weight: 5, arbitrary: nastyString },
    { weight: 2, arbitrary: nastyNumber },
    { weight: 1, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 2, arbitrary: fc.constantFrom(...targets.ids) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.object({ maxDepth: 2 }) },
  );
}

/**
 * Mostly the well-formed input with some fields broken, removed or added; sometimes the entry point's keys
 * all broken; now and then anything at all (an array, a number, a string, ...).
 */
function inputArb(baseline: Record<string, unknown>, targets: Targets) {
  const value = valueArb(targets);
  const keys = Object.keys(baseline);
  const extra = fc.dictionary(fc.string({ maxLength: 12 }), value, { maxKeys: 2 });
  const mutated = fc
    .tuple(
      fc.record(
        Object.fromEntries(
          keys.map((k) => [
            k,
            fc.oneof(
              { weight: 3, arbitrary: fc.constant(baseline[k]) },
              { weight: 1, arbitrary: value },
            ),
          ]),
        ),
        { requiredKeys: [] },
      ),
      fc.option(extra, { freq: 3 }),
    )
    .map(([own, more]) => ({ ...(more ?? {}), ...own }));
  const broken = fc
    .tuple(fc.record(Object.fromEntries(keys.map((k) => [k, value])), { requiredKeys: [] }), extra)
    .map(([own, more]) => ({ ...more, ...own }));
  return fc.oneof(
    { weight: 7, arbitrary: mutated },
    { weight: 2, arbitrary: broken },
    { weight: 1, arbitrary: fc.anything() },
  );
}

function expectFailureShape(failure: unknown, where: string) {
  const f = failure as { code?: unknown; message?: unknown };
  if (typeof f?.code !== 'string' || typeof f.message !== 'string' || f.message.length === 0) {
    throw new Error(`${where}: not the project's error shape: ${JSON.stringify(failure)}`);
  }
  if (f.code === 'internal') throw new Error(`${where}: an internal error (a 500): ${f.message}`);
}

/** How each entry point answered over its run, to check the fuzzer got past validation. */
const outcomes = new Map<string, Map<string, number>>();
function tally(entry: string, outcome: string) {
  const counts = outcomes.get(entry) ?? new Map<string, number>();
  counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  outcomes.set(entry, counts);
}

/** Runs one call and checks the invariant; returns whether it was refused. */
async function checkAction(name: string, action: Action, input: unknown): Promise<boolean> {
  let result: { ok?: unknown; error?: unknown };
  try {
    result = (await action(input)) as typeof result;
  } catch (error) {
    throw new Error(`${name} threw instead of returning a result: ${String(error)}`);
  }
  if (name === 'signOutAction' || result?.ok === true) {
    tally(name, 'ok');
    return false;
  }
  if (result?.ok !== false) throw new Error(`${name} returned ${JSON.stringify(result)}`);
  expectFailureShape(result.error, name);
  tally(name, (result.error as { code: string }).code);
  return true;
}

function buildRequest(
  key: string,
  from: 'json' | 'form' | 'query',
  input: unknown,
  raw: string | null,
) {
  const [method, path] = key.split(' ') as [string, string];
  const url = new URL(`http://fuzz.localhost:3000${path}`);
  if (from === 'query' && input && typeof input === 'object') {
    for (const [k, v] of Object.entries(input)) url.searchParams.set(k, String(v));
  }
  if (method === 'GET') return new Request(url);
  const body =
    raw ??
    (from === 'form' && input && typeof input === 'object'
      ? new URLSearchParams(Object.entries(input).map(([k, v]) => [k, String(v)])).toString()
      : (JSON.stringify(input) ?? ''));
  const type = from === 'form' ? 'application/x-www-form-urlencoded' : 'application/json';
  return new Request(url, { method, headers: { 'Content-Type': type }, body });
}

async function checkRoute(
  key: string,
  handler: Handler,
  request: Request,
  params: Record<string, string>,
): Promise<boolean> {
  let response: Response;
  try {
    response = await handler(request, { params: Promise.resolve(params) });
  } catch (error) {
    throw new Error(`${key} threw instead of answering: ${String(error)}`);
  }
  if (response.status >= 500) {
    throw new Error(`${key} answered ${response.status}: ${await response.text()}`);
  }
  if (response.status < 400) {
    tally(key, 'ok');
    return false;
  }
  const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
  expectFailureShape(body?.error, `${key} (${response.status})`);
  tally(key, (body?.error as { code: string } | undefined)?.code ?? 'none');
  return true;
}

let platform: Sql;
let realm: Realm;
let org: Awaited<ReturnType<typeof orgs.signUpOrg>>;
let actions: Record<string, Action>;
let routes: Record<string, Handler>;

beforeAll(async () => {
  // Sign-outs and revocations drop realtime connections: a real local server takes those calls.
  realm = await Realm.start();
  pointAppAtRealtime(realm.server.port);
  platform = connect(urls().platform, 2);
  await prepareCounter();
  [actions, routes] = await Promise.all([
    loadServerActions<Action>(),
    loadRouteHandlers<Handler>(),
  ]);
  org = await orgs.signUpOrg(platform, 'fuzz');
});
afterAll(async () => {
  console.log(
    JSON.stringify(Object.fromEntries([...outcomes].map(([k, v]) => [k, Object.fromEntries(v)]))),
  );
  await realm.close();
  await platform.end();
  await superuser.end();
});

async function newSession() {
  const token = await withTenant({ tenantId: org.tenantId, userId: null }, (tx) =>
    issueHandoffToken(tx, org.tenantId, org.session.userId),
  );
  return (await redeemHandoffToken(org.tenantId, token, { ip: null, userAgent: null }))!.sessionId;
}

/**
 * A fresh session to act in (an entry point may revoke it), another one to revoke, and a project, task and
 * comment for ids to point at.
 */
/** The organization's host as it is now: `changeSubdomain` may have moved it during a run. */
async function currentHost() {
  const [tenant] = await superuser`select slug from tenants where id = ${org.tenantId}`;
  return `${tenant!.slug}.localhost:3000`;
}

async function prepareTargets(): Promise<Targets> {
  const sessionId = await newSession();
  const otherSessionId = await newSession();
  request.host = await currentHost();
  request.pointer = { sessionId, tenantId: org.tenantId, userId: org.session.userId };
  const { createProject } = await import('@/lib/projects/actions');
  const { createTask, addComment } = await import('@/lib/tasks/actions');
  const project = await orgs.ok(createProject({ name: `Fuzz ${randomUUID().slice(0, 6)}` }));
  const task = await orgs.ok(createTask({ projectId: project.id, title: 'Fuzz target' }));
  const comment = await orgs.ok(addComment({ taskId: task.id, body: 'Fuzz comment' }));
  const member = await orgs.addMember(platform, org, 'member');
  const ids = [
    project.id,
    task.id,
    comment.comment.id,
    otherSessionId,
    org.session.userId,
    member.userId,
  ];
  return {
    projectId: project.id,
    taskId: task.id,
    commentId: comment.comment.id,
    otherSessionId,
    memberId: member.userId,
    ids,
  };
}

/** Each call from its own client address, so per-address budgets do not turn the run into 429s. */
const freshAddress = () => {
  request.ip = `198.19.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
};

describe('every entry point is fuzzed', () => {
  it('covers each server action and route handler the app exports', () => {
    expect(Object.keys(actions).sort()).toEqual(Object.keys(ACTIONS).sort());
    expect(Object.keys(routes).sort()).toEqual(Object.keys(ROUTES).sort());
  });
});

describe('server actions never answer 5xx and never half-write', () => {
  for (const name of Object.keys(ACTIONS)) {
    it(name, async () => {
      const targets = await prepareTargets();
      const pointer = request.pointer;
      const baseline = ACTIONS[name]!(targets);
      await fc.assert(
        fc.asyncProperty(inputArb(baseline, targets), async (input) => {
          request.pointer = pointer;
          request.host = await currentHost();
          freshAddress();
          const before = await countAll();
          const refused = await checkAction(name, actions[name]!, input);
          if (refused)
            expect(await countAll(), `${name} wrote rows and then failed`).toEqual(before);
        }),
        {
          seed: SEED,
          numRuns: RUNS,
          examples: knownNastyInputs(baseline).map((input) => [input] as [unknown]),
        },
      );
    }, 120_000);
  }
});

describe('route handlers never answer 5xx and never half-write', () => {
  for (const key of Object.keys(ROUTES)) {
    it(key, async () => {
      const targets = await prepareTargets();
      const pointer = request.pointer;
      const spec = ROUTES[key]!;
      const params = fc.record(
        Object.fromEntries(
          Object.entries(spec.params?.(targets) ?? {}).map(([name, id]) => [
            name,
            fc.oneof(
              { weight: 3, arbitrary: fc.constant(id) },
              { weight: 1, arbitrary: fc.constantFrom(...targets.ids) },
              { weight: 1, arbitrary: nastyString },
            ),
          ]),
        ),
      );
      const rawBody = fc.option(
        fc.oneof(fc.string(), fc.constantFrom('{', '[]', 'null', '"x"', '{"a":')),
        {
          freq: 5,
        },
      );
      const baseline = spec.baseline(targets);
      const baseParams = spec.params?.(targets) ?? {};
      await fc.assert(
        fc.asyncProperty(inputArb(baseline, targets), params, rawBody, async (input, p, raw) => {
          request.pointer = pointer;
          freshAddress();
          const before = await countAll();
          const refused = await checkRoute(
            key,
            routes[key]!,
            buildRequest(key, spec.from, input, raw),
            p,
          );
          if (refused)
            expect(await countAll(), `${key} wrote rows and then failed`).toEqual(before);
        }),
        {
          seed: SEED,
          numRuns: RUNS,
          examples: knownNastyInputs(baseline).map(
            (input) => [input, baseParams, null] as [unknown, Record<string, string>, null],
          ),
        },
      );
    }, 120_000);
  }
});

/** Entry points whose domain refusal (a wrong password, an unknown token) is itself `invalid`. */
const REFUSED_AS_INVALID = new Set([
  'changePassword',
  'requestEmailChange',
  'confirmTwoFactorSetup',
  'confirmEmail',
  'resetPassword',
  'confirmUnlock',
  'confirmEmailChange',
  'deleteAccount',
  'POST /api/login',
  // An address at a domain the organization does not allow (the fuzzed one allows none).
  'POST /api/join',
]);

describe('the fuzzer reaches past validation', () => {
  it('gets an answer other than `invalid` from every other entry point', () => {
    const stuck = [...outcomes]
      .filter(
        ([entry, counts]) =>
          !REFUSED_AS_INVALID.has(entry) && counts.size === 1 && counts.has('invalid'),
      )
      .map(([entry]) => entry);
    expect(outcomes.size).toBe(Object.keys(ACTIONS).length + Object.keys(ROUTES).length);
    expect(stuck).toEqual([]);
  });
});
