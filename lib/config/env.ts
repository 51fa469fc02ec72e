import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * The only reader of `process.env` in the application. Everything is validated once, on first use, and a
 * bad deployment fails at start-up with one line per wrong variable instead of a stack trace later.
 */

const postgresUrl = z
  .string()
  .url('must be a URL such as postgres://user:password@host:5432/db')
  .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must start with postgres:// or postgresql://');

const hostWithOptionalPort = z
  .string()
  .regex(
    /^(?=.{1,253}(:|$))[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/,
    'must be a lowercase host name with an optional port, such as example.com or localhost:3000',
  );

/** A comma-separated list, trimmed, empty entries dropped; unset is an empty list. */
const commaList = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

/** Listening on one of these also answers on localhost, where Next.js fetches from the server itself. */
const REACHES_LOOPBACK = ['127.0.0.1', '::1', '0.0.0.0', '::'];

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    LISTEN_HOST: commaList,
    APP_ROOT_DOMAIN: hostWithOptionalPort.optional(),
    APP_URL: z
      .string()
      .url('must be the public URL of the root domain, such as https://example.com')
      .refine((v) => /^https?:\/\//.test(v), 'must start with http:// or https://')
      .optional(),
    AUTH_SECRET: z
      .string()
      .min(32, 'must be at least 32 characters (openssl rand -base64 32)')
      .optional(),
    DATABASE_URL: postgresUrl.optional(),
    DATABASE_PLATFORM_URL: postgresUrl.optional(),
    DATABASE_OWNER_URL: postgresUrl.optional(),
    DATABASE_WORKER_URL: postgresUrl.optional(),
    // LISTEN needs a session of its own, which a pooler in transaction mode cannot keep: a direct address.
    DATABASE_LISTEN_URL: postgresUrl.optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
    // PgBouncer before 1.21 cannot carry named prepared statements across server connections in
    // transaction mode.
    DATABASE_PREPARE: z
      .enum(['true', 'false'], {
        message: 'must be true or false (false behind PgBouncer before 1.21 in transaction mode)',
      })
      .default('true'),
    METRICS_TOKEN: z
      .string()
      .min(16, 'must be at least 16 characters (openssl rand -hex 16)')
      .optional(),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        message: 'must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
    BOARD_CACHE_MB: z.coerce
      .number({ message: 'must be a number of megabytes, such as 64 (0 turns the cache off)' })
      .int('must be a whole number of megabytes')
      .min(0, 'must be 0 (off) or more')
      .max(65_536, 'must be at most 65536')
      .default(64),
    SMTP_URL: z
      .string()
      .url('must be an SMTP URL such as smtps://user:password@smtp.example.com:465')
      .refine((v) => /^smtps?:\/\//.test(v), 'must start with smtp:// or smtps://')
      .optional(),
    MAIL_FROM: z
      .string()
      .min(3, 'must be a sender such as "Tenantry <no-reply@example.com>"')
      .optional(),
    MAIL_CAPTURE: z
      .enum(['database'], {
        message: 'can only be "database" (store mail for the development mailbox)',
      })
      .optional(),
    ALLOW_TEST_MAILBOX_IN_PRODUCTION: z
      .enum(['1'], { message: 'can only be 1 (or be left unset)' })
      .optional(),
    PUSHER_APP_ID: z.string().min(1).optional(),
    PUSHER_KEY: z.string().min(1).optional(),
    PUSHER_SECRET: z.string().min(1).optional(),
    PUSHER_HOST: hostWithOptionalPort.optional(),
    PUSHER_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    PUSHER_CLUSTER: z
      .string()
      .regex(/^[a-z0-9-]+$/, 'must be a cluster name such as eu or mt1')
      .optional(),
    PUSHER_USE_TLS: z.enum(['true', 'false'], { message: 'must be true or false' }).optional(),
    // Where browsers reach the realtime server, when it differs from the server's own address (a Soketi
    // behind a public hostname): the server publishes to PUSHER_HOST on a private network.
    PUSHER_PUBLIC_HOST: hostWithOptionalPort.optional(),
    PUSHER_PUBLIC_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    PUSHER_PUBLIC_USE_TLS: z
      .enum(['true', 'false'], { message: 'must be true or false' })
      .optional(),
    // Read only to refuse them: Auth.js would send every tenant's redirects to that one origin.
    AUTH_URL: z.string().optional(),
    NEXTAUTH_URL: z.string().optional(),
    SIGNUPS_PER_HOUR_PER_IP: z.coerce.number().int().min(1).max(100_000).default(10),
    TRUSTED_PROXY: commaList,
  })
  .superRefine((env, ctx) => {
    for (const key of ['AUTH_URL', 'NEXTAUTH_URL'] as const) {
      if (env[key]) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message:
            'must not be set: every organization signs in on its own host (set APP_URL instead)',
        });
      }
    }
    for (const host of env.LISTEN_HOST) {
      if (isIP(host) === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['LISTEN_HOST'],
          message: `"${host}" is not an IP address to listen on, such as 127.0.0.1, ::1 or 0.0.0.0 (comma-separate several)`,
        });
      }
    }
    if (env.LISTEN_HOST.length > 0 && !env.LISTEN_HOST.some((h) => REACHES_LOOPBACK.includes(h))) {
      ctx.addIssue({
        code: 'custom',
        path: ['LISTEN_HOST'],
        message:
          'must include 127.0.0.1, ::1, 0.0.0.0 or :: (after a server action redirects, Next.js fetches the page from this server at localhost)',
      });
    }
    for (const proxy of env.TRUSTED_PROXY) {
      if (isIP(proxy) === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['TRUSTED_PROXY'],
          message: `"${proxy}" is not an IP address (list the proxies' addresses, comma-separated)`,
        });
      }
    }
    const pusherKeys = ['PUSHER_APP_ID', 'PUSHER_KEY', 'PUSHER_SECRET'] as const;
    const pusherSet = pusherKeys.filter((k) => env[k]);
    if (pusherSet.length > 0 && pusherSet.length < pusherKeys.length) {
      for (const key of pusherKeys.filter((k) => !env[k])) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: 'is required with the other PUSHER_* settings',
        });
      }
    }
    if (pusherSet.length > 0 && !env.PUSHER_CLUSTER && !env.PUSHER_HOST) {
      ctx.addIssue({
        code: 'custom',
        path: ['PUSHER_HOST'],
        message:
          'or PUSHER_CLUSTER is required: PUSHER_CLUSTER for Pusher, PUSHER_HOST/PORT for Soketi',
      });
    }
    if (env.NODE_ENV !== 'production') return;
    if (pusherSet.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['PUSHER_APP_ID'],
        message: 'and the other PUSHER_* settings are required in production',
      });
    }
    for (const key of [
      'APP_URL',
      'AUTH_SECRET',
      'DATABASE_URL',
      'DATABASE_PLATFORM_URL',
    ] as const) {
      if (!env[key])
        ctx.addIssue({ code: 'custom', path: [key], message: 'is required in production' });
    }
    if (env.MAIL_CAPTURE && !env.ALLOW_TEST_MAILBOX_IN_PRODUCTION) {
      ctx.addIssue({
        code: 'custom',
        path: ['MAIL_CAPTURE'],
        message:
          'must not be set in production: /dev/mailbox would show anyone every organization’s mail, password-reset links included (a test deployment that needs it must also set ALLOW_TEST_MAILBOX_IN_PRODUCTION=1)',
      });
    } else if (!env.SMTP_URL && !env.MAIL_CAPTURE) {
      ctx.addIssue({ code: 'custom', path: ['SMTP_URL'], message: 'is required in production' });
    }
  });

