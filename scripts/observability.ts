/**
 * What the server process needs of the observability modules, loaded after the `server-only` hook (see
 * scripts/serve.ts): the request observer, the usage flusher, and closing the pools at shutdown.
 */
export { closeDatabase } from '../db/client';
export { observeRequests } from '../lib/observability/http-observer';
export { startUsageFlusher } from '../lib/observability/tenant-usage';
