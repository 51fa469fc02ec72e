import 'server-only';
import { cache } from 'react';
import { AppError } from '@/lib/errors/app-error';
import { getRequestHost } from '@/lib/http/request-meta';
import { type HostMove, hostMoveFor, lookupHostMove, movedResponse, movedUrl } from './lookup';

export { type HostMove, hostMoveFor, movedResponse, movedUrl } from './lookup';

/** Where a former subdomain now leads (see ./lookup.ts), looked up once per request. */
export const findHostMove = cache(lookupHostMove);

/** The current request's `hostMoveFor`. */
export const getHostMove = cache(
  async (): Promise<HostMove | null> => hostMoveFor(await getRequestHost()),
);

/** What an action or handler that cannot answer with a redirect says on a former address. */
export const hostMovedError = (move: HostMove) =>
  new AppError(
    'not_found',
    `${move.name} has moved to ${new URL(movedUrl(move, '/')).host}. Reload the page to continue there.`,
  );

/**
 * For route handlers: a 308 to the same path on the new address, signed in or not (an API client follows
 * it; cookies are host-only, so no session crosses anyway), or null on any other host.
 */
export async function movedHostResponse(request: Request): Promise<Response | null> {
  return movedResponse(await getHostMove(), request.url);
}
