import 'server-only';
import postgres from 'postgres';
import { getEnv } from '@/lib/config/env';

/** The channel the outbox trigger notifies (see migration 0014), at commit only. */
export const OUTBOX_CHANNEL = 'outbox_events';

export type OutboxListener = { stop(): Promise<void> };

/**
 * LISTENs for outbox inserts on a connection of its own, and LISTENs again, with backoff, whenever that
 * connection is lost. postgres.js's `listen()` tries to re-listen only once, at the moment the connection
 * closes, which fails while the database restarts and then never retries; so this uses the same
 * `onnotify` hook that `listen()` is built on, with `onclose` to know when to start over.
 * `onListen` runs after every successful LISTEN: notifications sent while not listening are lost.
 */
export function startOutboxListener(handlers: {
  onNotify: () => void;
  onListen: () => void;
  log: (message: string) => void;
}): OutboxListener {
  let stopped = false;
  let retryMs = 0;
  let timer: NodeJS.Timeout | undefined;
  const options = {
    max: 1,
    max_lifetime: null,
    connect_timeout: 10,
    onnotice: () => {},
    onnotify: (channel: string) => {
      if (channel === OUTBOX_CHANNEL) handlers.onNotify();
    },
    onclose: () => {
      if (!stopped) listenSoon(0);
    },
  };
  // A session of its own that must stay put between LISTEN and the notifications: a direct address, never
  // a pooler in transaction mode (DATABASE_LISTEN_URL, the platform role's URL by default).
  const client = postgres(
    getEnv().databaseListenUrl,
    options as postgres.Options<Record<string, postgres.PostgresType>>,
  );

  function listenSoon(delayMs: number) {
    clearTimeout(timer);
    timer = setTimeout(listen, delayMs);
  }

  async function listen() {
    if (stopped) return;
    try {
      await client.unsafe(`listen ${OUTBOX_CHANNEL}`);
      if (retryMs > 500) handlers.log('Outbox sweeper: listening for outbox events again.');
      retryMs = 0;
      handlers.onListen();
    } catch (error) {
      if (stopped) return;
      // Said on the second failure in a row: one failed attempt is routine while a server shuts down.
      if (retryMs === 500)
        handlers.log(
          `Outbox sweeper: cannot listen for outbox events (${error instanceof Error ? error.message : error}); retrying.`,
        );
      retryMs = Math.min(10_000, Math.max(500, retryMs * 2));
      listenSoon(retryMs);
    }
  }

  listenSoon(0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await client.end({ timeout: 1 });
    },
  };
}
