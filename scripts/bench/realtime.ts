import { fork } from 'node:child_process';
import Pusher from 'pusher';
import { httpJson, type Target } from './load';
import { pusherClient, subscribe, wallNow } from './pusher-clients';
import { type Summary, summarize } from './stats';

export type AppSession = { port: number; host: string; cookie: string };
type Realtime = { appId: string; key: string; secret: string; port: number };
type TaskEvent = { id: string; task: { id: string; version: number; updatedAt: string } };

/**
 * Writes through the app (PATCH /api/tasks/<id> with the version the client holds) while a pusher-js client,
 * authorized by the app's own channel-auth route with the same session, listens on the tenant's channel.
 * Each write is measured twice, both upper bounds on commit → receive: from the write transaction's start
 * (the task's `updated_at`, set by `now()` in that transaction; commit comes later) to receipt, and from
 * sending the request to receipt.
 */
export async function benchCommitToReceive(
  app: AppSession,
  realtime: Realtime,
  write: { tenantId: string; taskId: string; version: number },
  events: number,
  warmup = 20,
) {
  const base: Target = {
    port: app.port,
    host: app.host,
    path: '',
    headers: { Cookie: app.cookie },
  };
  const client = pusherClient(realtime.key, realtime.port, async (socketId, channelName) => {
    const res = await httpJson({
      ...base,
      path: '/api/pusher/auth',
      method: 'POST',
      contentType: 'application/x-www-form-urlencoded',
      body: new URLSearchParams({ socket_id: socketId, channel_name: channelName }).toString(),
    });
    if (res.status !== 200) throw new Error(`Channel auth answered ${res.status}`);
    return res.body as { auth: string };
  });
  try {
    const channel = await subscribe(client, `private-tenant-${write.tenantId}`);
    let waiting:
      | { version: number; resolve: (e: { at: number; updatedAt: string }) => void }
      | undefined;
    channel.bind('task.updated', (e: TaskEvent) => {
      const at = wallNow();
      if (e.task.id === write.taskId && e.task.version === waiting?.version)
        waiting.resolve({ at, updatedAt: e.task.updatedAt });
    });
    const fromTxStart: number[] = [];
    const fromRequest: number[] = [];
    let version = write.version;
    for (let i = 0; i < warmup + events; i++) {
      const received = new Promise<{ at: number; updatedAt: string }>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`No event for version ${version + 1}`)),
          5_000,
        );
        waiting = {
          version: version + 1,
          resolve: (e) => {
            clearTimeout(timer);
            resolve(e);
          },
        };
      });
      const sent = wallNow();
      const res = await httpJson({
        ...base,
        path: `/api/tasks/${write.taskId}`,
        method: 'PATCH',
        body: JSON.stringify({ version, title: `Edited live ${i}` }),
      });
      if (res.status !== 200)
        throw new Error(`PATCH answered ${res.status}: ${JSON.stringify(res.body)}`);
      version = (res.body as { version: number }).version;
      const { at, updatedAt } = await received;
      if (i < warmup) continue;
      fromTxStart.push(at - Date.parse(updatedAt));
      fromRequest.push(at - sent);
    }
    // Sequential writes: throughput is not what this measures.
    return { fromTxStart: summarize(fromTxStart, 1), fromRequest: summarize(fromRequest, 1) };
  } finally {
    client.disconnect();
  }
}

/**
 * One event at a time to `clients` pusher-js clients on one channel (in a child process), published with the
 * `pusher` SDK; each client's latency runs from just before the publish call to its receipt.
 */
export async function benchFanout(realtime: Realtime, clients: number, events: number, warmup = 3) {
  const channel = 'private-bench-fanout';
  const child = fork(new URL('./fanout-clients.ts', import.meta.url).pathname, {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      FANOUT_APP_ID: realtime.appId,
      FANOUT_KEY: realtime.key,
      FANOUT_SECRET: realtime.secret,
      FANOUT_PORT: String(realtime.port),
      FANOUT_CLIENTS: String(clients),
      FANOUT_CHANNEL: channel,
    },
  });
  type Report =
    | { type: 'ready' }
    | { type: 'event'; seq: number; latencies: number[]; missing: number };
  let exited: ((code: number | null) => void) | undefined;
  child.on('exit', (code) => exited?.(code));
  const next = () =>
    new Promise<Report>((resolve, reject) => {
      child.once('message', (m) => resolve(m as Report));
      exited = (code) => reject(new Error(`The fan-out clients exited (${code}).`));
    });
  const publisher = new Pusher({
    appId: realtime.appId,
    key: realtime.key,
    secret: realtime.secret,
    host: '127.0.0.1',
    port: String(realtime.port),
    useTLS: false,
  });
  try {
    const connectStarted = performance.now();
    if ((await next()).type !== 'ready') throw new Error('The fan-out clients did not get ready.');
    const connectSeconds = (performance.now() - connectStarted) / 1000;
    const latencies: number[] = [];
    const lastClient: number[] = [];
    let missing = 0;
    for (let seq = 0; seq < warmup + events; seq++) {
      child.send({ type: 'expect', seq });
      const report = next();
      await new Promise((r) => setTimeout(r, 50));
      await publisher.trigger(channel, 'fanout', { seq, sentAt: wallNow() });
      const result = await report;
      if (result.type !== 'event') throw new Error('Unexpected report from the fan-out clients.');
      if (seq < warmup) continue;
      latencies.push(...result.latencies);
      lastClient.push(Math.max(...result.latencies));
      missing += result.missing;
    }
    return {
      perClient: summarize(latencies, 1, missing),
      lastClient: summarize(lastClient, 1),
      connectSeconds,
    } satisfies Record<string, Summary | number>;
  } finally {
    exited = undefined;
    const gone = new Promise((r) => child.once('exit', r));
    child.send({ type: 'stop' });
    await gone;
  }
}
