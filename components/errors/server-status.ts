/**
 * Asks the server whether it can serve pages now, for the error page: `/api/ready` (which checks the
 * database among its dependencies), or `/api/health` where a deployment has no readiness endpoint. Either
 * answers 503 while the database is unreachable.
 */
const STATUS_ENDPOINTS = ['/api/ready', '/api/health'];

export type ServerStatus = 'up' | 'unavailable' | 'unknown';

export async function fetchServerStatus(): Promise<ServerStatus> {
  for (const endpoint of STATUS_ENDPOINTS) {
    try {
      const response = await fetch(endpoint, { cache: 'no-store' });
      if (response.status === 404) continue;
      if (response.status === 503) return 'unavailable';
      return response.ok ? 'up' : 'unknown';
    } catch {
      // No answer at all: the network, not the database; the page says so through its generic state.
      return 'unknown';
    }
  }
  return 'unknown';
}
