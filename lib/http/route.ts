import 'server-only';
import type { z } from 'zod';
import { type EntrySpec, runChain } from '@/lib/actions/chain';
import { toErrorResponse } from '@/lib/errors/app-error';
import { movedHostResponse } from '@/lib/tenant/moved';
import { readFormBody, readJsonObject } from './body';
import { JSON_BODY_LIMIT } from './limits';

const NO_STORE = { 'Cache-Control': 'no-store' };

type RouteSpec<S extends z.ZodType> = EntrySpec<S> & {
  /** Where the input comes from: a JSON object body, a form-encoded body, or the query string. */
  from: 'json' | 'form' | 'query';
  maxBytes?: number;
};

function readInput(request: Request, spec: { from: 'json' | 'form' | 'query'; maxBytes?: number }) {
  const maxBytes = spec.maxBytes ?? JSON_BODY_LIMIT;
  if (spec.from === 'json') return readJsonObject(request, maxBytes);
  if (spec.from === 'form') return readFormBody(request, maxBytes);
  return Promise.resolve(Object.fromEntries(new URL(request.url).searchParams));
}

/**
 * Route handlers outside the signed-in UI's reads: the forms that must answer with real HTTP statuses (429
 * with Retry-After above all, which server actions cannot set) and the realtime auth endpoints. The same chain
 * as server actions (validate → limit → act), over a capped body; every failure answers the project's JSON
 * error shape with its status. A JSON body cannot be sent by another site's page without a CORS preflight, on
 * top of the Origin check in scripts/serve.ts.
 */
export function route<S extends z.ZodType>(
  spec: RouteSpec<S>,
  handler: (input: z.output<S>, request: Request) => Promise<unknown>,
) {
  return async (request: Request): Promise<Response> => {
    try {
      const moved = await movedHostResponse(request);
      if (moved) return moved;
      const raw = await readInput(request, spec);
      const data = await runChain(spec, raw, (input) => handler(input, request));
      return Response.json(data, { headers: NO_STORE });
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}
