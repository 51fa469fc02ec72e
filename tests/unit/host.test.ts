import { describe, expect, it } from 'vitest';
import { parseHost, refererHost, tenantOrigin } from '@/lib/tenant/host';
import { RESERVED_SLUGS } from '@/lib/tenant/reserved-slugs';

const ROOT = 'localhost:3000';

describe('parseHost', () => {
  it('serves the root pages on the root domain only', () => {
    expect(parseHost('localhost:3000', ROOT)).toEqual({ kind: 'root' });
    expect(parseHost('LOCALHOST:3000', ROOT)).toEqual({ kind: 'root' });
    expect(parseHost('localhost:3001', ROOT)).toEqual({ kind: 'unknown' });
  });

  it('reads a tenant from one label under the root domain', () => {
    expect(parseHost('acme.localhost:3000', ROOT)).toEqual({ kind: 'tenant', slug: 'acme' });
    expect(parseHost('Acme-2.localhost:3000', ROOT)).toEqual({ kind: 'tenant', slug: 'acme-2' });
  });

  it('serves no tenant for nested, foreign, malformed or reserved hosts', () => {
    for (const host of [
      'a.b.localhost:3000',
      'acme.localhost:3000.evil.com',
      'acme.evil.com',
      '-acme.localhost:3000',
      'acme-.localhost:3000',
      '.localhost:3000',
      '',
      null,
      undefined,
    ]) {
      expect(parseHost(host, ROOT)).toEqual({ kind: 'unknown' });
    }
    for (const reserved of [
      'www',
      'api',
      'admin',
      'auth',
      'mail',
      'static',
      'assets',
      'status',
      'docs',
      'help',
      'support',
      'billing',
      'dashboard',
      'app',
    ]) {
      expect(RESERVED_SLUGS.has(reserved)).toBe(true);
      expect(parseHost(`${reserved}.localhost:3000`, ROOT)).toEqual({ kind: 'unknown' });
    }
  });

  it('builds tenant origins from configuration', () => {
    expect(tenantOrigin('acme', 'example.com', 'https:')).toBe('https://acme.example.com');
  });
});

describe('refererHost', () => {
  // The two shapes a deployment takes: development on localhost with a port, production on https.
  const shapes = [
    { rootDomain: 'localhost:3000', protocol: 'http:', root: 'http://localhost:3000' },
    { rootDomain: 'example.com', protocol: 'https:', root: 'https://example.com' },
  ] as const;

  it.each(shapes)('recognises the root and organization hosts of $root', (shape) => {
    const of = (referer: string) => refererHost(referer, shape.rootDomain, shape.protocol);
    const tenantAt = shape.root.replace('//', '//acme.');
    expect(of(`${shape.root}/`)).toEqual({ kind: 'root' });
    expect(of(`${shape.root}/signup?x=1`)).toEqual({ kind: 'root' });
    expect(of(`${tenantAt}/`)).toEqual({ kind: 'tenant', slug: 'acme' });
    expect(of(`${tenantAt}/projects/1`)).toEqual({ kind: 'tenant', slug: 'acme' });
  });

  it.each(shapes)('treats anything else as foreign under $root', (shape) => {
    const other = shape.protocol === 'https:' ? 'http:' : 'https:';
    const host = shape.rootDomain;
    for (const referer of [
      null,
      undefined,
      '',
      'not a url',
      '/relative',
      `${other}//${host}/`,
      `${other}//acme.${host}/`,
      `${shape.protocol}//${host}.evil.example/`,
      `${shape.protocol}//evil${host}/`,
      `${shape.protocol}//evil.example/?${host}`,
      `${shape.protocol}//a.b.${host}/`,
      `${shape.protocol}//admin.${host}/`,
      `${shape.protocol}//user@${host}/`,
      `${shape.protocol}//${host.split(':')[0]}:4000/`,
      `${shape.protocol}//acme.${host.split(':')[0]}:4000/`,
      'null',
    ]) {
      expect({ referer, host: refererHost(referer, shape.rootDomain, shape.protocol) }).toEqual({
        referer,
        host: { kind: 'unknown' },
      });
    }
  });
});
