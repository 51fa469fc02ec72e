import 'server-only';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import Pusher from 'pusher';
import { getEnv } from '@/lib/config/env';
import { logger } from '@/lib/log';

let client: Pusher | undefined;
let probe: Pusher | undefined;

/** The server SDK, pointed at Pusher, Soketi, or the local server the dev runner started. */
export function getPusher(): Pusher {
  // Without a timeout a realtime server that accepts but never answers would hold a request (and the
  // outbox sweeper waiting on it) forever.
  client ??= createPusher(10_000);
  return client;
}

/**
 * The same, for the readiness check, which must answer within a second whatever the realtime server does. Each
 * probe opens a connection of its own: a kept-alive socket to a realtime server that has since restarted would
 * fail one probe for nothing, and a fresh one proves that connections can be made.
 */
export function getProbePusher(): Pusher {
  probe ??= createPusher(1_000, { freshConnections: true });
  return probe;
}

function createPusher(timeout: number, { freshConnections = false } = {}) {
  const config = getEnv().pusher;
  if (!config)
    throw new Error('Realtime is not configured: set PUSHER_APP_ID, PUSHER_KEY and PUSHER_SECRET.');
  const base = {
    appId: config.appId,
    key: config.key,
    secret: config.secret,
    useTLS: config.useTLS,
    timeout,
    agent: freshConnections
      ? new (config.useTLS ? HttpsAgent : HttpAgent)({ keepAlive: false })
      : undefined,
  };
  return config.host
    ? new Pusher({
        ...base,
        host: config.host,
        port: config.port ? String(config.port) : undefined,
      })
    : new Pusher({ ...base, cluster: config.cluster ?? 'mt1' });
}

/**
 * Drops the realtime connections of ended sessions at once (browsers sign in to Pusher by session id, so
 * the user's other sessions stay connected). Best effort: the session is already revoked in the database,
 * and every channel authorization checks it again.
 */
export async function disconnectSessions(sessionIds: string[]) {
  const results = await Promise.allSettled(
    sessionIds.map((id) => getPusher().terminateUserConnections(id)),
  );
  for (const r of results) {
    if (r.status === 'rejected')
      logger().warn(
        { reason: describePusherFailure(r.reason) },
        'could not disconnect a revoked session from realtime',
      );
  }
}

/**
 * What went wrong with a call to the realtime server, for a log line: for network failures the cause is what
 * an operator needs. The SDK's errors carry the signed request URL, and its network errors repeat it in their
 * message: the query string (key, timestamp, signature) is cut.
 */
export function describePusherFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { error?: unknown }).error;
  const message = cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  return message.replace(/\?\S*/g, '');
}
