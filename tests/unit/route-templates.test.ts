import { join, relative, sep } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NEXT_ASSETS, ROUTE_TEMPLATES, routeTemplate, UNMATCHED } from '@/lib/observability/routes';
import { filesNamed } from '../support/files';

const APP = join(process.cwd(), 'app');

/** Every route app/ serves, by the host kind that reaches it, read from disk as Next.js reads it. */
function routesOnDisk() {
  const found = { root: new Set<string>(), tenant: new Set<string>() };
  for (const file of filesNamed(APP)) {
    const parts = relative(APP, file).split(sep);
    const name = parts.pop()!;
    const metadataFile = parts.length === 0 && name === 'icon.svg';
    if (!metadataFile && name !== 'page.tsx' && name !== 'route.ts') continue;
    const path = (segments: string[]) =>
      `/${[...segments.filter((s) => !s.startsWith('(')), ...(metadataFile ? [name] : [])].join('/')}`;
    if (parts[0] === 'tenant') found.tenant.add(path(parts.slice(2)));
    else if (parts[0] === 'api' || metadataFile) {
      found.root.add(path(parts));
      found.tenant.add(path(parts));
    } else found.root.add(path(parts));
  }
  return { root: [...found.root].sort(), tenant: [...found.tenant].sort() };
}

describe('route templates', () => {
  it('are exactly the routes app/ serves on each kind of host', () => {
    expect({
      root: [...ROUTE_TEMPLATES.root].sort(),
      tenant: [...ROUTE_TEMPLATES.tenant].sort(),
    }).toEqual(routesOnDisk());
  });

  it('name the route, not the URL: ids, tokens and query strings are gone', () => {
    const id = '3f0f8f0e-8d5c-4a5b-9a4e-2c1d0e9f8a7b';
    expect(routeTemplate('tenant', `/projects/${id}`)).toBe('/projects/[id]');
    expect(routeTemplate('tenant', `/api/tasks/${id}?x=1`)).toBe('/api/tasks/[id]');
    expect(routeTemplate('root', `/api/projects/${id}/board`)).toBe('/api/projects/[id]/board');
    expect(routeTemplate('tenant', '/reset-password?token=secret-token-value')).toBe(
      '/reset-password',
    );
    expect(routeTemplate('tenant', '/auth/handoff?token=abc#x')).toBe('/auth/handoff');
    expect(routeTemplate('tenant', '/projects/')).toBe('/projects');
    expect(routeTemplate('root', '/')).toBe('/');
    expect(routeTemplate('tenant', '/')).toBe('/');
  });

  it('fold Next.js assets into one value and anything else into another', () => {
    expect(routeTemplate('root', '/_next/static/chunks/app/page-0123abcd.js')).toBe(NEXT_ASSETS);
    expect(routeTemplate('tenant', '/_next/image?url=x')).toBe(NEXT_ASSETS);
    expect(routeTemplate('root', '/projects')).toBe(UNMATCHED);
    expect(routeTemplate('tenant', '/signup')).toBe(UNMATCHED);
    expect(routeTemplate('tenant', '/tenant/acme/projects')).toBe(UNMATCHED);
    expect(routeTemplate('unknown', '/wp-login.php')).toBe(UNMATCHED);
    expect(routeTemplate('unknown', '/login')).toBe('/login');
  });

  it('stay within the fixed set whatever path a client sends', () => {
    const allowed = new Set([
      ...ROUTE_TEMPLATES.root,
      ...ROUTE_TEMPLATES.tenant,
      NEXT_ASSETS,
      UNMATCHED,
    ]);
    const host = fc.constantFrom('root' as const, 'tenant' as const, 'unknown' as const);
    fc.assert(
      fc.property(host, fc.string({ maxLength: 80 }), (kind, path) => {
        expect(allowed.has(routeTemplate(kind, `/${path}`))).toBe(true);
      }),
      { seed: 14, numRuns: 2000 },
    );
  });
});
