import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { logger } from '../lib/log';
import { IN_SERVER_BUNDLE, SERVER_BUNDLE_DIR } from './server-bundle';

/** The compiled worker beside the compiled server; from source (development), through tsx. */
const WORKER_ARGS = IN_SERVER_BUNDLE
  ? [join(SERVER_BUNDLE_DIR, 'worker.mjs')]
  : ['--import', 'tsx', fileURLToPath(new URL('./worker.ts', import.meta.url))];

/** Longer than the worker's own 20 s for the jobs in hand, so it can stop cleanly before it is killed. */
const STOP_TIMEOUT_MS = 25_000;

export type WorkerProcess = { child: ChildProcess; stop(): Promise<void> };

/**
 * Starts the worker (scripts/worker.ts) beside the app with this process's environment (call it once the
 * local stack has set DATABASE_* and PUSHER_*). The IPC channel is what keeps it from outliving this process: it closes
 * when this process dies, however it dies, and the worker then stops (see scripts/worker.ts).
 */
export function startWorkerProcess(): WorkerProcess {
  const child = spawn(process.execPath, WORKER_ARGS, {
    env: process.env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let stopping = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) => {
    if (!stopping)
      logger().error(
        { code, signal },
        'the worker exited: mail and clean-ups wait until it runs again',
      );
  });
  return {
    child,
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
