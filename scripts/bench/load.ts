import { Agent, request } from 'node:http';
import { type CpuSnapshot, cpuDelta } from './cpu';
import { type Summary, summarize } from './stats';

export type LoadOptions = {
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** Read at the start and the end of the measured window, to report CPU time per call. */
  cpu?: () => CpuSnapshot;
};

type Loop = {
  samples: number[];
  errors: number;
  firstError: unknown;
  cpu?: Record<string, number>;
  /** The measured window, in epoch milliseconds. */
  window: [number, number];
};

/**
 * A closed loop: `concurrency` workers each run `once` back to back for the warm-up (not counted), then for
 * the measured duration. Latency is each call's own duration; throughput is completed calls per second.
 */
async function runLoop(options: LoadOptions, once: () => Promise<void>): Promise<Loop> {
  const samples: number[] = [];
  let errors = 0;
  let firstError: unknown;
  const warmupEnds = performance.now() + options.warmupMs;
  const ends = warmupEnds + options.durationMs;
  let cpuBefore: CpuSnapshot | undefined;
  let cpuAfter: CpuSnapshot | undefined;
  const probes = options.cpu
    ? [
        setTimeout(() => (cpuBefore = options.cpu?.()), options.warmupMs),
        setTimeout(() => (cpuAfter = options.cpu?.()), options.warmupMs + options.durationMs),
      ]
    : [];
  const worker = async () => {
    for (;;) {
      const started = performance.now();
      if (started >= ends) return;
      try {
        await once();
        const done = performance.now();
        if (started >= warmupEnds && done <= ends) samples.push(done - started);
      } catch (error) {
        errors += 1;
        firstError ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  for (const probe of probes) clearTimeout(probe);
  // The last calls can end before the end-of-window timer gets its turn.
  if (cpuBefore) cpuAfter ??= options.cpu?.();
  const cpu = cpuBefore && cpuAfter ? cpuDelta(cpuBefore, cpuAfter) : undefined;
  const epoch = (t: number) => performance.timeOrigin + t;
  return { samples, errors, firstError, cpu, window: [epoch(warmupEnds), epoch(ends)] };
}

function summarizeLoops(loops: Loop[], seconds: number): Summary {
  const samples = loops.flatMap((l) => l.samples);
  const errors = loops.reduce((n, l) => n + l.errors, 0);
  const firstError = loops.find((l) => l.firstError)?.firstError;
  if (firstError) console.error(`  ${errors} failed calls, the first:`, firstError);
  const summary = summarize(samples, seconds, errors);
  summary.windows = loops.map((l) => l.window);
  const cpu: Record<string, number> = {};
  for (const loop of loops)
    for (const [k, v] of Object.entries(loop.cpu ?? {})) cpu[k] = (cpu[k] ?? 0) + v;
  if (Object.keys(cpu).length > 0 && samples.length > 0) {
    summary.cpuMsPerCall = Object.fromEntries(
      Object.entries(cpu).map(([k, v]) => [k, v / samples.length]),
    );
  }
  return summary;
}

export async function closedLoop(
  options: LoadOptions,
  once: () => Promise<void>,
): Promise<Summary> {
  return summarizeLoops([await runLoop(options, once)], options.durationMs / 1000);
}

/**
 * The same closed loop for each of `targets` in turn, in `rounds` short windows (each with its own warm-up),
 * so that what the machine does meanwhile (other load, a slower minute) weighs on every target alike: their
 * ratios are what the targets are about. The order turns from round to round. Each target gets `durationMs`
 * in all.
 */
export async function interleavedLoops<K extends string>(
  options: LoadOptions & { rounds: number },
  targets: Record<K, () => Promise<void>>,
): Promise<Record<K, Summary>> {
  const window = { ...options, durationMs: options.durationMs / options.rounds };
  const keys = Object.keys(targets) as K[];
  const loops = Object.fromEntries(keys.map((k) => [k, [] as Loop[]])) as Record<K, Loop[]>;
  for (let round = 0; round < options.rounds; round++) {
    // Each round starts one target later, so no target always runs right after the same other one.
    const shift = round % keys.length;
    for (const key of [...keys.slice(shift), ...keys.slice(0, shift)]) {
      loops[key].push(await runLoop(window, targets[key]));
    }
  }
  return Object.fromEntries(
    keys.map((k) => [k, summarizeLoops(loops[k], options.durationMs / 1000)]),
  ) as Record<K, Summary>;
}

export type Target = { port: number; host: string; path: string; headers?: Record<string, string> };

/** A GET that must answer 200, over keep-alive connections, body read in full. */
export function httpGetter(target: Target, agent: Agent) {
  return () =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: target.port,
          path: target.path,
          agent,
          headers: { Host: target.host, ...target.headers },
        },
        (res) => {
          res.on('data', () => {});
          res.on('end', () =>
            res.statusCode === 200
              ? resolve()
              : reject(new Error(`${target.path} answered ${res.statusCode}`)),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
}

/**
 * `idleMs` closes connections that have been idle that long. Targets on different servers keep separate
 * connections, which wait while the other targets' windows run; an app server closes a connection after 5 s
 * idle (Node's keepAliveTimeout), and a request sent on it at that moment fails with ECONNRESET.
 */
export const keepAliveAgent = (sockets: number, idleMs?: number) =>
  new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets, timeout: idleMs });

/** A request with a body, for writes and auth; resolves with the status and the parsed JSON body. */
export function httpJson(
  target: Target & { method: string; body?: string; contentType?: string },
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: target.port,
        path: target.path,
        method: target.method,
        headers: {
          Host: target.host,
          ...(target.body
            ? {
                'Content-Type': target.contentType ?? 'application/json',
                'Content-Length': Buffer.byteLength(target.body),
              }
            : {}),
          ...target.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {}
          resolve({ status: res.statusCode ?? 0, body });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(target.body);
  });
}

/** A page's HTML, or an error naming the path when it does not answer 200 with a page. */
export async function getHtml(target: Target): Promise<string> {
  const answer = await httpJson({ ...target, method: 'GET' });
  if (answer.status !== 200 || typeof answer.body !== 'string')
    throw new Error(`${target.path} answered ${answer.status}, not an HTML page.`);
  return answer.body;
}
