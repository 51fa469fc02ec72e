import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { can, ROLE_PERMISSIONS } from '@/lib/authz/permissions';
import { isCrossOriginWrite, sanitizeForwardedHeaders } from '../../scripts/serve';

describe('role permissions', () => {
  it('orders roles owner > admin > member > viewer', () => {
    const { owner, admin, member, viewer } = ROLE_PERMISSIONS;
    for (const p of viewer) expect(member.has(p)).toBe(true);
    for (const p of member) expect(admin.has(p)).toBe(true);
    for (const p of admin) expect(owner.has(p)).toBe(true);
  });

  it('lets viewers read only and keeps deletion to admins', () => {
    expect(can('viewer', 'project:read')).toBe(true);
    expect(can('viewer', 'project:create')).toBe(false);
    expect(can('member', 'project:update')).toBe(true);
    expect(can('member', 'project:delete')).toBe(false);
    expect(can('admin', 'project:delete')).toBe(true);
  });

  it('lets members work on tasks and comments, and keeps deleting others’ to admins', () => {
    for (const p of ['task:write', 'task:delete_own', 'comment:write'] as const) {
      expect(can('viewer', p)).toBe(false);
      expect(can('member', p)).toBe(true);
    }
    for (const p of ['task:delete_any', 'comment:delete_any'] as const) {
      expect(can('member', p)).toBe(false);
      expect(can('admin', p)).toBe(true);
      expect(can('owner', p)).toBe(true);
    }
  });
});

function fakeRequest(headers: Record<string, string>, remoteAddress = '::ffff:203.0.113.9') {
  return {
    headers: { ...headers },
    socket: { remoteAddress, localPort: 3000 },
  } as unknown as IncomingMessage;
}

describe('forwarded headers', () => {
  it('replaces client-sent X-Forwarded-* with what the socket says', () => {
    const req = fakeRequest({
      host: 'acme.localhost:3000',
      'x-forwarded-for': '6.6.6.6',
      'x-forwarded-host': 'evil.localhost:3000',
      'x-forwarded-proto': 'https',
      'x-middleware-subrequest': 'middleware',
      'x-real-ip': '6.6.6.6',
    });
    sanitizeForwardedHeaders(req, []);
    expect(req.headers).toMatchObject({
      'x-forwarded-for': '203.0.113.9',
      'x-forwarded-host': 'acme.localhost:3000',
      'x-forwarded-proto': 'http',
    });
    expect(req.headers['x-middleware-subrequest']).toBeUndefined();
    expect(req.headers['x-real-ip']).toBeUndefined();
  });

  it('behind a trusted proxy, takes the client from the rightmost untrusted hop and never the forwarded host', () => {
    const req = fakeRequest(
      {
        host: 'acme.example.com',
        'x-forwarded-for': '6.6.6.6, 198.51.100.7, 10.0.0.4',
        'x-forwarded-host': 'evil.example.com',
        'x-forwarded-proto': 'https',
        'x-middleware-subrequest': 'x',
      },
      '10.0.0.5',
    );
    sanitizeForwardedHeaders(req, ['10.0.0.5', '10.0.0.4']);
    expect(req.headers).toMatchObject({
      'x-forwarded-for': '198.51.100.7',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'acme.example.com',
    });
    expect(req.headers['x-middleware-subrequest']).toBeUndefined();
  });

  it('ignores X-Forwarded-Proto from anyone but a trusted proxy', () => {
    const req = fakeRequest({ host: 'acme.example.com', 'x-forwarded-proto': 'https' });
    sanitizeForwardedHeaders(req, ['10.0.0.5']);
    expect(req.headers['x-forwarded-proto']).toBe('http');
  });
});

describe('internal requests', () => {
  it('trusts the headers of its own post-action fetch but not a client that copies the header name', () => {
    const first = fakeRequest({ host: 'acme.localhost:3000' });
    sanitizeForwardedHeaders(first, []);
    const secret = first.headers['x-tenantry-sanitized'] as string;
    expect(secret).toHaveLength(64);

    // Next's own follow-up fetch: loopback, our secret, Host rewritten to the internal origin.
    const internal = fakeRequest(
      { ...(first.headers as Record<string, string>), host: 'localhost:3000' },
      '127.0.0.1',
    );
    sanitizeForwardedHeaders(internal, []);
    expect(internal.headers['x-forwarded-host']).toBe('acme.localhost:3000');

    const forged = fakeRequest(
      {
        host: 'localhost:3000',
        'x-forwarded-host': 'acme.localhost:3000',
        'x-tenantry-sanitized': 'f'.repeat(64),
      },
      '127.0.0.1',
    );
    sanitizeForwardedHeaders(forged, []);
    expect(forged.headers['x-forwarded-host']).toBe('localhost:3000');
  });
});

describe('cross-origin writes', () => {
  const request = (method: string, origin?: string) => {
    const req = fakeRequest({ host: 'acme.localhost:3000', ...(origin ? { origin } : {}) });
    (req as { method?: string }).method = method;
    sanitizeForwardedHeaders(req, []);
    return req;
  };

  it('refuses a write from a sibling tenant or any other origin', () => {
    expect(isCrossOriginWrite(request('POST', 'http://beta.localhost:3000'))).toBe(true);
    expect(isCrossOriginWrite(request('DELETE', 'https://evil.example'))).toBe(true);
    expect(isCrossOriginWrite(request('POST', 'null'))).toBe(true);
  });

  it('allows same-origin writes, reads, and requests that are not from a browser page', () => {
    expect(isCrossOriginWrite(request('POST', 'http://acme.localhost:3000'))).toBe(false);
    expect(isCrossOriginWrite(request('GET', 'http://beta.localhost:3000'))).toBe(false);
    expect(isCrossOriginWrite(request('POST'))).toBe(false);
  });
});
