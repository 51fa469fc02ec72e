import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeRedirectPath, safeTenantUrl } from '@/lib/auth/safe-redirect';

const ORIGIN = 'http://acme.localhost:3000';
const HTTPS_ORIGIN = 'https://acme.example.com';

/** Where a browser on the sign-in page lands when it follows `target` (`location.assign`). */
const landing = (target: string, origin = ORIGIN) => new URL(target, `${origin}/login?next=x`);

/** Values that browsers (and the URL standard) resolve to another host, or to no host at all. */
const HOSTILE = [
  '//evil.example/pwn',
  '/\\evil.example/pwn',
  '\\\\evil.example/pwn',
  '\\/evil.example/pwn',
  '/\t/evil.example/pwn',
  '/\t\\evil.example/x',
  '\t//evil.example',
  '/\n/evil.example',
  '/\r\n/evil.example',
  '/\\/evil.example',
  '/\\\\evil.example',
  ' //evil.example',
  '\u0000//evil.example',
  '\u001f//evil.example',
  '/.//evil.example/x',
  '/./\\evil.example/x',
  '/a/../..//evil.example',
  '/%2e//evil.example',
  `${ORIGIN}//evil.example/x`,
  'https:evil.example',
  'https:/evil.example',
  'https://evil.example',
  'HTTPS://evil.example',
  'ftp://evil.example',
  'http://evil.example',
  'http://acme.localhost:3000.evil.example/',
  'http://acme.localhost:3000@evil.example/',
  '//acme.localhost:3000@evil.example/',
  'http://acme.localhost:3001/',
  'https://acme.localhost:3000/',
  'http://beta.localhost:3000/',
  '//evil%2Eexample',
  '//evil。example',
  '//evil．example',
  'javascript:alert(document.domain)',
  'JaVaScRiPt:alert(1)',
  ' javascript:alert(1)',
  'java\tscript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  `blob:${ORIGIN}/0000`,
  'mailto:x@evil.example',
];

/** Values that stay on the organization's host, but only as the normalised path. */
const SAME_HOST: [string, string][] = [
  ['/projects', '/projects'],
  ['/projects/1?task=2#c', '/projects/1?task=2#c'],
  ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
  ['/%5Cevil.example', '/%5Cevil.example'],
  ['/%09/evil.example', '/%09/evil.example'],
  ['/\u2215\u2215evil.example', '/%E2%88%95%E2%88%95evil.example'],
  ['/\uff0f\uff0fevil.example', '/%EF%BC%8F%EF%BC%8Fevil.example'],
  ['/\u29f8evil.example', '/%E2%A7%B8evil.example'],
  ['http:evil.example', '/evil.example'],
  ['projects', '/projects'],
  ['/a/b/../c', '/a/c'],
  [`${ORIGIN}/settings`, '/settings'],
  ['HTTP://ACME.LOCALHOST:3000/x', '/x'],
  ['?tab=1', '/?tab=1'],
];

describe('safeRedirectPath', () => {
  it.each(HOSTILE)('refuses %j', (next) => {
    expect(safeRedirectPath(next, ORIGIN)).toBe('/');
  });

  it.each(SAME_HOST)('turns %j into the path %j', (next, path) => {
    expect(safeRedirectPath(next, ORIGIN)).toBe(path);
    expect(landing(path).origin).toBe(ORIGIN);
  });

  it('keeps the same corpus on an https origin with a default port', () => {
    for (const next of HOSTILE) {
      expect(landing(safeRedirectPath(next, HTTPS_ORIGIN), HTTPS_ORIGIN).origin).toBe(HTTPS_ORIGIN);
    }
    // A scheme-relative value of the origin's own scheme is a path on it, as in a browser.
    expect(safeRedirectPath('https:evil.example', HTTPS_ORIGIN)).toBe('/evil.example');
    expect(safeRedirectPath('/\t/evil.example', HTTPS_ORIGIN)).toBe('/');
    expect(safeRedirectPath('http://acme.example.com/x', HTTPS_ORIGIN)).toBe('/');
    expect(safeRedirectPath('https://acme.example.com:443/x', HTTPS_ORIGIN)).toBe('/x');
  });

  it('answers / for nothing at all', () => {
    for (const next of [undefined, null, '', '/']) expect(safeRedirectPath(next, ORIGIN)).toBe('/');
  });

  it('never answers anything that leaves the origin, and answers the same again for its answer', () => {
    // Strings built from the characters that matter to URL parsing, and any Unicode besides.
    const piece = fc.constantFrom(
      '/',
      '\\',
      '\t',
      '\n',
      '\r',
      ' ',
      '.',
      '..',
      '%2F',
      '%5C',
      '%2e',
      '%09',
      ':',
      '@',
      '?',
      '#',
      'http:',
      'https:',
      'javascript:',
      'evil.example',
      'acme.localhost:3000',
      '\u2215',
      '\uff0f',
      '\u3002',
    );
    const next = fc.oneof(
      fc.array(piece, { maxLength: 8 }).map((parts) => parts.join('')),
      fc.string({ unit: 'grapheme', maxLength: 20 }),
      fc.webUrl(),
    );
    fc.assert(
      fc.property(next, fc.constantFrom(ORIGIN, HTTPS_ORIGIN), (value, origin) => {
        const path = safeRedirectPath(value, origin);
        expect(path.startsWith('/') && !path.startsWith('//')).toBe(true);
        expect(landing(path, origin).origin).toBe(origin);
        expect(safeRedirectPath(path, origin)).toBe(path);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('safeTenantUrl', () => {
  const root = 'http://localhost:3000';

  it('follows a redirect to an organization host of this deployment', () => {
    const handoff = 'http://acme.localhost:3000/auth/handoff?token=abc';
    expect(safeTenantUrl(handoff, root)).toBe(handoff);
    expect(safeTenantUrl('https://acme.example.com/login', 'https://example.com')).toBe(
      'https://acme.example.com/login',
    );
  });

  it('refuses anything else', () => {
    for (const target of [
      'http://evil.example/',
      '//acme.localhost:3000/login',
      '/login',
      'javascript:alert(1)',
      'https://acme.localhost:3000/login',
      'http://acme.localhost:3001/login',
      'http://a.b.localhost:3000/',
      'http://admin.localhost:3000/',
      'http://localhost:3000/',
      'http://acme.localhost:3000.evil.example/',
      'http://user:pw@acme.localhost:3000/',
      '',
      null,
    ]) {
      expect(safeTenantUrl(target, root)).toBeNull();
    }
    expect(safeTenantUrl('http://acme.example.com/login', 'https://example.com')).toBeNull();
  });
});
