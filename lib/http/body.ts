import 'server-only';
import { AppError } from '@/lib/errors/app-error';
import { JSON_BODY_LIMIT } from './limits';

// scripts/serve.ts refuses a larger declared body before Next.js; this also counts bodies of unknown length.

const tooLarge = (maxBytes: number) =>
  new AppError(
    'too_large',
    `This request is too large (at most ${Math.round(maxBytes / 1024)} KB). Shorten the text and try again.`,
  );

/**
 * The body as text, refused with 413 as soon as it passes `maxBytes`: a declared length is checked before
 * reading, and a body without one (chunked) is counted as it arrives, so nothing large is ever buffered.
 */
export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A JSON object body (the only shape the app's routes take), capped, with errors a client can act on. */
export async function readJsonObject(
  request: Request,
  maxBytes = JSON_BODY_LIMIT,
): Promise<Record<string, unknown>> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/json')) {
    throw new AppError('invalid', 'Send this request as JSON (Content-Type: application/json).');
  }
  const text = await readBodyText(request, maxBytes);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError('invalid', 'The request body is not valid JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError('invalid', 'The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

/** A form-encoded body (what pusher-js posts to the channel-auth routes), capped. */
export async function readFormBody(
  request: Request,
  maxBytes = JSON_BODY_LIMIT,
): Promise<Record<string, string>> {
  return Object.fromEntries(new URLSearchParams(await readBodyText(request, maxBytes)));
}
