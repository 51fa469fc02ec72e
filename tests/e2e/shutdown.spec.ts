import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { freePort, type LocalDatabase, startLocalDatabase } from '../../db/embedded';
import { type LocalPusherServer, startLocalPusherServer } from '../../lib/realtime/local-server';
import { SERVER_BUNDLE_DIR } from '../../scripts/server-bundle';
import { PORT } from './helpers';

/**
 * `npm start` as a deployment runs it (the production build, every setting from the environment), stopped
 * the way an orchestrator stops it: SIGTERM while a request is still arriving.
 */

const dataDir = resolve(`.data/shutdown-${PORT}`);
let appPort: number;
let db: LocalDatabase;
let realtime: LocalPusherServer;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  rmSync(dataDir, { recursive: true, force: true });
  appPort = await freePort();
  db = await startLocalDatabase(dataDir);
  realtime = await startLocalPusherServer({ appId: 'shutdown', key: 'k', secret: 's', port: 0 });
});
test.afterAll(async () => {
  await realtime?.close();
  await db?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function startApp() {
  const child = spawn(process.execPath, [join(SERVER_BUNDLE_DIR, 'start.mjs')], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      PORT: String(appPort),
      LISTEN_HOST: '127.0.0.1',
      APP_URL: `http://localhost:${appPort}`,
      AUTH_SECRET: randomBytes(32).toString('base64url'),
      DATABASE_URL: db.urls.app,
      DATABASE_PLATFORM_URL: db.urls.platform,
      PUSHER_APP_ID: 'shutdown',
      PUSHER_KEY: 'k',
      PUSHER_SECRET: 's',
      PUSHER_HOST: '127.0.0.1',
      PUSHER_PORT: String(realtime.port),
      PUSHER_USE_TLS: 'false',
      MAIL_CAPTURE: 'database',
      ALLOW_TEST_MAILBOX_IN_PRODUCTION: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, exited, output: () => output };
}

function tryConnect() {
  return new Promise<string>((done) => {
    const socket = connect(appPort, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? 'error'));
  });
}

/**
 * A sign-up whose body arrives in two parts: the request is in flight until the second is sent. It asks for
 * `100 Continue`, which Node's server sends as it hands the request to the app: `started` resolves once the
 * server holds the request, however slowly a loaded machine got there.
 */
function slowSignup(body: string) {
  const bytes = Buffer.from(body);
  let sendRest: () => void = () => {};
  let markStarted: () => void = () => {};
  const started = new Promise<void>((done) => {
    markStarted = done;
  });
  const response = new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (done, fail) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: appPort,
          path: '/api/signup',
          method: 'POST',
          headers: {
            host: `localhost:${appPort}`,
            'Content-Type': 'application/json',
            'Content-Length': bytes.length,
            Expect: '100-continue',
          },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk) => {
            text += chunk;
          });
          res.on('end', () =>
            done({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
          );
        },
      );
      req.on('error', fail);
      req.on('continue', () => {
        req.write(bytes.subarray(0, 20));
        markStarted();
      });
      req.flushHeaders();
      sendRest = () => req.end(bytes.subarray(20));
    },
  );
  return { response, started, sendRest: () => sendRest() };
}

test('SIGTERM: new connections are refused, the request in flight still succeeds, and the process exits 0', async () => {
  test.setTimeout(120_000);
  const app = startApp();
  await expect.poll(() => app.output(), { timeout: 60_000 }).toContain('Tenantry is ready.');

  const slug = `bye-${randomUUID().slice(0, 8)}`;
  const password = `violet-harbor-${randomUUID().slice(0, 8)}`;
  const signup = slowSignup(
    JSON.stringify({
      organizationName: 'Shutdown',
      slug,
      name: 'Shut Down',
      email: `${slug}@example.com`,
      password,
    }),
  );
  // The server holds the request, and Next.js is waiting for the rest of its body.
  await signup.started;
  app.child.kill('SIGTERM');
  await expect.poll(tryConnect, { timeout: 5_000 }).toBe('ECONNREFUSED');
  expect(app.child.exitCode).toBeNull();

  signup.sendRest();
  const answer = await signup.response;
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.body)).toEqual({ redirectTo: expect.stringContaining('/auth/handoff') });
  expect(answer.headers.connection).toBe('close');
  expect(await app.exited).toBe(0);

  // Structured logs from the built app: the access line of the request, and what it did inside Next.js
  // under the same request id; never its password.
  const lines = app
    .output()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const requestId = answer.headers['x-request-id'];
  expect(lines).toContainEqual(
    expect.objectContaining({ msg: 'request', requestId, route: '/api/signup', status: 200 }),
  );
  expect(lines).toContainEqual(
    expect.objectContaining({ msg: 'platform access', reason: 'signup', requestId }),
  );
  expect(app.output()).not.toContain(password);
  expect(lines.at(-1)).toMatchObject({ msg: expect.not.stringMatching(/failed|cut short/) });
});
