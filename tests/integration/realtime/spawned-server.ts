// The local server in its own process, started the way developers start it
// (scripts/realtime-server.ts): only there does an uncaught exception end the process, which
// an in-process test would not see (Vitest catches it).
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LocalPusherServer } from '@/lib/realtime/local-server';
import { APP, waitFor } from './harness';

const SCRIPT = fileURLToPath(new URL('../../../scripts/realtime-server.ts', import.meta.url));
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;

export interface SpawnedServer extends LocalPusherServer {
  process: ChildProcess;
  /** Whether the process is still running. */
  isRunning(): boolean;
}

export async function spawnRealtimeServer(): Promise<SpawnedServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
    env: {
      ...process.env,
      PUSHER_APP_ID: APP.appId,
      PUSHER_KEY: APP.key,
      PUSHER_SECRET: APP.secret,
      PUSHER_PORT: '0',
      // Its address is read from its start-up line, whatever the tests' own level.
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const port = await waitFor<number>(
    'the realtime server process to listen',
    (resolve) => {
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /ws:\/\/127\.0\.0\.1:(\d+)/.exec(output);
        if (match?.[1] !== undefined) resolve(Number(match[1]));
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
    },
    START_TIMEOUT_MS,
  ).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw new Error(`${String(error)}; output: ${output}`);
  });
  return {
    port,
    process: child,
    isRunning: () => child.exitCode === null && child.signalCode === null,
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
