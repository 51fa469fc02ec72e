import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import next from 'next';
import { assertRoleCannotBypassRls } from '../db/bootstrap';
import { getEnv } from '../lib/config/env';
import { fixedSecurityHeaders } from '../lib/http/security-headers';
import { logger } from '../lib/log';
import { releaseAbortReasonStacks } from './abort-reason-stacks';
import { refuseOversizedBody } from './body-limit';
import { readClientManifestsInMainRealm } from './client-manifests';
import { trackConnections } from './graceful-shutdown';
import { returnMemoryWhenQuiet } from './idle-memory';
import { serveBuiltNextConfig, skipBundlerAtRunTime, skipNodeFetchUrlFallback } from './lean-start';
import { listenOn } from './listen';
import { allowServerOnlyImports } from './server-bundle';
import { answerWhileUnavailable } from './unavailable';

/**
 * The process that serves the app in every mode. It sits in front of Next.js so that the client address,
 * host and scheme come from the socket: Next 15 keeps a client's own X-Forwarded-* headers, and Auth.js and
 * the tenant routing trust X-Forwarded-Host. Only a proxy named in TRUSTED_PROXY may set them. In production
 * it also answers the board's JSON itself, without Next.js (lib/http/direct-routes.ts); in development Next
 * serves that route from the same definition, so edits reload.
 */

const normalizeIp = (ip: string | undefined) => (ip ?? '').replace(/^::ffff:/, '');

/**
 * After a server action redirects, Next.js fetches the target from this same server over loopback, copying
 * the original request's headers but not its Host. This per-process secret, added to every request we have
 * sanitized, lets us recognise that internal request and keep the headers we set the first time.
 */
const INTERNAL_HEADER = 'x-tenantry-sanitized';
const internalSecret = randomBytes(32).toString('hex');

function isOwnInternalRequest(req: IncomingMessage, remote: string) {
  const value = req.headers[INTERNAL_HEADER];
  if (typeof value !== 'string' || value.length !== internalSecret.length) return false;
  const loopback = remote === '127.0.0.1' || remote === '::1';
  return loopback && timingSafeEqual(Buffer.from(value), Buffer.from(internalSecret));
}

export function sanitizeForwardedHeaders(req: IncomingMessage, trustedProxies: string[]) {
  for (const name of Object.keys(req.headers)) {
    // x-middleware-subrequest lets a client skip middleware entirely (CVE-2025-29927).
    if (name.startsWith('x-middleware-') || name === 'x-invoke-path' || name === 'x-invoke-query')
      delete req.headers[name];
  }
  const remote = normalizeIp(req.socket.remoteAddress);
  if (isOwnInternalRequest(req, remote)) return;
  req.headers[INTERNAL_HEADER] = internalSecret;
  const fromProxy = trustedProxies.includes(remote);
  const proxyProto = req.headers['x-forwarded-proto'];
  delete req.headers.forwarded;
  delete req.headers['x-real-ip'];
  req.headers['x-forwarded-for'] = fromProxy
    ? clientBehindProxies(req.headers['x-forwarded-for'], remote, trustedProxies)
    : remote;
  // The tenant comes from Host, which proxies pass through; a forwarded host header is never believed.
  req.headers['x-forwarded-host'] = req.headers.host ?? '';
  req.headers['x-forwarded-proto'] =
    fromProxy && (proxyProto === 'https' || proxyProto === 'http')
      ? proxyProto
      : (req.socket as TLSSocket).encrypted
        ? 'https'
        : 'http';
  req.headers['x-forwarded-port'] = String(req.socket.localPort ?? '');
}

/**
 * Proxies append the address they saw to X-Forwarded-For, after whatever the client sent; the client is the
 * rightmost entry that is not one of our own proxies. Anything further left is the client's own claim.
 */
function clientBehindProxies(
  header: string | string[] | undefined,
  remote: string,
  trusted: string[],
) {
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((h) => normalizeIp(h.trim()))
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!trusted.includes(hops[i]!)) return hops[i]!;
  }
  return hops[0] ?? remote;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A state-changing request that a browser sent from another origin. Sibling tenant subdomains are the same
 * *site*, so SameSite cookies do not stop them; the Origin header does. Next.js checks server actions too,
 * but answers 500; this answers 403 for every write, route handlers included. Requests without Origin are
 * not from a browser page and carry no ambient cookies worth forging.
 */
