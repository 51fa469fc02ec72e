import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connect, type Sql, urls } from '../support/db';
import { request } from '../support/fake-request';
import { deliveredMail } from '../support/mail';
import { pointAppAtRealtime, Realm } from './realtime/harness';

vi.mock('next/headers', () => import('../support/fake-request'));
vi.mock('@/lib/auth/auth', async () => ({
  ...(await import('../support/fake-request')),
  signIn: async () => '/',
}));

const { createLogger, logger, setLogger } = await import('@/lib/log');
const { configureDatabase, databaseConfig } = await import('@/db/client');
const { observeRequests } = await import('@/lib/observability/http-observer');
const { runWithRequestContext } = await import('@/lib/observability/request-context');
const { toErrorResponse } = await import('@/lib/errors/app-error');
const { resetPassword } = await import('@/lib/account/actions');
const orgs = await import('../support/orgs');
const routes = {
  login: await import('@/app/api/login/route'),
  reset: await import('@/app/api/password-reset/route'),
  projects: await import('@/app/api/projects/route'),
};

/** Every line the process logs, at the most verbose level, through the one logger everything uses. */
const output: string[] = [];
setLogger(createLogger({ level: 'trace', destination: { write: (line) => output.push(line) } }));
configureDatabase({ ...databaseConfig(), logger: logger() });
const lines = () => output.map((line) => JSON.parse(line) as Record<string, unknown>);

