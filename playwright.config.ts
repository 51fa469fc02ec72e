import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3100);
// Debian's Chromium where it exists (Playwright cannot download its own browser on a closed network).
const executablePath = existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;

export default defineConfig({
  testDir: 'tests/e2e',
  // Sign-up, sign-in and mail flows hash several passwords each, beside another worker on 2 cores: under load
  // they took longer than 30 s without anything being wrong. Each wait keeps its own 10 s.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  // No retries: a test that passes only on its second try hides a race in the product or in the test.
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath,
      args: [
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [
    {
      name: 'chromium',
      use: { ...devices['Desktop Chrome'] },
      testIgnore: /(outage|pooler)\.spec\.ts/,
    },
    // Stops the shared realtime server, so it runs alone, after everything else.
    {
      name: 'realtime-outage',
      use: { ...devices['Desktop Chrome'] },
      testMatch: /\/outage\.spec\.ts/,
      dependencies: ['chromium'],
    },
    // Starts two app processes, a worker, PgBouncer and a database of its own and loads them: after the
    // browser tests, beside the realtime outage (which stops only the shared server's realtime).
    {
      name: 'pooler',
      use: { ...devices['Desktop Chrome'] },
      testMatch: /pooler\.spec\.ts/,
      fullyParallel: false,
      dependencies: ['chromium'],
    },
    // Crashes the shared PostgreSQL and times every answer: alone, last.
    {
      name: 'database-outage',
      use: { ...devices['Desktop Chrome'] },
      testMatch: /database-outage\.spec\.ts/,
      dependencies: ['realtime-outage', 'pooler'],
    },
  ],
  webServer: {
    // The production build (npm run build runs first, see package.json) with the compiled server, on its own
    // port and data folder.
    command: 'node .next/tenantry/e2e-server.mjs',
    url: `http://localhost:${port}/api/health`,
    env: { E2E_PORT: String(port) },
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'pipe',
  },
});
