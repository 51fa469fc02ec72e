import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVER_MALLOC_ENV } from '@/db/embedded';
import { asSuperuser } from '../support/db';

/** Minor page faults of a process so far: pages the kernel had to map in for it (`/proc/<pid>/stat`, field 10). */
function minorFaults(pid: number) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[7]);
}

describe('the embedded PostgreSQL', () => {
  it('keeps the memory a statement needs between its runs, instead of faulting it in again each time', async () => {
    await asSuperuser(async (sql) => {
      const [backend] = await sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
      const pid = backend!.pid;
      // Like the board's JSON, only larger: about 1.3 MB of text built in buffers that double as they grow.
      const statement = () =>
        sql`select length(string_agg(md5(i::text), '')) as n from generate_series(1, 40000) i`;
      for (let i = 0; i < 10; i++) await statement();
      const before = minorFaults(pid);
      for (let i = 0; i < 50; i++) await statement();
      // With glibc's thresholds left to adjust themselves, each run faulted its buffers in again (about 1,100
      // pages a run here).
      expect(minorFaults(pid) - before).toBeLessThan(200);
    });
  });

  it('gives the malloc settings to the server only: the processes started after it run with their own', () => {
    // This worker was spawned by Vitest after the global setup had started the server.
    for (const name of Object.keys(SERVER_MALLOC_ENV)) expect(process.env[name]).toBeUndefined();
  });
});
