import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/**
 * `npm run bench`: figures on a fresh production build, never on a dev server.
 * Sign-up to dashboard: from the click on "Create organization" to the signed-in dashboard on the new
 * subdomain, in Chromium, including the cross-host handoff.
 */

const PORT = 3200;
const ROOT = `http://localhost:${PORT}`;
const RUNS = Number(process.env.BENCH_SIGNUPS ?? 20);

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function waitForHealth(server: ChildProcess) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error('The server exited before it was ready.');
    try {
      if ((await fetch(`${ROOT}/api/health`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('The server did not become healthy within 120 s.');
}

async function benchSignup() {
  const browser = await chromium.launch({
    executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
    args: [
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const times: number[] = [];
  try {
    for (let i = 0; i < RUNS + 2; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const slug = `bench-${Date.now().toString(36)}-${i}`;
      await page.goto(`${ROOT}/signup`);
      await page.getByLabel('Organization name').fill(`Bench ${i}`);
      await page.getByLabel('Subdomain').fill(slug);
      await page.getByLabel('Your name').fill('Bench User');
      await page.getByLabel('Email').fill(`${slug}@example.com`);
      await page.getByLabel('Password').fill('violet-harbor-42');
      const started = performance.now();
      await page.getByRole('button', { name: 'Create organization' }).click();
      await page.getByRole('heading', { name: 'Welcome, Bench User' }).waitFor();
      // The first two runs warm the server's code paths and are not counted.
      if (i >= 2) times.push(performance.now() - started);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  times.sort((a, b) => a - b);
  return times;
}

// Always measure the code as it is now; BENCH_SKIP_BUILD=1 reuses a build you just made.
if (process.env.BENCH_SKIP_BUILD !== '1' || !existsSync('.next/BUILD_ID')) {
  const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const server = spawn('npx', ['tsx', 'scripts/e2e-server.ts'], {
  env: { ...process.env, E2E_PORT: String(PORT) },
  stdio: ['ignore', 'ignore', 'inherit'],
  detached: true,
});
try {
  await waitForHealth(server);
  const signup = await benchSignup();
  console.log('\nTenantry benchmark (production build, this machine)\n');
  console.table([
    {
      measure: 'sign-up → signed-in dashboard (ms)',
      runs: signup.length,
      p50: Math.round(percentile(signup, 50)),
      p95: Math.round(percentile(signup, 95)),
      max: Math.round(signup.at(-1)!),
      target: '< 1000',
    },
  ]);
} finally {
  if (server.pid) process.kill(-server.pid, 'SIGTERM');
}
