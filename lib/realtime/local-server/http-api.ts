import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ApiError,
  describeChannel,
  type EventToPublish,
  parseBatch,
  parseChannelName,
  parseEvent,
  parseInfo,
} from './api-validation';
import type { ChannelRegistry } from './channels';
import type { ConnectionRegistry } from './connections';
import { type Log, logSafely } from './log';
import { isValidUserId } from './protocol';
import { type AppCredentials, verifyApiRequest } from './signatures';

// Ten events of 10 KB each plus their envelopes fit well below this.
const MAX_BODY_BYTES = 256 * 1024;

export interface ApiContext {
  credentials: AppCredentials;
  channels: ChannelRegistry;
  connections: ConnectionRegistry;
  log: Log;
}

type JsonBody = Record<string, unknown>;

interface ApiRequest {
  method: string;
  /** Decoded path segments after /apps/<id>. */
  segments: string[];
  query: URLSearchParams;
  body: string;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Keep draining so the client reads our 413 instead of a reset connection.
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) reject(new ApiError(413, 'Request body too large'));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

function parseJsonBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new ApiError(400, 'Body is not valid JSON');
  }
}

function decodeSegments(path: string): string[] {
  try {
    return path.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    throw new ApiError(400, 'Malformed path');
  }
}

function publish(context: ApiContext, event: EventToPublish): JsonBody {
  const channels: Record<string, JsonBody> = {};
  for (const name of event.channels) {
    context.channels.publish(name, event.name, event.data, event.excludeSocketId);
    if (event.info.size > 0) {
      channels[name] = describeChannel(context.channels.getInfo(name), event.info);
    }
  }
  return channels;
}

function postEvents(context: ApiContext, request: ApiRequest): JsonBody {
  const event = parseEvent(parseJsonBody(request.body));
  const channels = publish(context, event);
  return event.info.size > 0 ? { channels } : {};
}

function postBatchEvents(context: ApiContext, request: ApiRequest): JsonBody {
  // Validate the whole batch first so a bad event publishes none of them.
  const events = parseBatch(parseJsonBody(request.body));
  const results = events.map((event) => {
    const [channel] = event.channels;
    publish(context, event);
    return channel === undefined
      ? {}
      : describeChannel(context.channels.getInfo(channel), event.info);
  });
  return events.some((event) => event.info.size > 0) ? { batch: results } : {};
}

function getChannels(context: ApiContext, request: ApiRequest): JsonBody {
  const prefix = request.query.get('filter_by_prefix') ?? '';
  const info = parseInfo(request.query.get('info'), ['user_count'], [prefix]);
  const channels: Record<string, JsonBody> = {};
  for (const { name, info: channelInfo } of context.channels.list(prefix)) {
    channels[name] = describeChannel(channelInfo, info);
  }
  return { channels };
}

function getChannel(context: ApiContext, request: ApiRequest, name: string): JsonBody {
  const info = parseInfo(request.query.get('info'), ['user_count', 'subscription_count'], [name]);
  const channelInfo = context.channels.getInfo(name);
  return { occupied: channelInfo !== undefined, ...describeChannel(channelInfo, info) };
}

function getUsers(context: ApiContext, name: string): JsonBody {
  if (!name.startsWith('presence-')) {
    throw new ApiError(400, 'Users are only available for presence channels');
  }
  return { users: context.channels.listUserIds(name).map((id) => ({ id })) };
}

function terminateConnections(context: ApiContext, userId: string): JsonBody {
  if (!isValidUserId(userId)) throw new ApiError(400, 'Invalid user id');
  const count = context.connections.terminateUser(userId);
  context.log({ level: 'debug', message: `terminated ${count} connection(s) of a user` });
  return {};
}

function route(context: ApiContext, request: ApiRequest): JsonBody {
  const [resource, name, action, ...rest] = request.segments;
  const allow = (method: string) => {
    if (request.method !== method) throw new ApiError(405, 'Method not allowed');
  };
  if (rest.length > 0) throw new ApiError(404, 'Not found');
  switch (resource) {
    case 'events':
    case 'batch_events':
      if (name !== undefined) break;
      allow('POST');
      return resource === 'events'
        ? postEvents(context, request)
        : postBatchEvents(context, request);
    case 'channels': {
      allow('GET');
      if (name === undefined) return getChannels(context, request);
      const channel = parseChannelName(name);
      if (action === undefined) return getChannel(context, request, channel);
      if (action === 'users') return getUsers(context, channel);
      break;
    }
    case 'users':
      if (name === undefined || action !== 'terminate_connections') break;
      allow('POST');
      return terminateConnections(context, name);
  }
  throw new ApiError(404, 'Not found');
}

/** Errors answer `{ error, code }` (the HTTP status), the shape Soketi answers with. */
function sendError(res: ServerResponse, status: number, message: string): void {
  sendResponse(res, status, { error: message, code: status });
}

function sendResponse(res: ServerResponse, status: number, body: JsonBody | string): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function handle(context: ApiContext, req: IncomingMessage): Promise<JsonBody | string> {
  const rawUrl = req.url ?? '/';
  const queryStart = rawUrl.indexOf('?');
  const rawPath = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
  const query = new URLSearchParams(queryStart === -1 ? '' : rawUrl.slice(queryStart + 1));
  const method = req.method ?? 'GET';
  // An unauthenticated liveness answer lets dev tooling wait for the server to be up.
  if (rawPath === '/' && method === 'GET') return 'OK';

  const prefix = `/apps/${encodeURIComponent(context.credentials.appId)}/`;
  if (!rawPath.startsWith(prefix)) throw new ApiError(404, 'Unknown app');
  const body = await readBody(req);
  const verdict = verifyApiRequest(
    context.credentials,
    { method, rawPath, query, body },
    Math.floor(Date.now() / 1000),
  );
  if (!verdict.ok) throw new ApiError(verdict.status, verdict.message);
  return route(context, {
    method,
    segments: decodeSegments(rawPath.slice(prefix.length)),
    query,
    body,
  });
}

/** The subset of Pusher's HTTP API that the `pusher` server SDK calls. */
export function createApiHandler(
  context: ApiContext,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(context, req).then(
      (body) => sendResponse(res, 200, body),
      (error: unknown) => {
        // A logger that throws here would become an unhandled rejection, which ends the process.
        if (error instanceof ApiError) {
          if (error.status === 401) {
            logSafely(context.log, {
              level: 'warn',
              message: `API request refused: ${error.message}`,
            });
          }
          sendError(res, error.status, error.message);
          return;
        }
        logSafely(context.log, { level: 'error', message: `API request failed: ${String(error)}` });
        if (!res.headersSent) sendError(res, 500, 'Internal error');
      },
    );
  };
}
