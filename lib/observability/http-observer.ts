import 'server-only';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { logger } from '@/lib/log';
import { observeHttpRequest } from './metrics';
import { acceptRequestId, type RequestContext, runWithRequestContext } from './request-context';
import { describeHost, NEXT_ASSETS, routeTemplate } from './routes';
import { countTenantRequest } from './tenant-usage';

/**
 * Wraps the server's handling of each request (scripts/serve.ts): gives it a request id (echoed in
 * X-Request-Id, and passed on to Next.js in the same header), opens its logging context, and once the
 * response is done writes its access-log line, times it for /api/metrics and counts it for its tenant.
 *
 * The access line names the route template, never the URL: paths carry ids and query strings carry tokens
 * (a reset link's, a handoff's). Bodies, cookies and headers are never logged.
 */
type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export function observeRequests({ rootDomain }: { rootDomain: string }, handler: Handler): Handler {
  return (req, res) => {
    const started = performance.now();
    const host = describeHost(req.headers.host, rootDomain);
    const route = routeTemplate(host.kind, req.url ?? '/');
    const requestId = acceptRequestId(req.headers['x-request-id']);
    req.headers['x-request-id'] = requestId;
    res.setHeader('X-Request-Id', requestId);
    const context: RequestContext = { requestId, ...(host.slug && { tenantSlug: host.slug }) };

    res.once('close', () => {
      const durationMs = performance.now() - started;
      const status = res.writableFinished ? res.statusCode : 'aborted';
      observeHttpRequest({
        method: req.method,
        host: host.kind,
        route,
        status,
        seconds: durationMs / 1000,
      });
      if (context.tenantId) countTenantRequest(context.tenantId);
      runWithRequestContext(context, () => {
        // A page load fetches a dozen scripts and styles: their lines are there for debugging only.
        const level = route === NEXT_ASSETS ? 'debug' : 'info';
        logger()[level](
          {
            method: req.method,
            host: host.kind,
            route,
            status,
            durationMs: Math.round(durationMs * 10) / 10,
          },
          'request',
        );
      });
    });
    runWithRequestContext(context, () => handler(req, res));
  };
}
