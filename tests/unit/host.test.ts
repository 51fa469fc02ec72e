import { describe, expect, it } from 'vitest';
import { parseHost, tenantOrigin } from '@/lib/tenant/host';
import { RESERVED_SLUGS } from '@/lib/tenant/slugs';

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
