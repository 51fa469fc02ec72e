import { existsSync } from 'node:fs';
import { type Browser, chromium } from '@playwright/test';
import { wallNow } from './pusher-clients';
import { BENCH_DOMAIN } from './stack';

/** Chromium through Playwright: the sign-up measurement and the measured user's real session. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
    args: [
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      // The bench's root domain and its organizations' subdomains are served here (see BENCH_DOMAIN).
      `--host-resolver-rules=MAP ${BENCH_DOMAIN} 127.0.0.1,MAP *.${BENCH_DOMAIN} 127.0.0.1`,
    ],
  });
}

export type SignedUp = {
  slug: string;
  email: string;
  sessionCookie: string;
  /** From the button's click event to the browser painting the dashboard's greeting (Element Timing). */
  paintedMs: number;
  /**
   * From Playwright's `click()` to Playwright seeing the greeting: its actionability checks before the click,
   * and its visibility check, which runs once the page's scripts have run, are included.
   */
  visibleMs: number;
};

/**
 * When the dashboard's greeting (`elementtiming="dashboard-welcome"`) was painted, in wall-clock ms: from the
 * browser's own Element Timing entry, so the figure does not wait for Playwright's checks, which run only once
 * the page's scripts leave the main thread free.
 */
const greetingPaintedAt = () =>
  new Promise<number | null>((resolve) => {
    new PerformanceObserver((list) => {
      const entry = list
        .getEntries()
        .find(
          (e) =>
            (e as PerformanceEntry & { identifier?: string }).identifier === 'dashboard-welcome',
        );
      const { renderTime } = (entry ?? {}) as { renderTime?: number };
      if (renderTime) resolve(performance.timeOrigin + renderTime);
    }).observe({ type: 'element', buffered: true });
    setTimeout(() => resolve(null), 5_000);
  });

/**
 * Signs an organization up through the real page and returns, from the click on "Create organization" to
 * the signed-in dashboard on the new subdomain (the cross-host handoff included), the time until the browser
 * painted it and until Playwright saw it, and the session cookie the tenant host set.
 */
export async function signUp(browser: Browser, root: string, slug: string): Promise<SignedUp> {
  const context = await browser.newContext();
  try {
    // The click event's own time, as the page saw it: the sign-up page is gone by the time the flow ends.
    let clickedAt: number | undefined;
    await context.exposeFunction('benchClicked', (at: number) => {
      clickedAt ??= at;
    });
    await context.addInitScript(() => {
      addEventListener(
        'click',
        (event) => {
          const report = (window as unknown as { benchClicked(at: number): void }).benchClicked;
          if (event.target instanceof Element && event.target.closest('button[type="submit"]'))
            report(performance.timeOrigin + event.timeStamp);
        },
        { capture: true },
      );
    });
    const page = await context.newPage();
    const email = `${slug}@example.com`;
    await page.goto(`${root}/signup`);
    await page.getByLabel('Organization name').fill(`Bench ${slug}`);
    await page.getByLabel('Subdomain').fill(slug);
    await page.getByLabel('Your name').fill('Bench User');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('violet-harbor-42');
    const started = wallNow();
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.getByRole('heading', { name: 'Welcome, Bench User' }).waitFor();
    const visibleMs = wallNow() - started;
    const paintedAt = await page.evaluate(greetingPaintedAt);
    if (paintedAt === null)
      throw new Error('The dashboard has no Element Timing entry for its greeting.');
    if (clickedAt === undefined) throw new Error('The sign-up page saw no click on its button.');
    // Both are the machine's wall clock, read by two processes (this one and the browser's).
    if (clickedAt < started - 5 || clickedAt > paintedAt)
      throw new Error('The click event is not between the click() call and the paint.');
    const paintedMs = paintedAt - clickedAt;
    const tenantUrl = new URL(page.url());
    const cookie = (await context.cookies(tenantUrl.origin)).find((c) =>
      c.name.endsWith('authjs.session-token'),
    );
    if (!cookie) throw new Error('Signed up, but the tenant host set no session cookie.');
    return {
      slug,
      email,
      sessionCookie: `${cookie.name}=${cookie.value}`,
      paintedMs,
      visibleMs,
    };
  } finally {
    await context.close();
  }
}

export async function benchSignups(browser: Browser, root: string, runs: number) {
  const painted: number[] = [];
  const visible: number[] = [];
  // The first two runs warm the server's code paths and are not counted.
  for (let i = 0; i < runs + 2; i++) {
    const run = await signUp(browser, root, `bench-${Date.now().toString(36)}-${i}`);
    if (i < 2) continue;
    painted.push(run.paintedMs);
    visible.push(run.visibleMs);
  }
  return { painted, visible };
}