export function isCrossOriginWrite(req: IncomingMessage): boolean {
  if (SAFE_METHODS.has(req.method ?? 'GET')) return false;
  const origin = req.headers.origin;
  if (!origin) return false;
  try {
    return origin === 'null' || new URL(origin).host !== req.headers['x-forwarded-host'];
  } catch {
    return true;
  }
}

/** How long a shutdown waits for requests in flight; orchestrators wait longer before they kill (30 s). */
const SHUTDOWN_GRACE_MS = 10_000;

export async function startServer({ dev }: { dev: boolean }) {
  const env = getEnv();
  for (const warning of env.warnings) logger().warn(warning);
  // Before Next.js renders anything: a finished render must not keep the ones beside it alive.
  releaseAbortReasonStacks();
  // Before Next.js loads a page: a realm per page's client manifest was 5 MB of live heap.
  readClientManifestsInMainRealm();
  // Next.js runs in this process, so its copies of db/ find these settings on globalThis.
  allowServerOnlyImports();
  const { configureDatabaseFromEnv } = await import('../lib/config/database');
  configureDatabaseFromEnv();
  const { observeRequests, startUsageFlusher, closeDatabase, matchDirectRoute, serveDirect } =
    await import('./server-modules');
  await Promise.all([
    assertRoleCannotBypassRls(env.databaseUrl, 'runtime'),
    assertRoleCannotBypassRls(env.databasePlatformUrl, 'platform'),
  ]);
  // Before Next.js loads its config: the production server neither compiles nor re-validates what the build
  // did (8.8 MB of live heap).
  if (!dev) {
    serveBuiltNextConfig(join(process.cwd(), '.next'));
    skipBundlerAtRunTime();
  }
  // Before anything publishes (pusher loads node-fetch on first use).
  skipNodeFetchUrlFallback();
  const app = next({ dev, port: env.port, hostname: 'localhost' });
  const handle = app.getRequestHandler();
  await app.prepare();
  const fixedHeaders = Object.entries(fixedSecurityHeaders(env));
  const serveRequest = (req: IncomingMessage, res: ServerResponse) => {
    // Every response, this server's own answers included; middleware replaces the CSP on pages.
    for (const [name, value] of fixedHeaders) res.setHeader(name, value);
    sanitizeForwardedHeaders(req, env.trustedProxies);
    if (isCrossOriginWrite(req)) {
      res.writeHead(403, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          error: { code: 'forbidden', message: 'This request came from another site.' },
        }),
      );
      return;
    }
    if (refuseOversizedBody(req, res)) return;
    if (answerWhileUnavailable(req, res)) return;
    const direct = dev ? null : matchDirectRoute(req.method, req.url);
    if (direct) {
      void serveDirect(direct, req, res).catch((error: unknown) => {
        logger().error({ err: error }, 'a direct route failed');
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end();
      });
      return;
    }
    handle(req, res);
  };
  const server = createServer(observeRequests(env, serveRequest));
  const connections = trackConnections(server);
  const closeOtherListeners = await listenOn(server, env.port, env.listenHosts);
  const usage = startUsageFlusher();
  // Production only: the development server's heap is the bundler's, and it is restarted often.
  const memory = dev
    ? undefined
    : returnMemoryWhenQuiet(server, {
        busy: connections.busy,
        onReturn: (r) => {
          const mb = (bytes: number) => Math.round(bytes / 1048576);
          logger().info(
            {
              step: r.step,
              ms: Math.round(r.ms),
              oldSpaceMb: [mb(r.oldSpaceBefore), mb(r.oldSpaceAfter)],
              youngMb: [mb(r.youngBefore), mb(r.youngAfter)],
              heapUsedMb: [mb(r.heapUsedBefore), mb(r.heapUsedAfter)],
            },
            'quiet: gave back the memory the last load left',
          );
        },
      });
  if (memory && !memory.enabled)
    logger().warn('This Node.js does not let the server give back its memory once quiet.');
  return {
    server,
    /**
     * Graceful shutdown (SIGTERM): stop accepting, let requests in flight finish (for at most
     * SHUTDOWN_GRACE_MS), then save the usage counters' last counts, and close the pools last.
     */
    async stop() {
      const { cutShort } = await connections.drain({
        graceMs: SHUTDOWN_GRACE_MS,
        closeOtherListeners,
      });
      if (cutShort > 0) logger().warn({ cutShort }, 'requests cut short by the shutdown');
      memory?.stop();
      await usage.stop();
      await app.close();
      await closeDatabase();
    },
  };
}
