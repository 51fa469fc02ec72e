import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { availabilityState } from '@/db/outage';
import { UNAVAILABLE_MESSAGE } from '@/lib/errors/unavailable';
import { answerWhileUnavailable } from '../../scripts/unavailable';

/** The fast path as scripts/serve.ts runs it, in front of a handler standing in for Next.js. */
let server: Server;
let port: number;
let reachedNext = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (answerWhileUnavailable(req, res)) return;
    reachedNext++;
    req.resume();
    req.on('end', () => res.end('from next'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => {
  availabilityState().outage = null;
});

const breakerOpen = () => {
  availabilityState().outage = { since: Date.now(), reason: 'ECONNREFUSED: test' };
};

function send(path: string, { method = 'GET', headers = {}, body = '' } = {}) {
  const started = Date.now();
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: string;
    ms: number;
  }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text,
            ms: Date.now() - started,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('while the database is unreachable, the server in front of Next.js', () => {
  it('lets everything through while the breaker is closed', async () => {
    const before = reachedNext;
    expect((await send('/projects')).body).toBe('from next');
    expect((await send('/api/projects')).body).toBe('from next');
    expect(reachedNext).toBe(before + 2);
  });

  it('answers the JSON API with 503, Retry-After and the error shape, without Next.js', async () => {
    breakerOpen();
    const before = reachedNext;
    const res = await send('/api/tasks/abc', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ version: 1, title: 'x' }),
    });
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(res.body)).toEqual({
      error: { code: 'unavailable', message: UNAVAILABLE_MESSAGE, retryAfterSeconds: 2 },
    });
    expect(res.ms).toBeLessThan(500);
    expect(reachedNext).toBe(before);
  });

  it('answers a server action with the plain-text message the page shows next to the form', async () => {
    breakerOpen();
    const res = await send('/projects', {
      method: 'POST',
      headers: { 'next-action': 'abc123', 'content-type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify([{ name: 'x' }]),
    });
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('2');
    // Next.js's client reads the message only from exactly `text/plain`.
    expect(res.headers['content-type']).toBe('text/plain');
    expect(res.body).toBe(UNAVAILABLE_MESSAGE);
  });

  it('answers a page with a self-contained page whose only script and style carry the response nonce', async () => {
    breakerOpen();
    const res = await send('/projects/123?tab=board');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('Temporarily unavailable');
    const csp = String(res.headers['content-security-policy']);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(res.body.match(/<script[^>]*>/g)).toEqual([`<script nonce="${nonce}">`]);
    expect(res.body.match(/<style[^>]*>/g)).toEqual([`<style nonce="${nonce}">`]);
    expect(res.headers['x-frame-options']).toBe('DENY');
    // Nothing the page needs is fetched from anywhere: no links, images or external scripts.
    expect(res.body).not.toMatch(/<link|<img|src=|url\(/);
    // A second page gets a nonce of its own.
    const again = await send('/');
    expect(again.headers['content-security-policy']).not.toBe(csp);
  });

  it('still serves static assets and the endpoints that report on the outage', async () => {
    breakerOpen();
    const before = reachedNext;
    for (const path of [
      '/_next/static/chunks/main.js',
      '/api/health',
      '/api/ready',
      '/api/metrics',
      '/icon.svg',
    ]) {
      expect((await send(path)).body).toBe('from next');
    }
    expect(reachedNext).toBe(before + 5);
  });

  it('does not pass a lookalike of those paths', async () => {
    breakerOpen();
    for (const path of ['/api/healthz', '/api/health/../tasks', '/x/_next/static/a.js']) {
      expect((await send(path)).status).toBe(503);
    }
  });
});
