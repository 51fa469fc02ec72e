/**
 * What the server process needs of the app's own modules, loaded after the `server-only` hook (see
 * scripts/serve.ts): the request observer, the usage flusher, the member reads it answers itself, and
 * closing the pools at shutdown.
 */
export { closeDatabase } from '../db/client';
export { matchDirectRoute, serveDirect } from '../lib/http/direct-routes';
export { observeRequests } from '../lib/observability/http-observer';
export { startUsageFlusher } from '../lib/observability/tenant-usage';
