import { describe, expect, it, vi } from 'vitest';
import { ConfigError, getLogLevel, parseEnv } from '@/lib/config/env';

const dev = {
  AUTH_SECRET: 'x'.repeat(32),
  DATABASE_URL: 'postgres://app:pw@127.0.0.1:5432/tenantry',
  DATABASE_PLATFORM_URL: 'postgres://platform:pw@127.0.0.1:5432/tenantry',
};

function problems(env: Record<string, string | undefined>) {
  try {
    parseEnv(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('defaults the root domain to localhost and the port', () => {
    const env = parseEnv({ ...dev, PORT: '3100' });
    expect(env.rootDomain).toBe('localhost:3100');
    expect(env.protocol).toBe('http:');
    expect(env.boardCacheBytes).toBe(64 * 1024 * 1024);
    expect(parseEnv({ ...dev, BOARD_CACHE_MB: '0' }).boardCacheBytes).toBe(0);
  });

  it('takes the scheme and root domain from APP_URL', () => {
    const env = parseEnv({ ...dev, APP_URL: 'https://example.com' });
    expect(env).toMatchObject({ rootDomain: 'example.com', protocol: 'https:' });
  });

  it('names every missing production setting', () => {
    const found = problems({ NODE_ENV: 'production' });
    for (const key of [
      'APP_URL',
      'AUTH_SECRET',
      'DATABASE_URL',
      'DATABASE_PLATFORM_URL',
      'SMTP_URL',
    ]) {
      expect(found.some((p) => p.startsWith(`${key} `))).toBe(true);
    }
  });

  it('explains each wrong value', () => {
    const found = problems({
      ...dev,
      PORT: 'eighty',
      AUTH_SECRET: 'short',
      DATABASE_URL: 'mysql://x@y/z',
      APP_ROOT_DOMAIN: 'Example.com/path',
      APP_URL: 'ftp://example.com',
      BOARD_CACHE_MB: 'lots',
    });
    expect(found.join('\n')).toMatch(/PORT/);
    expect(found.join('\n')).toMatch(/AUTH_SECRET must be at least 32 characters/);
    expect(found.join('\n')).toMatch(/DATABASE_URL must start with postgres:\/\//);
    expect(found.join('\n')).toMatch(/APP_ROOT_DOMAIN must be a lowercase host name/);
    expect(found.join('\n')).toMatch(/APP_URL must start with http/);
    expect(found.join('\n')).toMatch(/BOARD_CACHE_MB must be a number of megabytes/);
  });

  it('refuses settings that would break per-host sign-in or trust the wrong proxy', () => {
    const found = problems({
      ...dev,
      AUTH_URL: 'https://example.com',
      TRUSTED_PROXY: '10.0.0.0/8, 10.0.0.2',
    });
    expect(found.join('\n')).toMatch(/AUTH_URL must not be set/);
    expect(found.join('\n')).toMatch(/"10.0.0.0\/8" is not an IP address/);
    expect(found.join('\n')).not.toMatch(/"10.0.0.2"/);
  });

  it('reads Pusher settings, for Pusher itself or a self-hosted server, and names what is missing', () => {
    expect(
      parseEnv({
        ...dev,
        PUSHER_APP_ID: '1',
        PUSHER_KEY: 'k',
        PUSHER_SECRET: 's',
        PUSHER_CLUSTER: 'eu',
      }).pusher,
    ).toEqual({
      appId: '1',
      key: 'k',
      secret: 's',
      host: null,
      port: null,
      cluster: 'eu',
      useTLS: true,
      browser: { host: null, port: null, useTLS: true },
    });
    expect(
      parseEnv({
        ...dev,
        PUSHER_APP_ID: '1',
        PUSHER_KEY: 'k',
        PUSHER_SECRET: 's',
        PUSHER_HOST: '127.0.0.1',
        PUSHER_PORT: '6001',
      }).pusher,
    ).toMatchObject({
      host: '127.0.0.1',
      port: 6001,
      useTLS: false,
      browser: { host: '127.0.0.1', port: 6001, useTLS: false },
    });
    const found = problems({ ...dev, PUSHER_APP_ID: '1' }).join('\n');
    expect(found).toMatch(/PUSHER_KEY is required with the other PUSHER_\* settings/);
    expect(found).toMatch(/PUSHER_SECRET is required/);
    expect(found).toMatch(/PUSHER_HOST or PUSHER_CLUSTER is required/);
  });

  it('gives browsers their own realtime address when the server publishes on a private one', () => {
    const selfHosted = {
      ...dev,
      PUSHER_APP_ID: '1',
      PUSHER_KEY: 'k',
      PUSHER_SECRET: 's',
      PUSHER_HOST: 'soketi.internal',
      PUSHER_PORT: '6001',
    };
    expect(
      parseEnv({ ...selfHosted, PUSHER_PUBLIC_HOST: 'realtime.example.com' }).pusher,
    ).toMatchObject({
      host: 'soketi.internal',
      port: 6001,
      useTLS: false,
      // A public hostname is reached over TLS on its default port unless told otherwise.
      browser: { host: 'realtime.example.com', port: null, useTLS: true },
    });
    expect(
      parseEnv({
        ...selfHosted,
        PUSHER_PUBLIC_HOST: 'realtime.example.com',
        PUSHER_PUBLIC_PORT: '8443',
        PUSHER_PUBLIC_USE_TLS: 'false',
      }).pusher?.browser,
    ).toEqual({ host: 'realtime.example.com', port: 8443, useTLS: false });
    expect(problems({ ...selfHosted, PUSHER_PUBLIC_HOST: 'Not A Host' }).join('\n')).toMatch(
      /PUSHER_PUBLIC_HOST must be a lowercase host name/,
    );
  });

  it('reads the operations settings', () => {
    const env = parseEnv({
      ...dev,
      DATABASE_PREPARE: 'false',
      METRICS_TOKEN: 'm'.repeat(16),
      LOG_LEVEL: 'debug',
      DATABASE_LISTEN_URL: 'postgres://platform:pw@db-direct:5432/tenantry',
    });
    expect(env).toMatchObject({
      databasePrepare: false,
      metricsToken: 'm'.repeat(16),
      logLevel: 'debug',
      databaseListenUrl: 'postgres://platform:pw@db-direct:5432/tenantry',
    });
    // LISTEN goes to the platform URL itself when no direct address is given.
    expect(parseEnv(dev)).toMatchObject({
      databasePrepare: true,
      metricsToken: null,
      databaseListenUrl: dev.DATABASE_PLATFORM_URL,
    });
    const found = problems({
      ...dev,
      DATABASE_PREPARE: 'no',
      METRICS_TOKEN: 'short',
      LOG_LEVEL: 'loud',
    }).join('\n');
    expect(found).toMatch(/DATABASE_PREPARE must be true or false/);
    expect(found).toMatch(/METRICS_TOKEN must be at least 16 characters/);
    expect(found).toMatch(/LOG_LEVEL must be one of/);
  });

  it('gives the logger its level on its own, so a broken configuration can still be reported', () => {
    vi.stubEnv('DATABASE_URL', '');
    try {
      vi.stubEnv('LOG_LEVEL', 'warn');
      expect(getLogLevel()).toBe('warn');
      vi.stubEnv('LOG_LEVEL', 'loud');
      expect(getLogLevel()).toBe('info');
      vi.stubEnv('LOG_LEVEL', undefined);
      expect(getLogLevel()).toBe('info');
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

const production = {
  NODE_ENV: 'production',
  APP_URL: 'https://example.com',
  AUTH_SECRET: 'x'.repeat(32),
  DATABASE_URL: 'postgres://app:pw@db:5432/tenantry',
  DATABASE_PLATFORM_URL: 'postgres://platform:pw@db:5432/tenantry',
  PUSHER_APP_ID: '1',
  PUSHER_KEY: 'k',
  PUSHER_SECRET: 's',
  PUSHER_CLUSTER: 'eu',
  SMTP_URL: 'smtps://user:pw@smtp.example.com:465',
};

describe('the development mailbox in production', () => {
  it('is refused unless the deployment names the test-only switch, SMTP_URL or not', () => {
    for (const env of [
      { ...production, MAIL_CAPTURE: 'database' },
      { ...production, SMTP_URL: undefined, MAIL_CAPTURE: 'database' },
    ]) {
      const found = problems(env);
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(
        /^MAIL_CAPTURE must not be set in production: \/dev\/mailbox would show anyone .*ALLOW_TEST_MAILBOX_IN_PRODUCTION=1/,
      );
    }
    expect(problems({ ...production, SMTP_URL: undefined })).toEqual([
      'SMTP_URL is required in production',
    ]);
  });

  it('starts with ALLOW_TEST_MAILBOX_IN_PRODUCTION=1, captures mail and says so', () => {
    const env = parseEnv({
      ...production,
      MAIL_CAPTURE: 'database',
      ALLOW_TEST_MAILBOX_IN_PRODUCTION: '1',
    });
    expect(env.smtpUrl).toBeNull();
    expect(env.warnings).toEqual([expect.stringMatching(/\/dev\/mailbox.*test deployments only/)]);
    expect(parseEnv(production).warnings).toEqual([]);
    expect(parseEnv({ ...dev, MAIL_CAPTURE: 'database' }).warnings).toEqual([]);
    expect(
      problems({
        ...production,
        MAIL_CAPTURE: 'database',
        ALLOW_TEST_MAILBOX_IN_PRODUCTION: 'yes',
      }),
    ).toEqual(['ALLOW_TEST_MAILBOX_IN_PRODUCTION can only be 1 (or be left unset)']);
  });
});

describe('the listen address', () => {
  it('is the loopback in development, every interface in production, or what LISTEN_HOST says', () => {
    expect(parseEnv(dev).listenHosts).toEqual(['127.0.0.1', '::1']);
    expect(parseEnv(production).listenHosts).toBeNull();
    expect(parseEnv({ ...dev, LISTEN_HOST: '0.0.0.0' }).listenHosts).toEqual(['0.0.0.0']);
    expect(parseEnv({ ...production, LISTEN_HOST: ' ::1, 127.0.0.1 ' }).listenHosts).toEqual([
      '::1',
      '127.0.0.1',
    ]);
  });

  it('refuses names and addresses that would leave out localhost', () => {
    expect(problems({ ...dev, LISTEN_HOST: 'localhost' })).toEqual([
      'LISTEN_HOST "localhost" is not an IP address to listen on, such as 127.0.0.1, ::1 or 0.0.0.0 (comma-separate several)',
      expect.stringMatching(/^LISTEN_HOST must include 127\.0\.0\.1, ::1, 0\.0\.0\.0 or ::/),
    ]);
    expect(problems({ ...dev, LISTEN_HOST: '192.168.1.20' })).toEqual([
      expect.stringMatching(/^LISTEN_HOST must include 127\.0\.0\.1/),
    ]);
    expect(problems({ ...dev, LISTEN_HOST: '192.168.1.20,127.0.0.1' })).toEqual([]);
  });
});
