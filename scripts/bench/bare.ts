import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { securityHeaders } from '../../lib/http/security-headers';
import { type CpuGroup, inGroup, type Memory, serverMemory, serverProcess } from './cpu';
import {
  closedLoop,
  getHtml,
  httpGetter,
  keepAliveAgent,
  type LoadOptions,
  type Target,
} from './load';
import { stopChild, waitForHttp } from './stack';

/**
 * The framework's floor, measured in the same run as the app: a minimal Next.js app of the project's own
 * version (scripts/bench/bare-next) with one `force-static` JSON route and one `force-dynamic` page under the
 * app's security headers, built by `next build` and served by `next start` with the app server's Node flags.
 */
const BARE_DIR = resolve('scripts/bench/bare-next');
const NEXT_BIN = resolve('node_modules/next/dist/bin/next');

export type Bare = {
  port: number;
  cpuGroup: CpuGroup;
  pid: number;
  memory(): Promise<Memory>;
  /** Its resident memory now (MB), read from /proc alone. */
  rssMb(): number;
  stop(): Promise<void>;
};

/** Builds the bare app unless a build is there and `reuse` is set (BENCH_SKIP_BUILD). */
export function buildBare({ reuse }: { reuse: boolean }) {
  if (reuse && existsSync(join(BARE_DIR, '.next', 'BUILD_ID'))) return;
  const build = spawnSync(process.execPath, [NEXT_BIN, 'build', BARE_DIR], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (build.status !== 0)
    throw new Error(`The bare reference app did not build (${build.status}).`);
}

/** `gcLog`: the GC probe's file (scripts/bench/gc-probe.cjs), which the app server has too. */
export async function startBare(port: number, nodeFlags: string[], gcLog: string): Promise<Bare> {
  // The app's own header set, in production over http as the bench serves it, with the nonce left to fill.
  const headers = securityHeaders({ isProduction: true, protocol: 'http:' }, '{nonce}');
  const child: ChildProcess = spawn(
    process.execPath,
    [...nodeFlags, NEXT_BIN, 'start', BARE_DIR, '--port', String(port), '--hostname', '127.0.0.1'],
    {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        BARE_SECURITY_HEADERS: JSON.stringify(headers),
        BENCH_GC_LOG: gcLog,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
      detached: true,
    },
  );
  const stop = () => stopChild(child);
  try {
    await waitForHttp(
      `http://127.0.0.1:${port}/api/static`,
      child,
      'The bare reference app',
      60_000,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const cpuGroup = inGroup(child.pid!);
  return {
    port,
    pid: child.pid!,
    cpuGroup,
    memory: () => serverMemory(cpuGroup, 'next', gcLog),
    rssMb: () => serverProcess(cpuGroup, 'next').rssMb,
    stop,
  };
}

const htmlBytes = async (target: Target) => Buffer.byteLength(await getHtml(target));

/**
 * The bare page padded to the HTML length of `page` (within ±10%, or the comparison is refused): its text
 * appears twice, in the HTML and in the inline React payload, so the padding is found by two linear steps.
 */
export async function matchHtmlBytes(page: Target, barePort: number) {
  const pageBytes = await htmlBytes(page);
  const at = (bytes: number) => ({
    port: barePort,
    host: `127.0.0.1:${barePort}`,
    path: `/html?bytes=${Math.max(0, Math.round(bytes))}`,
  });
  const empty = await htmlBytes(at(0));
  let padding = (pageBytes - empty) / 2;
  for (let step = 0; step < 3; step++) {
    const got = await htmlBytes(at(padding));
    if (Math.abs(got - pageBytes) <= 0.02 * pageBytes || padding <= 0) break;
    padding *= (pageBytes - empty) / Math.max(1, got - empty);
  }
  const bytes = await htmlBytes(at(padding));
  if (Math.abs(bytes - pageBytes) > 0.1 * pageBytes)
    throw new Error(`The bare page came to ${bytes} B against the page's ${pageBytes} B.`);
  return { target: at(padding), bytes, pageBytes };
}

/**
 * The bare dynamic page as long as `page`'s HTML, measured under `load` as the page is: the framework's own
 * cost of rendering that much HTML, for the rows of pages measured one request at a time.
 */
export async function barePageLike(page: Target, barePort: number, load: LoadOptions) {
  const { target, bytes } = await matchHtmlBytes(page, barePort);
  const agent = keepAliveAgent(load.concurrency);
  try {
    const get = httpGetter(target, agent);
    await closedLoop({ concurrency: load.concurrency, warmupMs: 0, durationMs: 1500 }, get);
    return { bytes, summary: await closedLoop(load, get) };
  } finally {
    agent.destroy();
  }
}
