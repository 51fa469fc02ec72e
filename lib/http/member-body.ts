import type { CurrentMember } from '@/lib/auth/member-check';
import type { Permission } from '@/lib/authz/permissions';

/** What the signed-in UI's reads answer with: private to the member, never stored. */
export const PRIVATE = { 'Cache-Control': 'private, no-store' };

/** A body that is already JSON text (built by the database): sent as is, not parsed and serialized again. */
export class JsonText {
  constructor(readonly text: string) {}
}

/** A member route's body and headers: JSON text from the database sent as is, anything else serialized. */
export function memberBody(body: unknown): { text: string; headers: Record<string, string> } {
  return {
    text: body instanceof JsonText ? body.text : JSON.stringify(body),
    headers: { ...PRIVATE, 'Content-Type': 'application/json' },
  };
}

/**
 * A member route defined once, for both ways it is answered: by Next.js (`memberRoute` in a route file) and,
 * for the hottest reads, by the project's server itself (lib/http/direct-routes.ts), whose handlers get no
 * web `Request`.
 */
export type MemberRouteSpec = {
  permission: Permission;
  handler: (ctx: { member: CurrentMember; params: Record<string, string> }) => Promise<unknown>;
};