async function readBody(req: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The app's entry points behind the same request observer as scripts/serve.ts, each reached by a real HTTP
 * request: the Next.js pieces (next/headers, the session cookie) are the integration tests' fakes.
 */
async function dispatch(req: IncomingMessage): Promise<Response> {
  const body = await readBody(req);
  request.host = req.headers.host ?? '';
  const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
  const web = new Request(url, {
    method: req.method,
    headers: { 'Content-Type': 'application/json' },
    body: req.method === 'GET' ? undefined : body,
  });
  const key = `${req.method} ${url.pathname}`;
  if (key === 'POST /api/login') return routes.login.POST(web);
  if (key === 'POST /api/password-reset') return routes.reset.POST(web);
  if (key === 'GET /api/projects') return routes.projects.GET(web, { params: Promise.resolve({}) });
  if (key === 'POST /reset-password') return Response.json(await resetPassword(await web.json()));
  if (key === 'GET /boom') return toErrorResponse(new Error('boom: something internal'));
  return new Response('a page');
}

let server: Server;
let port: number;
let platform: Sql;
let realm: Realm;
let org: Awaited<ReturnType<typeof orgs.signUpOrg>>;
beforeAll(async () => {
  // A password reset drops the user's realtime connections.
  realm = await Realm.start();
  pointAppAtRealtime(realm.server.port);
  platform = connect(urls().platform, 2);
  org = await orgs.signUpOrg(platform, 'logs');
  server = createServer(
    observeRequests({ rootDomain: 'localhost:3000' }, (req, res) => {
      void dispatch(req).then(async (response) => {
        res.writeHead(response.status, { 'Content-Type': 'application/json' });
        res.end(await response.text());
      });
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await Promise.all([platform.end(), realm.close()]);
});

function send(
  host: string,
  path: string,
  {
    method = 'GET',
    body,
    headers = {},
  }: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  return new Promise<{ status: number; requestId: string; body: string }>((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method, headers: { host, ...headers } },
      (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            requestId: String(res.headers['x-request-id']),
            body: text,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** The access-log line of a request, once it has been written (after the response). */
async function accessLine(requestId: string) {
  await vi.waitFor(() => {
    expect(lines().some((l) => l.msg === 'request' && l.requestId === requestId)).toBe(true);
  });
  return lines().find((l) => l.msg === 'request' && l.requestId === requestId)!;
}

const tenantHost = () => `${org.slug}.localhost:3000`;

describe('the access log', () => {
  it('has one line per request: id, method, route template, host kind, tenant, user, status, duration', async () => {
    orgs.actAs(request, org);
    const answer = await send(tenantHost(), `/api/projects?filter=${randomUUID()}`);
    expect(answer.status).toBe(200);
    const line = await accessLine(answer.requestId);
    expect(line).toEqual({
      level: 'info',
      time: expect.any(String),
      msg: 'request',
      requestId: answer.requestId,
      tenant: org.slug,
      userId: org.session.userId,
      method: 'GET',
      host: 'tenant',
      route: '/api/projects',
      status: 200,
      durationMs: expect.any(Number),
    });
    expect(
      lines().filter((l) => l.requestId === answer.requestId && l.msg === 'request'),
    ).toHaveLength(1);
    // What the request logged along the way carries its id too (here: the audited platform access).
    expect(
      lines().some((l) => l.msg === 'platform access' && l.requestId === answer.requestId),
    ).toBe(true);
  });

  it('keeps a safe request id sent by a proxy, and replaces anything else', async () => {
    request.pointer = null;
    const kept = await send('localhost:3000', '/', {
      headers: { 'X-Request-Id': 'lb-4f2a9c1e77' },
    });
    expect(kept.requestId).toBe('lb-4f2a9c1e77');
    expect((await accessLine('lb-4f2a9c1e77')).host).toBe('root');
    for (const bad of ['x'.repeat(65), 'short', 'a"b<script>', 'a b c d e f']) {
      const replaced = await send('localhost:3000', '/', { headers: { 'X-Request-Id': bad } });
      expect(replaced.requestId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('logs an unexpected error with the id of the request it broke, and answers without details', async () => {
    const answer = await send('localhost:3000', '/boom');
    expect(answer.status).toBe(500);
    expect(answer.body).not.toContain('something internal');
    const error = lines().find(
      (l) => l.msg === 'unexpected error' && l.requestId === answer.requestId,
    );
    expect(error).toMatchObject({ level: 'error', err: { message: 'boom: something internal' } });
  });
});

describe('secrets never reach the log', () => {
  it('sign-in: neither the password (right or wrong) nor cookies, tokens or query strings', async () => {
    request.pointer = null;
    const wrong = `Wrong-${randomUUID()}`;
    const cookie = `cookie-${randomUUID()}`;
    const bearer = `bearer-${randomUUID()}`;
    const query = `query-${randomUUID()}`;
    const headers = { Cookie: `authjs.session-token=${cookie}`, Authorization: `Bearer ${bearer}` };
    const refused = await send(tenantHost(), `/api/login?secret=${query}`, {
      method: 'POST',
      body: { email: org.email, password: wrong },
      headers,
    });
    expect(refused.status).toBe(400);
    const accepted = await send(tenantHost(), '/api/login', {
      method: 'POST',
      body: { email: org.email, password: org.password },
      headers,
    });
    expect(accepted.status).toBe(200);
    await accessLine(accepted.requestId);
    expect((await accessLine(refused.requestId)).route).toBe('/api/login');
    const everything = output.join('');
    for (const secret of [wrong, org.password, cookie, bearer, query]) {
      expect(everything).not.toContain(secret);
    }
  });

  it('password reset: neither the emailed token, in a link or a body, nor the new password', async () => {
    request.pointer = null;
    const asked = await send(tenantHost(), '/api/password-reset', {
      method: 'POST',
      body: { email: org.email },
    });
    expect(asked.status).toBe(200);
    // The worker's part: the mail job delivers the message into the development mailbox (and logs too).
    const [mail] = (await deliveredMail({ to: org.email })).filter((m) =>
      m.text.includes('reset-password?token='),
    );
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail!.text)![1]!;
    const opened = await send(tenantHost(), `/reset-password?token=${token}`);
    expect((await accessLine(opened.requestId)).route).toBe('/reset-password');
    const password = `New-${randomUUID()}`;
    const reset = await send(tenantHost(), '/reset-password', {
      method: 'POST',
      body: { token, password, confirm: password },
    });
    expect(JSON.parse(reset.body)).toMatchObject({ ok: true });
    await accessLine(reset.requestId);
    const everything = output.join('');
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(password);
  });

  it('is redacted when someone logs an object that holds one, deep down and in any case', () => {
    const secret = `s-${randomUUID()}`;
    const error = Object.assign(new Error('the upstream refused'), {
      request: { headers: { Authorization: `Bearer ${secret}` } },
    });
    runWithRequestContext({ requestId: 'redaction-check' }, () =>
      logger().warn(
        {
          password: secret,
          input: { password: secret, token: secret, currentPassword: secret, confirm: secret },
          req: { headers: { authorization: secret, Cookie: secret, 'Set-Cookie': [secret] } },
          attempts: [{ recoveryCode: secret }],
          err: error,
        },
        'careless',
      ),
    );
    const line = lines().find((l) => l.requestId === 'redaction-check')!;
    expect(JSON.stringify(line)).not.toContain(secret);
    expect(line.input).toEqual({
      password: '[redacted]',
      token: '[redacted]',
      currentPassword: '[redacted]',
      confirm: '[redacted]',
    });
    // The error is still written as an error, and the object logged is left as it was.
    expect(line.err).toMatchObject({
      type: 'Error',
      message: 'the upstream refused',
      stack: expect.stringContaining('Error: the upstream refused'),
      request: { headers: { Authorization: '[redacted]' } },
    });
    expect(error.request.headers.Authorization).toBe(`Bearer ${secret}`);
  });
});
