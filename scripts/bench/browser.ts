import { existsSync } from 'node:fs';
import { type Browser, chromium } from '@playwright/test';

/** Chromium through Playwright: the sign-up measurement and the measured user's real session. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
    args: [
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export type SignedUp = { slug: string; email: string; sessionCookie: string; ms: number };

/**
 * Signs an organization up through the real page and returns, from the click on "Create organization" to
 * the signed-in dashboard on the new subdomain (the cross-host handoff included), the time it took and the
 * session cookie the tenant host set.
 */
export async function signUp(browser: Browser, root: string, slug: string): Promise<SignedUp> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const email = `${slug}@example.com`;
    await page.goto(`${root}/signup`);
    await page.getByLabel('Organization name').fill(`Bench ${slug}`);
    await page.getByLabel('Subdomain').fill(slug);
    await page.getByLabel('Your name').fill('Bench User');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('violet-harbor-42');
    const started = performance.now();
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.getByRole('heading', { name: 'Welcome, Bench User' }).waitFor();
    const ms = performance.now() - started;
    const tenantUrl = new URL(page.url());
    const cookie = (await context.cookies(tenantUrl.origin)).find((c) =>
      c.name.endsWith('authjs.session-token'),
    );
    if (!cookie) throw new Error('Signed up, but the tenant host set no session cookie.');
    return { slug, email, sessionCookie: `${cookie.name}=${cookie.value}`, ms };
  } finally {
    await context.close();
  }
}

export async function benchSignups(browser: Browser, root: string, runs: number) {
  const times: number[] = [];
  // The first two runs warm the server's code paths and are not counted.
  for (let i = 0; i < runs + 2; i++) {
    const { ms } = await signUp(browser, root, `bench-${Date.now().toString(36)}-${i}`);
    if (i >= 2) times.push(ms);
  }
  return times;
}
