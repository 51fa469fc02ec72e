import { asSuperuser } from './db';
import { deliveredMail } from './mail';

/**
 * The mail queued last to `to` in `tenantId`, as the invitee gets it (delivered, and read from the
 * development mailbox: see `deliveredMail`), with the token of its first link to `path`.
 */
export async function lastMailTo(tenantId: string, to: string, path: string) {
  const mail = (await deliveredMail({ tenantId, to })).at(-1);
  if (!mail) return null;
  const link = mail.text.match(/https?:\/\/\S+/g)?.find((url) => new URL(url).pathname === path);
  return {
    subject: mail.subject,
    text: mail.text,
    // The mailbox keeps '' for a message without an HTML part.
    html: mail.html || undefined,
    url: link ?? null,
    token: link ? new URL(link).searchParams.get('token') : null,
  };
}

/**
 * Row counts of what joining and inviting write, in one tenant (and the accounts of `email`): a refusal must
 * leave them all as they were.
 */
export async function countWrites(tenantId: string, email = '') {
  const [row] = await asSuperuser(
    (sql) => sql`
      select
        (select count(*)::int from invitations where tenant_id = ${tenantId}) as invitations,
        (select count(*)::int from invitations where tenant_id = ${tenantId} and status <> 'pending') as settled,
        (select count(*)::int from invitation_sends where tenant_id = ${tenantId}) as sends,
        (select count(*)::int from outgoing_mail where tenant_id = ${tenantId}) as mail,
        (select count(*)::int from memberships where tenant_id = ${tenantId}) as memberships,
        (select count(*)::int from memberships where tenant_id = ${tenantId} and status = 'active') as active,
        (select count(*)::int from single_use_tokens
          where tenant_id = ${tenantId} and purpose in ('invitation', 'join_domain') and used_at is null) as "liveTokens",
        (select count(*)::int from sessions where tenant_id = ${tenantId}) as sessions,
        (select count(*)::int from users where lower(email) = ${email}) as accounts`,
  );
  return row!;
}

export async function auditOf(tenantId: string, action: string) {
  return asSuperuser(
    (sql) => sql`
      select actor_user_id, target_type, target_id, metadata, before, after from audit_events
      where tenant_id = ${tenantId} and action = ${action} order by created_at`,
  );
}

export async function outboxOf(tenantId: string) {
  return asSuperuser(
    (sql) => sql`
      select name, audience, payload from outbox_events where tenant_id = ${tenantId} order by created_at`,
  );
}
