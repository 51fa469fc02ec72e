/**
 * The path and query the browser asked for, which middleware passes on to pages (they see only the rewritten
 * path). Middleware sets it on every request, over anything a client sent.
 */
export const REQUEST_PATH_HEADER = 'x-tenantry-path';
