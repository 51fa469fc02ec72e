import 'server-only';
import { sql } from 'drizzle-orm';

/**
 * The board as JSON text, built by PostgreSQL in one statement: the most-read route of the product then
 * hands the database's text straight to the response, instead of parsing 200 rows, mapping them and
 * serializing them again in the app. Runs inside `withTenant`: RLS confines every row read here; the tenant
 * filters state intent and use the indexes. Null when the project does not exist in this tenant.
 *
 * Names come from the tenant's memberships, read once (`people`), rather than from `users` once per card
 * and per name: under RLS every `users` row read costs a membership lookup of its own. The names shown are
 * the same, since RLS lets a tenant see only the users who are (or were, while deactivated) its members.
 */
export const boardJsonSql = ({
  tenantId,
  projectId,
}: {
  tenantId: string;
  projectId: string;
}) => sql`
    with people as (
      select u.id, u.name, m.status from memberships m join users u on u.id = m.user_id
      where m.tenant_id = ${tenantId}
    )
    select json_build_object(
      'project', json_build_object('id', p.id, 'name', p.name),
      'tasks', coalesce((
        select json_agg(json_build_object(
          'id', t.id, 'projectId', t.project_id, 'title', t.title, 'status', t.status,
          'position', t.position, 'assigneeId', t.assignee_id, 'assigneeName', a.name,
          'dueDate', t.due_date, 'createdBy', t.created_by, 'updatedByName', e.name,
          'commentCount', t.comment_count, 'commentsVersion', t.comments_version,
          'version', t.version,
          'updatedAt', to_char(t.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
        ) order by t.status, t.position)
        from tasks t
        left join people a on a.id = t.assignee_id
        left join people e on e.id = t.updated_by
        where t.tenant_id = ${tenantId} and t.project_id = p.id
      ), '[]'),
      'members', coalesce((
        select json_agg(json_build_object('id', id, 'name', name) order by name)
        from people where status = 'active'
      ), '[]')
    )::text as board
    from projects p
    where p.tenant_id = ${tenantId} and p.id = ${projectId}`;
