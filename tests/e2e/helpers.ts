import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { expect, type Page } from '@playwright/test';

export const PORT = Number(process.env.E2E_PORT ?? 3100);
export const ROOT = `http://localhost:${PORT}`;
export const tenantUrl = (slug: string, path = '/') => `http://${slug}.localhost:${PORT}${path}`;

export type Organization = {
  slug: string;
  name: string;
  email: string;
  password: string;
  userName: string;
};

export function newOrganization(label: string): Organization {
  const id = randomUUID().slice(0, 8);
  return {
    slug: `${label}-${id}`,
    name: `${label[0]!.toUpperCase()}${label.slice(1)} ${id}`,
    email: `owner-${id}@${label}.example.com`,
    password: 'violet-harbor-42',
    userName: `Owner of ${label}`,
  };
}

export async function fillSignup(page: Page, org: Organization) {
  await page.goto(`${ROOT}/signup`);
  await page.getByLabel('Organization name').fill(org.name);
  await page.getByLabel('Subdomain').fill(org.slug);
  await page.getByLabel('Your name').fill(org.userName);
  await page.getByLabel('Email').fill(org.email);
  await page.getByLabel('Password').fill(org.password);
}

/** Signs an organization up through the UI and waits for its signed-in dashboard on its own subdomain. */
export async function signUp(page: Page, org: Organization) {
  await fillSignup(page, org);
  await page.getByRole('button', { name: 'Create organization' }).click();
  await waitForDashboard(page, org.slug, org.userName);
}

/**
 * After a sign-in step that answers with a full navigation: waits until the dashboard has loaded, not only
 * until its heading shows. The heading streams in while the browser is still finishing that navigation, and
 * a `goto` sent in that window is aborted (net::ERR_ABORTED; maybe frame was detached?).
 */
export async function waitForDashboard(page: Page, slug: string, userName: string) {
  await page.waitForURL(tenantUrl(slug), { waitUntil: 'load' });
  await expect(page.getByRole('heading', { name: `Welcome, ${userName}` })).toBeVisible();
}

/**
 * A request from Node to a tenant host: Node's resolver does not know *.localhost, so connect to 127.0.0.1
 * and name the host in the header, as a browser would.
 */
export async function nodeRequest(
  host: string,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
  body?: string,
): Promise<{ status: number; location?: string; body: string; headers: Record<string, string> }> {
  const answer = await nodeRequestBytes(host, path, headers, method, body);
  return { ...answer, body: answer.body.toString('utf8') };
}

/** `nodeRequest` with the body's bytes as they came (a gzipped body is not text). */
export function nodeRequestBytes(
  host: string,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
  body?: string,
): Promise<{ status: number; location?: string; body: Buffer; headers: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: PORT, path, method, headers: { host, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            location: res.headers.location,
            body: Buffer.concat(chunks),
            headers: Object.fromEntries(
              Object.entries(res.headers).map(([k, v]) => [k, String(v)]),
            ),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export async function nodeRequestWithHeaders(host: string, path: string) {
  return (await nodeRequest(host, path)).headers;
}

/** Waits for a message in the development mailbox and returns the first link in it. */
export async function linkFromMailbox(page: Page, to: string, subject: string): Promise<string> {
  const message = page
    .getByRole('listitem')
    .filter({ hasText: subject })
    .filter({ hasText: `To ${to}` });
  await expect(async () => {
    await page.goto(`${ROOT}/dev/mailbox`);
    await expect(message.first()).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await message.first().locator('summary').click();
  const href = await message.first().getByRole('link').first().getAttribute('href');
  if (!href) throw new Error(`No link in "${subject}" to ${to}`);
  return href;
}

/** Opens a section of the settings dashboard through the menus, as a person would. */
export async function openSettings(page: Page, section: string) {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Settings' })
    .click();
  const link = page
    .getByRole('navigation', { name: 'Settings' })
    .getByRole('link', { name: section, exact: true });
  await link.click();
  // The section's own page: its address and its title (a section heading inside another page may share it).
  const href = await link.getAttribute('href');
  if (href) await expect(page).toHaveURL((url) => url.pathname === href);
  await expect(page.locator('#settings-section-title')).toHaveText(section);
}
