import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJsonObject } from '@/lib/http/body';
import { JSON_BODY_LIMIT, SERVER_ACTION_BODY_LIMIT, TOO_LARGE_MESSAGE } from '@/lib/http/limits';
import { refuseOversizedBody } from '../../scripts/body-limit';

/** The check as scripts/serve.ts runs it, in front of a handler that would read (and count) the body. */
let server: Server;
let port: number;
let bodiesRead = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (refuseOversizedBody(req, res)) return;
    req.resume();
    req.on('end', () => {
      bodiesRead++;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Sends only the headers (and `send` bytes of body): a refusal must not wait for the rest. */
function send(
  path: string,
  headers: Record<string, string>,
  { method = 'POST', bytes = 0 } = {},
): Promise<{ status: number; type: string; body: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type']),
          body,
          ms: Date.now() - started,
        }),
      );
    });
    req.on('error', reject);
    if (bytes) req.write(Buffer.alloc(bytes, 97));
    const declared = Number(headers['content-length'] ?? 0);
    // A declared 20 MB body never comes: the answer must not depend on it.
    if (method === 'GET' || (bytes === declared && !headers['transfer-encoding'])) req.end();
    else req.flushHeaders();
  });
}

describe('request body limits in front of Next.js', () => {
  it('answers a 20 MB JSON PATCH with 413 in the JSON error shape, at once', async () => {
    const res = await send('/api/tasks/x', {
      'content-type': 'application/json',
      'content-length': String(20 * 1024 * 1024),
    });
    expect(res.status).toBe(413);
    expect(res.type).toBe('application/json');
    expect(JSON.parse(res.body)).toEqual({
      error: { code: 'too_large', message: TOO_LARGE_MESSAGE },
    });
    expect(res.ms).toBeLessThan(2000);
  });

  it('reads and drops a 2 MB server action before answering 413 with the plain-text message Next.js shows', async () => {
    const bytes = 2 * 1024 * 1024;
    const before = bodiesRead;
    const res = await send(
      '/projects',
      {
        'next-action': 'abc123',
        'content-type': 'multipart/form-data; boundary=x',
        'content-length': String(bytes),
      },
      { bytes },
    );
    expect(res.status).toBe(413);
    // Next.js's client reads the message only from exactly `text/plain`.
    expect(res.type).toBe('text/plain');
    expect(res.body).toBe(TOO_LARGE_MESSAGE);
    expect(bodiesRead).toBe(before);
  });

  it('lets bodies up to each limit through to the app', async () => {
    const before = bodiesRead;
    const json = await send(
      '/api/login',
      { 'content-type': 'application/json', 'content-length': String(JSON_BODY_LIMIT) },
      { bytes: JSON_BODY_LIMIT },
    );
    const action = await send(
      '/',
      { 'next-action': 'abc', 'content-length': String(SERVER_ACTION_BODY_LIMIT) },
      { bytes: SERVER_ACTION_BODY_LIMIT },
    );
    expect([json.status, action.status]).toEqual([200, 200]);
    expect(bodiesRead).toBe(before + 2);
  });

  it('refuses a JSON route body one byte over 64 KB, and a body of unknown length', async () => {
    const over = await send(
      '/api/login',
      { 'content-type': 'application/json', 'content-length': String(JSON_BODY_LIMIT + 1) },
      { bytes: JSON_BODY_LIMIT + 1 },
    );
    expect(over.status).toBe(413);
    const chunked = await send(
      '/projects',
      { 'transfer-encoding': 'chunked', 'next-action': 'a' },
      { bytes: 10 },
    );
    expect(chunked.status).toBe(411);
    expect(JSON.parse(chunked.body).error.code).toBe('invalid');
  });

  it('leaves methods without a body to the app, whatever they declare', async () => {
    const bytes = JSON_BODY_LIMIT * 2;
    const res = await send(
      '/api/health',
      { 'content-length': String(bytes) },
      { method: 'GET', bytes },
    );
    expect(res.status).toBe(200);
  });
});

describe('reading a JSON body in a route handler', () => {
  const streamOf = (bytes: number) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (let sent = 0; sent < bytes; sent += 8192)
          controller.enqueue(new Uint8Array(8192).fill(32));
        controller.close();
      },
    });

  it('stops reading a body of unknown length as soon as it passes the cap', async () => {
    const request = new Request('http://x/api/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: streamOf(200 * 1024),
      duplex: 'half',
    } as RequestInit);
    await expect(readJsonObject(request)).rejects.toMatchObject({ code: 'too_large' });
  });

  it('refuses what is not a JSON object with a message a client can act on', async () => {
    const post = (body: string, type = 'application/json') =>
      readJsonObject(
        new Request('http://x', { method: 'POST', headers: { 'content-type': type }, body }),
      );
    await expect(post('{"a":')).rejects.toMatchObject({
      code: 'invalid',
      message: 'The request body is not valid JSON.',
    });
    await expect(post('[1]')).rejects.toMatchObject({
      code: 'invalid',
      message: 'The request body must be a JSON object.',
    });
    await expect(post('{}', 'text/plain')).rejects.toMatchObject({ code: 'invalid' });
    await expect(post('{"title":"ok"}')).resolves.toEqual({ title: 'ok' });
  });
});
