import 'server-only';
import type { NextAuthConfig } from 'next-auth';
import { CredentialsSignin } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import type { Env } from '@/lib/config/env';
import { getRequestMeta } from '@/lib/http/request-meta';
import { disconnectSessions } from '@/lib/realtime/pusher';
import { getHostTenant } from '@/lib/tenant/resolve';
import { redeemHandoffToken, SESSION_ABSOLUTE_DAYS } from './handoff';
import { sessionCookieName } from './session-token';

/**
 * Auth.js holds only a signed, encrypted pointer to our session row (session id, tenant id, user id) in a
 * host-only cookie. Every sign-in, whether from sign-up on the root host or a password (and second factor)
 * on the tenant host, goes through one provider that redeems a single-use handoff token bound (by RLS) to
 * the host's tenant. The cookie's attributes follow APP_URL's scheme; tests/integration/session-cookie
 * checks them.
 */

export function authConfig(env: Pick<Env, 'protocol' | 'authSecret'>): NextAuthConfig {
  const secure = env.protocol === 'https:';
  return {
    secret: env.authSecret,
    // Many hosts serve one app; the project's server rewrites X-Forwarded-Host from the real Host header.
    trustHost: true,
    useSecureCookies: secure,
    session: { strategy: 'jwt', maxAge: SESSION_ABSOLUTE_DAYS * 24 * 60 * 60 },
    cookies: {
      sessionToken: {
        // `__Host-` makes browsers refuse the cookie unless it is Secure, path=/ and without Domain.
        name: sessionCookieName(env),
        options: { httpOnly: true, sameSite: 'lax', path: '/', secure },
      },
    },
    pages: { signIn: '/login', error: '/login' },
    providers: [
      Credentials({
        id: 'handoff',
        name: 'Handoff',
        credentials: { token: { type: 'text' } },
        async authorize(credentials) {
          const token = typeof credentials?.token === 'string' ? credentials.token : '';
          const tenant = await getHostTenant();
          if (!tenant || token.length < 20 || token.length > 100) throw new CredentialsSignin();
          const signedIn = await redeemHandoffToken(tenant.id, token, await getRequestMeta());
          if (!signedIn) throw new CredentialsSignin();
          // The session moved here from the organization's former host: its tabs there stop listening.
          if (signedIn.movedFromSessionId) await disconnectSessions([signedIn.movedFromSessionId]);
          return {
            id: signedIn.userId,
            name: signedIn.name,
            email: signedIn.email,
            sessionId: signedIn.sessionId,
            tenantId: tenant.id,
          };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          const u = user as { id: string; sessionId: string; tenantId: string };
          return { sub: u.id, sid: u.sessionId, tid: u.tenantId };
        }
        return token;
      },
      session({ session, token }) {
        return {
          ...session,
          sessionId: typeof token.sid === 'string' ? token.sid : null,
          tenantId: typeof token.tid === 'string' ? token.tid : null,
          userId: token.sub ?? null,
        };
      },
    },
  };
}