/** Development listens on the loopback addresses only: both, since browsers try ::1 first for *.localhost. */
const LOOPBACK = ['127.0.0.1', '::1'];

export type Env = {
  nodeEnv: 'development' | 'production' | 'test';
  isProduction: boolean;
  port: number;
  /** Addresses the server listens on (LISTEN_HOST); null means every interface. */
  listenHosts: string[] | null;
  /** host[:port] of the root domain; tenants live at <slug>.<rootDomain>. */
  rootDomain: string;
  /** http: or https:, from APP_URL (plain http in development). */
  protocol: 'http:' | 'https:';
  authSecret: string;
  databaseUrl: string;
  databasePlatformUrl: string;
  databaseOwnerUrl: string | undefined;
  /** The worker's role (pg-boss and clean-ups); only the worker process needs it. */
  databaseWorkerUrl: string | undefined;
  /** A direct (not pooled) connection as the platform role, for LISTEN. */
  databaseListenUrl: string;
  databasePoolSize: number;
  /** Named prepared statements (off behind PgBouncer before 1.21 in transaction mode). */
  databasePrepare: boolean;
  /** Bearer token that /api/metrics requires; null turns the endpoint off. */
  metricsToken: string | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Memory for boards kept per process under their tenant revision (BOARD_CACHE_MB); 0 keeps none. */
  boardCacheBytes: number;
  signupsPerHourPerIp: number;
  /** Pusher Channels (or Soketi, or the local server in development): null only before it is configured. */
  pusher: PusherConfig | null;
  /** SMTP server URL; null means mail is captured in the database for the development mailbox. */
  smtpUrl: string | null;
  mailFrom: string;
  trustedProxies: string[];
  /** Settings that start but deserve a line in the log, such as a test mailbox in production. */
  warnings: string[];
};

