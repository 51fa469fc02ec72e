import 'server-only';
import type { Transaction } from '@/db/client';
import { withTenant } from '@/db/with-tenant';
import type { ActionResult } from '@/lib/actions/result';
import { type CurrentMember, requirePermission } from '@/lib/auth/session';
import type { Permission } from '@/lib/authz/permissions';
import { failureResponse, toErrorResponse } from '@/lib/errors/app-error';
import { movedHostResponse } from '@/lib/tenant/moved';
import { readJsonObject } from './body';
import { memberBody, PRIVATE } from './member-body';

export { JsonText, type MemberRouteSpec } from './member-body';

type Params = Record<string, string>;
type RouteContext = { params: Promise<Params> };

/** What a signed-in member's GET route does once the member and the permission are checked. */
export type MemberHandler = (ctx: {
  member: CurrentMember;
  request: Request;
  params: Params;
}) => Promise<unknown>;

/**
 * GET route handlers for the signed-in UI: member and permission checked. The handler opens `withTenant`
 * itself, when it needs the database at all (a read served from a cache does not); see `tenantRoute`.
 */
export function memberRoute(permission: Permission, handler: MemberHandler) {
  return async (request: Request, context: RouteContext) => {
    try {
      const moved = await movedHostResponse(request);
      if (moved) return moved;
      const member = await requirePermission(permission);
      const params = (await context?.params) ?? {};
      const { text, headers } = memberBody(await handler({ member, request, params }));
      return new Response(text, { headers });
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}

/** GET route handlers for the signed-in UI: member and permission checked, reads run in `withTenant`. */
export function tenantRoute(
  permission: Permission,
  handler: (ctx: {
    tx: Transaction;
    member: CurrentMember;
    request: Request;
    params: Params;
  }) => Promise<unknown>,
) {
  return memberRoute(permission, ({ member, ...rest }) =>
    withTenant({ tenantId: member.tenant.id, userId: member.userId }, (tx) =>
      handler({ tx, member, ...rest }),
    ),
  );
}

/**
 * Exposes a server action (the same parse → authorize → withTenant → audit → outbox chain) as a JSON route
 * handler: the body (a capped JSON object; a DELETE's is not read) and the route's params are its input, and a
 * failure keeps its HTTP status (409 for a stale version, 403, 404, 413, ...).
 */
export function actionRoute<R>(action: (input: never) => Promise<ActionResult<R>>) {
  return async (request: Request, context: RouteContext) => {
    try {
      const moved = await movedHostResponse(request);
      if (moved) return moved;
      const body = request.method === 'DELETE' ? {} : await readJsonObject(request);
      const input = { ...body, ...((await context?.params) ?? {}) };
      const result = await (action as (input: unknown) => Promise<ActionResult<R>>)(input);
      if (result.ok) return Response.json(result.data, { headers: PRIVATE });
      return failureResponse(result.error);
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}
