import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface AppCredentials {
  appId: string;
  key: string;
  secret: string;
}

// Pusher refuses API requests whose timestamp is further than this from its clock.
export const MAX_API_CLOCK_SKEW_SECONDS = 600;

export function signHex(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

/** Equal-length inputs are compared in constant time; a length mismatch only reveals the length. */
export function safeEqual(actual: string, expected: string): boolean {
  const a = Buffer.from(actual);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function verifyAuth(credentials: AppCredentials, auth: string, payload: string): boolean {
  return safeEqual(auth, `${credentials.key}:${signHex(credentials.secret, payload)}`);
}

/**
 * The socket id is part of what is signed, so an authorization fetched for one
 * connection is worthless on another.
 */
export function verifyChannelAuth(
  credentials: AppCredentials,
  params: { socketId: string; channel: string; auth: string; channelData?: string },
): boolean {
  const payload =
    params.channelData === undefined
      ? `${params.socketId}:${params.channel}`
      : `${params.socketId}:${params.channel}:${params.channelData}`;
  return verifyAuth(credentials, params.auth, payload);
}

export function verifyUserAuth(
  credentials: AppCredentials,
  params: { socketId: string; userData: string; auth: string },
): boolean {
  return verifyAuth(credentials, params.auth, `${params.socketId}::user::${params.userData}`);
}

export interface ApiRequest {
  method: string;
  /** The path as sent, still percent-encoded. */
  rawPath: string;
  query: URLSearchParams;
  body: string;
}

export type ApiAuthResult = { ok: true } | { ok: false; status: 400 | 401; message: string };

function md5Hex(body: string): string {
  return createHash('md5').update(body, 'utf8').digest('hex');
}

function decodePath(rawPath: string): string | null {
  try {
    return decodeURIComponent(rawPath);
  } catch {
    return null;
  }
}

/** Checks a request signed per Pusher's HTTP API scheme (auth_version 1.0). */
export function verifyApiRequest(
  credentials: AppCredentials,
  request: ApiRequest,
  nowSeconds: number,
): ApiAuthResult {
  const params = new Map<string, string>();
  for (const [name, value] of request.query) {
    if (params.has(name)) return { ok: false, status: 400, message: `Duplicate parameter ${name}` };
    params.set(name, value);
  }
  const signature = params.get('auth_signature');
  const timestamp = Number(params.get('auth_timestamp'));
  if (params.get('auth_key') !== credentials.key || signature === undefined) {
    return { ok: false, status: 401, message: 'Unknown auth_key or missing auth_signature' };
  }
  if (params.get('auth_version') !== '1.0') {
    return { ok: false, status: 401, message: 'Unsupported auth_version' };
  }
  if (
    !Number.isFinite(timestamp) ||
    Math.abs(nowSeconds - timestamp) > MAX_API_CLOCK_SKEW_SECONDS
  ) {
    return { ok: false, status: 401, message: 'Timestamp expired' };
  }
  const bodyMd5 = params.get('body_md5');
  if ((request.body.length > 0 || bodyMd5 !== undefined) && bodyMd5 !== md5Hex(request.body)) {
    return { ok: false, status: 401, message: 'body_md5 does not match the body' };
  }

  params.delete('auth_signature');
  const sortedQuery = [...params.keys()]
    .sort()
    .map((name) => `${name}=${params.get(name)}`)
    .join('&');
  const method = request.method.toUpperCase();
  // The SDK signs the path before its HTTP client percent-encodes it, so a user id or
  // channel name with reserved characters is signed in its decoded form.
  const decodedPath = decodePath(request.rawPath);
  const candidates =
    decodedPath === null || decodedPath === request.rawPath
      ? [request.rawPath]
      : [request.rawPath, decodedPath];
  const valid = candidates.some((path) =>
    safeEqual(signature, signHex(credentials.secret, `${method}\n${path}\n${sortedQuery}`)),
  );
  return valid ? { ok: true } : { ok: false, status: 401, message: 'Invalid signature' };
}
