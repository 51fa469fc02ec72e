import 'server-only';
import { open, seal } from '@/lib/crypto/secret-box';

export type MailBody = { text: string; html?: string };

type MessageRef = { tenantId: string; messageId: string };

const associated = (ref: MessageRef) => `${ref.tenantId}:${ref.messageId}`;

/**
 * A message's body as stored until delivery: it carries live links (reset, verification, unlock), so it is
 * sealed under a key derived from AUTH_SECRET, bound to its message, and a database dump alone reveals none.
 */
export const sealMailBody = (ref: MessageRef, body: MailBody) =>
  seal('mail-body', JSON.stringify(body), associated(ref));

/** The body, or null when it was sealed for another message or under another AUTH_SECRET. */
export function openMailBody(ref: MessageRef, sealed: string): MailBody | null {
  const json = open('mail-body', sealed, associated(ref));
  return json === null ? null : (JSON.parse(json) as MailBody);
}
