import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { asSuperuser, connect, type Sql, urls } from '../support/db';
import { request } from '../support/fake-request';

vi.mock('next/headers', () => import('../support/fake-request'));
vi.mock('@/lib/auth/auth', () => import('../support/fake-request'));
request.ip = '203.0.113.73';

const actions = await import('@/lib/organization/actions');
const logoRoute = await import('@/app/api/logo/route');
const { sniffLogoType } = await import('@/lib/organization/logo-type');
const orgs = await import('../support/orgs');

let platform: Sql;

beforeAll(() => {
  platform = connect(urls().platform, 2);
});
afterAll(() => platform.end());
beforeEach(() => {
  request.host = 'localhost:3000';
  request.pointer = null;
});

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]);

const upload = (version: number, bytes: Buffer, name = 'logo.png', type = 'image/png') => {
  const data = new FormData();
  data.set('version', String(version));
  data.set('logo', new File([new Uint8Array(bytes)], name, { type }));
  return actions.uploadLogo(data);
};

const getLogo = (host: string, query = '') => {
  request.host = host;
  return logoRoute.GET(new Request(`http://${host}/api/logo${query}`));
};

describe('the organization logo', () => {
  it('knows PNG, JPEG and WebP by their bytes, and nothing else', () => {
    expect(sniffLogoType(PNG)).toBe('image/png');
    expect(sniffLogoType(JPEG)).toBe('image/jpeg');
    expect(sniffLogoType(WEBP)).toBe('image/webp');
    expect(sniffLogoType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(sniffLogoType(Buffer.from('GIF89a'))).toBeNull();
    expect(sniffLogoType(Buffer.alloc(0))).toBeNull();
  });

  it('is stored, served with its sniffed type, nosniff and a cache keyed by its version, and removed', async () => {
    const org = await orgs.signUpOrg(platform, 'logo-owner');
    orgs.actAs(request, org);
    // Declared as a JPEG named .gif: the bytes decide.
    const saved = await orgs.ok(upload(1, PNG, 'logo.gif', 'image/jpeg'));
    expect(saved.version).toBe(2);
    expect(saved.logoUrl).toMatch(/^\/api\/logo\?v=\d+$/);

    const host = `${org.slug}.localhost:3000`;
    request.pointer = null;
    const current = await getLogo(host, saved.logoUrl!.slice('/api/logo'.length));
    expect(current.status).toBe(200);
    expect(current.headers.get('content-type')).toBe('image/png');
    expect(current.headers.get('x-content-type-options')).toBe('nosniff');
    expect(current.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(Buffer.from(await current.arrayBuffer())).toEqual(PNG);
    // Any other version: the current logo, never cached for good under a name it does not have.
    const old = await getLogo(host, '?v=1');
    expect(old.headers.get('cache-control')).toBe('no-cache');

    const [audit] = await asSuperuser(
      (sql) =>
        sql`select metadata from audit_events where tenant_id = ${org.tenantId} and action = 'organization.logo_changed'`,
    );
    expect(audit!.metadata).toEqual({ contentType: 'image/png', bytes: PNG.length });

    orgs.actAs(request, org);
    expect(await orgs.ok(actions.removeLogo({ version: 2 }))).toEqual({ version: 3 });
    expect((await getLogo(host)).status).toBe(404);
    orgs.actAs(request, org);
    expect(await actions.removeLogo({ version: 3 })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
  });

  it('refuses what is not a PNG, JPEG or WebP, and images over 256 KB, next to the field', async () => {
    const org = await orgs.signUpOrg(platform, 'logo-refused');
    orgs.actAs(request, org);
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    expect(await upload(1, html, 'logo.png', 'image/png')).toMatchObject({
      ok: false,
      error: { code: 'invalid', fieldErrors: { logo: 'Choose a PNG, JPEG or WebP image.' } },
    });
    const big = Buffer.concat([PNG, Buffer.alloc(256 * 1024)]);
    expect(await upload(1, big)).toMatchObject({
      ok: false,
      error: { code: 'too_large', fieldErrors: { logo: expect.stringMatching(/at most 256 KB/) } },
    });
    expect(await upload(1, Buffer.alloc(0))).toMatchObject({
      ok: false,
      error: { fieldErrors: { logo: 'Choose an image file.' } },
    });
    // Exactly the limit passes.
    const limit = Buffer.concat([PNG, Buffer.alloc(256 * 1024 - PNG.length)]);
    expect(await orgs.ok(upload(1, limit))).toMatchObject({ version: 2 });
    const [row] = await asSuperuser(
      (sql) =>
        sql`select octet_length(bytes) as size from tenant_logos where tenant_id = ${org.tenantId}`,
    );
    expect(row!.size).toBe(256 * 1024);
  });

  it('is an owner’s to change, and each organization serves only its own', async () => {
    const org = await orgs.signUpOrg(platform, 'logo-mine');
    const other = await orgs.signUpOrg(platform, 'logo-theirs');
    orgs.actAs(request, org);
    await orgs.ok(upload(1, PNG));
    const admin = await orgs.addMember(platform, org, 'admin');
    orgs.actAsMember(request, org, admin);
    expect(await upload(2, JPEG)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await getLogo(`${other.slug}.localhost:3000`)).status).toBe(404);
    expect((await getLogo(`${org.slug}.localhost:3000`)).status).toBe(200);
    expect((await getLogo('nobody-here.localhost:3000')).status).toBe(404);
  });
});
