import type { NextRequest } from 'next/server';
import { handlers } from '@/lib/auth/auth';

/**
 * Auth.js builds its redirects from the request URL, which names the server's own address here; rebuild it
 * from the host the browser asked for (set from the real Host by the project's server).
 */
function withPublicUrl(handler: (request: NextRequest) => Promise<Response>) {
  return (request: NextRequest) => {
    const host = request.headers.get('x-forwarded-host');
    if (!host) return handler(request);
    const url = new URL(request.url);
    url.host = host;
    url.protocol = `${request.headers.get('x-forwarded-proto') ?? 'http'}:`;
    return handler(new Request(url, request) as NextRequest);
  };
}

export const GET = withPublicUrl(handlers.GET);
export const POST = withPublicUrl(handlers.POST);
