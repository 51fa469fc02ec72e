import { parseHost } from '@/lib/tenant/host';

/**
 * Requests are counted and logged by the route that served them, never by their raw path: ids, tokens and
 * slugs would make a new time series (and a new log value) of every URL. A path maps to one of the app's own
 * routes, written as in app/ (`/projects/[id]`), or to one of three fixed buckets, so whatever a client sends,
 * the set of values stays this list. tests/unit/route-templates.test.ts keeps it equal to app/.
 */

export type HostKind = 'root' | 'tenant' | 'unknown';

const API_ROUTES = [
  '/api/audit-log/export',
  '/api/email-verification/resend',
  '/api/find-organizations',
  '/api/health',
  '/api/invitations/accept',
  '/api/join',
  '/api/join/complete',
  '/api/login',
  '/api/login/second-factor',
  '/api/logo',
  '/api/metrics',
  '/api/my-organizations',
  '/api/password-reset',
  '/api/projects',
  '/api/projects/[id]/board',
  '/api/pusher/auth',
  '/api/pusher/user-auth',
  '/api/ready',
  '/api/signup',
  '/api/slug-availability',
  '/api/static',
  '/api/tasks/[id]',
];

/** Files app/ serves at the top level of every host (its metadata routes). */
const FILE_ROUTES = ['/icon.svg'];

export const ROUTE_TEMPLATES: Record<'root' | 'tenant', readonly string[]> = {
  root: [
    '/',
    '/dev/mailbox',
    '/find-organizations',
    '/login',
    '/signup',
    ...API_ROUTES,
    ...FILE_ROUTES,
  ],
  tenant: [
    '/',
    '/auth/handoff',
    '/auth/handoff/confirm',
    '/confirm-email-change',
    '/forgot-password',
    '/invitations/accept',
    '/join',
    '/join/complete',
    '/login',
    '/projects',
    '/projects/[id]',
    '/reset-password',
    '/settings',
    '/settings/account',
    '/settings/audit-log',
    '/settings/invitations',
    '/settings/members',
    '/settings/organization',
    '/settings/security',
    '/settings/sessions',
    '/unlock',
    '/verify-email',
    ...API_ROUTES,
    ...FILE_ROUTES,
  ],
};

/** Next.js's own files (scripts, styles, images, its development endpoints): one bucket. */
export const NEXT_ASSETS = '/_next/*';
/** Anything else: a mistyped or probing URL, answered 404. */
export const UNMATCHED = 'unmatched';

const compiled = {
  root: ROUTE_TEMPLATES.root.map((t) => ({ template: t, segments: splitPath(t) })),
  tenant: ROUTE_TEMPLATES.tenant.map((t) => ({ template: t, segments: splitPath(t) })),
};

function splitPath(path: string) {
  return path.split('/').filter(Boolean);
}

/**
 * The route template a request's path names on a host of this kind. Unknown hosts are served through the
 * tenant routes (they show "no organization"), so they share those templates.
 */
export function routeTemplate(host: HostKind, url: string): string {
  const path = url.split(/[?#]/, 1)[0]!;
  if (path.startsWith('/_next/')) return NEXT_ASSETS;
  const segments = splitPath(path);
  const routes = compiled[host === 'root' ? 'root' : 'tenant'];
  const match = routes.find(
    (route) =>
      route.segments.length === segments.length &&
      route.segments.every((s, i) => s === segments[i] || (s.startsWith('[') && s.endsWith(']'))),
  );
  return match?.template ?? UNMATCHED;
}

/** Which kind of host a request came to, and the organization slug it names (shape-checked, not looked up). */
export function describeHost(host: string | undefined, rootDomain: string) {
  const parsed = parseHost(host, rootDomain);
  return parsed.kind === 'tenant'
    ? { kind: 'tenant' as const, slug: parsed.slug }
    : { kind: parsed.kind, slug: undefined };
}
