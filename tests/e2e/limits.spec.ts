import { request as httpRequest } from 'node:http';
import { expect, test } from '@playwright/test';
import { newOrganization, nodeRequest, PORT, signUp, tenantUrl } from './helpers';

/** Declares a large body and sends only its first bytes: the answer must come without the rest. */
function declareLargeBody(host: string, path: string, method: string, bytes: number) {
  const started = Date.now();
  return new Promise<{ status: number; type: string; body: string; ms: number }>(
    (resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: PORT,
          path,
          method,
          headers: { host, 'content-type': 'application/json', 'content-length': String(bytes) },
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => {
            body += chunk;
          });
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              type: String(res.headers['content-type']),
              body,
              ms: Date.now() - started,
            }),
          );
        },
      );
      req.on('error', reject);
      req.write('{"title":"');
    },
  );
}

test('oversized JSON bodies get 413 in the error shape at once, not a 500 after reading them', async () => {
  const host = `limits-${Date.now()}.localhost:${PORT}`;
  const patch = await declareLargeBody(host, '/api/tasks/x', 'PATCH', 20 * 1024 * 1024);
  expect(patch.status).toBe(413);
  expect(JSON.parse(patch.body)).toMatchObject({ error: { code: 'too_large' } });
  expect(patch.ms).toBeLessThan(2000);
  // Small enough for the server to read and drop before answering, as a browser needs: sent in full.
  const login = await nodeRequest(
    `localhost:${PORT}`,
    '/api/login',
    { 'content-type': 'application/json' },
    'POST',
    ' '.repeat(2 * 1024 * 1024),
  );
  expect(login.status).toBe(413);
  expect(JSON.parse(login.body)).toMatchObject({ error: { code: 'too_large' } });
});

test('a server action over 1 MB tells the user next to the field, and the page keeps working', async ({
  page,
}) => {
  const org = newOrganization('limits');
  await signUp(page, org);
  await page.goto(tenantUrl(org.slug, '/projects'));
  await expect(page.getByLabel('New project name')).toBeVisible();
  // By placeholder from here on: finding a field by its label makes the browser compute accessible names,
  // which is slow once an input holds a megabyte.
  const name = page.getByPlaceholder('e.g. Website relaunch');
  await name.fill('x'.repeat(1_100_000));
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByText(/This request is too large/)).toBeVisible();
  await name.fill('After the refusal');
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByRole('link', { name: 'After the refusal' })).toBeVisible();
});
