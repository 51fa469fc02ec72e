import type { IncomingMessage, ServerResponse } from 'node:http';
import { JSON_BODY_LIMIT, SERVER_ACTION_BODY_LIMIT, TOO_LARGE_MESSAGE } from '../lib/http/limits';

const BODYLESS_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Up to this size a refused body is read (and dropped) before the answer: a browser shows an answer only
 * once its upload is done, and takes a connection closed under its upload for a network failure. Larger
 * declared bodies are answered at once and the connection closed, so nobody can make the server read more.
 */
const DRAIN_LIMIT = 8 * 1024 * 1024;

/**
 * The most bytes a request may declare: route handlers under /api take JSON (64 KB; each also counts what
 * it reads), everything else that carries a body is a server action or an Auth.js form post. Next.js answers
 * its own 1 MB server-action limit with a 500 after reading the body; this answers first, from the header.
 */
export function bodyLimitOf(req: IncomingMessage): number | null {
  if (BODYLESS_METHODS.has(req.method ?? 'GET')) return null;
  const path = (req.url ?? '/').split('?')[0]!;
  return path.startsWith('/api/') ? JSON_BODY_LIMIT : SERVER_ACTION_BODY_LIMIT;
}

/**
 * Refuses a body over its limit (413) or of unknown length (411) before Next.js sees it. A server action gets
 * the message as plain text, which Next.js's client puts into the error the page shows; everything else gets
 * the project's JSON error shape.
 */
export function refuseOversizedBody(req: IncomingMessage, res: ServerResponse): boolean {
  const limit = bodyLimitOf(req);
  if (limit === null) return false;
  const declared = req.headers['content-length'];
  if (declared === undefined && req.headers['transfer-encoding'] === undefined) return false;
  if (declared !== undefined && Number(declared) <= limit) return false;
  // The client may still be sending what we will not use; its reset must not surface as an uncaught error.
  req.on('error', () => {});
  if (declared !== undefined && Number(declared) <= DRAIN_LIMIT) {
    req.on('end', () => answer(req, res, { lengthKnown: true, close: false }));
    req.resume();
  } else {
    answer(req, res, { lengthKnown: declared !== undefined, close: true });
  }
  return true;
}

function answer(
  req: IncomingMessage,
  res: ServerResponse,
  { lengthKnown, close }: { lengthKnown: boolean; close: boolean },
) {
  const message = lengthKnown
    ? TOO_LARGE_MESSAGE
    : 'Send this request with a Content-Length header.';
  const asText = lengthKnown && req.headers['next-action'] !== undefined;
  const body = asText
    ? message
    : JSON.stringify({ error: { code: lengthKnown ? 'too_large' : 'invalid', message } });
  res.writeHead(lengthKnown ? 413 : 411, {
    // Next.js's client reads the message only from exactly `text/plain` (the text is ASCII).
    'Content-Type': asText ? 'text/plain' : 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    ...(close ? { Connection: 'close' } : {}),
  });
  res.end(body);
}
