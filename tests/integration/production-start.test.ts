import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../scripts/build-server';
import { SERVER_BUNDLE_DIR } from '../../scripts/server-bundle';

const production = {
  NODE_ENV: 'production',
  APP_URL: 'https://example.com',
  AUTH_SECRET: 'x'.repeat(32),
  DATABASE_URL: 'postgres://app:pw@127.0.0.1:1/tenantry',
  DATABASE_PLATFORM_URL: 'postgres://platform:pw@127.0.0.1:1/tenantry',
  PUSHER_APP_ID: '1',
  PUSHER_KEY: 'k',
  PUSHER_SECRET: 's',
  PUSHER_CLUSTER: 'eu',
  MAIL_CAPTURE: 'database',
} as const satisfies Record<string, string>;

// The compiled server `npm start` runs (its part of `npm run build`, under a second), from this source.
beforeAll(() => buildServer(), 60_000);

/**
 * `npm start` as a deployment runs it, with nothing but the given environment. The database address is
 * unreachable on purpose: a start that gets past the configuration fails there, after its warnings.
 */
function start(env: typeof production & { ALLOW_TEST_MAILBOX_IN_PRODUCTION?: '1' }) {
  const child = spawn(process.execPath, [join(SERVER_BUNDLE_DIR, 'start.mjs')], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  return new Promise<{ code: number | null; output: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, output })),
  );
}

/** Every line the process wrote must be one JSON log line: nothing else reaches its output. */
function logLines(output: string) {
  return output
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { level: string; msg: string; [field: string]: unknown });
}

describe('a production start with the development mailbox', () => {
  it('is refused, naming the variable and the switch a test deployment needs', async () => {
    const { code, output } = await start(production);
    expect(code).toBe(1);
    const [line, ...others] = logLines(output);
    expect(others).toEqual([]);
    expect(line).toMatchObject({ level: 'fatal', msg: 'Invalid configuration' });
    expect(line!.problems).toEqual([
      expect.stringMatching(
        /^MAIL_CAPTURE must not be set in production: .*ALLOW_TEST_MAILBOX_IN_PRODUCTION=1/,
      ),
    ]);
  }, 60_000);

  it('goes on with ALLOW_TEST_MAILBOX_IN_PRODUCTION=1, after one warning', async () => {
    const { code, output } = await start({ ...production, ALLOW_TEST_MAILBOX_IN_PRODUCTION: '1' });
    const lines = logLines(output);
    expect(lines.filter((l) => l.level === 'warn')).toEqual([
      expect.objectContaining({
        msg: expect.stringMatching(/^ALLOW_TEST_MAILBOX_IN_PRODUCTION=1: .*\/dev\/mailbox/),
      }),
    ]);
    // It went on to the database checks that come after the configuration, and stopped there.
    expect(code).toBe(1);
    expect(lines.at(-1)).toMatchObject({
      level: 'fatal',
      msg: 'Tenantry could not start',
      err: expect.objectContaining({ code: 'ECONNREFUSED' }),
    });
    expect(output).not.toContain('Invalid configuration');
  }, 60_000);
});