export type PusherConfig = {
  appId: string;
  key: string;
  secret: string;
  host: string | null;
  port: number | null;
  cluster: string | null;
  useTLS: boolean;
  /** What browsers connect to (PUSHER_PUBLIC_*, defaulting to the server's own address). */
  browser: { host: string | null; port: number | null; useTLS: boolean };
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.')} ${i.message}`));
  }
  const e = result.data;
  const appUrl = e.APP_URL ? new URL(e.APP_URL) : undefined;
  const problems: string[] = [];
  if (!e.AUTH_SECRET)
    problems.push('AUTH_SECRET is missing (the dev runner generates one under .data/)');
  if (!e.DATABASE_URL)
    problems.push('DATABASE_URL is missing (the dev runner starts an embedded PostgreSQL)');
  if (!e.DATABASE_PLATFORM_URL) problems.push('DATABASE_PLATFORM_URL is missing');
  if (problems.length > 0) throw new ConfigError(problems);
  const rootDomain = e.APP_ROOT_DOMAIN ?? appUrl?.host ?? `localhost:${e.PORT}`;
  return {
    nodeEnv: e.NODE_ENV,
    isProduction: e.NODE_ENV === 'production',
    port: e.PORT,
    // Production sits behind a proxy or in a container, which reach it from outside the loopback.
    listenHosts:
      e.LISTEN_HOST.length > 0 ? e.LISTEN_HOST : e.NODE_ENV === 'production' ? null : LOOPBACK,
    rootDomain,
    protocol: appUrl?.protocol === 'https:' ? 'https:' : 'http:',
    authSecret: e.AUTH_SECRET!,
    databaseUrl: e.DATABASE_URL!,
    databasePlatformUrl: e.DATABASE_PLATFORM_URL!,
    databaseOwnerUrl: e.DATABASE_OWNER_URL,
    databaseWorkerUrl: e.DATABASE_WORKER_URL,
    databaseListenUrl: e.DATABASE_LISTEN_URL ?? e.DATABASE_PLATFORM_URL!,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    databasePrepare: e.DATABASE_PREPARE === 'true',
    metricsToken: e.METRICS_TOKEN ?? null,
    logLevel: e.LOG_LEVEL,
    boardCacheBytes: e.BOARD_CACHE_MB * 1024 * 1024,
    signupsPerHourPerIp: e.SIGNUPS_PER_HOUR_PER_IP,
    pusher: e.PUSHER_APP_ID ? pusherConfig(e) : null,
    smtpUrl: e.MAIL_CAPTURE === 'database' ? null : (e.SMTP_URL ?? null),
    mailFrom: e.MAIL_FROM ?? `Tenantry <no-reply@${rootDomain.split(':')[0]}>`,
    trustedProxies: e.TRUSTED_PROXY,
    warnings:
      e.NODE_ENV === 'production' && e.MAIL_CAPTURE
        ? [
            'ALLOW_TEST_MAILBOX_IN_PRODUCTION=1: mail is not sent but kept for /dev/mailbox, which anyone who reaches this server can read. Use this for test deployments only.',
          ]
        : [],
  };
}

function pusherConfig(e: z.infer<typeof schema>): PusherConfig {
  const useTLS = e.PUSHER_USE_TLS ? e.PUSHER_USE_TLS === 'true' : !e.PUSHER_HOST;
  const publicHost = e.PUSHER_PUBLIC_HOST ?? e.PUSHER_HOST ?? null;
  return {
    appId: e.PUSHER_APP_ID!,
    key: e.PUSHER_KEY!,
    secret: e.PUSHER_SECRET!,
    host: e.PUSHER_HOST ?? null,
    port: e.PUSHER_PORT ?? null,
    cluster: e.PUSHER_CLUSTER ?? null,
    useTLS,
    browser: e.PUSHER_PUBLIC_HOST
      ? {
          host: publicHost,
          port: e.PUSHER_PUBLIC_PORT ?? null,
          useTLS: e.PUSHER_PUBLIC_USE_TLS ? e.PUSHER_PUBLIC_USE_TLS === 'true' : true,
        }
      : {
          host: publicHost,
          port: e.PUSHER_PUBLIC_PORT ?? e.PUSHER_PORT ?? null,
          useTLS: e.PUSHER_PUBLIC_USE_TLS ? e.PUSHER_PUBLIC_USE_TLS === 'true' : useTLS,
        },
  };
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/**
 * LOG_LEVEL alone, for the logger, which must work before (and when) the rest of the configuration fails:
 * that failure is what it reports. A wrong value logs at `info` until the full check refuses it.
 */
export function getLogLevel(): Env['logLevel'] {
  const parsed = schema.shape.LOG_LEVEL.safeParse(process.env.LOG_LEVEL);
  return parsed.success ? parsed.data : 'info';
}
