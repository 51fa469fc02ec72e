import 'server-only';
import Pusher from 'pusher';
import { getEnv } from '@/lib/config/env';

let client: Pusher | undefined;

/** The server SDK, pointed at Pusher, Soketi, or the local server the dev runner started. */
export function getPusher(): Pusher {
  if (client) return client;
  const config = getEnv().pusher;
  if (!config)
    throw new Error('Realtime is not configured: set PUSHER_APP_ID, PUSHER_KEY and PUSHER_SECRET.');
  const base = {
    appId: config.appId,
    key: config.key,
    secret: config.secret,
    useTLS: config.useTLS,
    // Without a timeout a realtime server that accepts but never answers would hold a request (and the
    // outbox sweeper waiting on it) forever.
    timeout: 10_000,
  };
  client = config.host
    ? new Pusher({
        ...base,
        host: config.host,
        port: config.port ? String(config.port) : undefined,
      })
    : new Pusher({ ...base, cluster: config.cluster ?? 'mt1' });
  return client;
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
      console.error('Could not disconnect a revoked session from realtime:', r.reason);
  }
}
