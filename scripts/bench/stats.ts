/** Latency samples in milliseconds and what the report prints about them. */

export type Summary = {
  count: number;
  seconds: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  /** CPU milliseconds per call, by process group (app server, database, this process, ...). */
  cpuMsPerCall?: Record<string, number>;
  /** The measured windows, [start, end] in epoch milliseconds. */
  windows?: [number, number][];
};

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  ]!;
}

export function summarize(samples: number[], seconds: number, errors = 0): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    seconds,
    throughput: sorted.length / seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    errors,
  };
}

const ms = (v: number) => (Number.isNaN(v) ? '–' : v < 10 ? v.toFixed(2) : v.toFixed(1));

/** One row of the printed table. */
export function row(measure: string, s: Summary, extra: Record<string, string> = {}) {
  return {
    measure,
    n: s.count,
    'req/s': s.throughput.toFixed(0),
    'p50 ms': ms(s.p50),
    'p95 ms': ms(s.p95),
    'p99 ms': ms(s.p99),
    'max ms': ms(s.max),
    errors: s.errors,
    ...Object.fromEntries(
      Object.entries(s.cpuMsPerCall ?? {}).map(([k, v]) => [`cpu ${k}`, v.toFixed(2)]),
    ),
    ...extra,
  };
}

/** Fixed-width table: console.table quotes strings and wastes columns. */
export function printTable(title: string, rows: Record<string, string | number>[]) {
  if (rows.length === 0) return;
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const width = (c: string) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? '').length));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) =>
        i === 0 ? cell.padEnd(width(columns[i]!)) : cell.padStart(width(columns[i]!)),
      )
      .join('  ');
  console.log(`\n${title}`);
  console.log(line(columns));
  console.log(columns.map((c) => '-'.repeat(width(c))).join('  '));
  for (const r of rows) console.log(line(columns.map((c) => String(r[c] ?? ''))));
}
