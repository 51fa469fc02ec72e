/**
 * Names that users choose (organizations, people) end up in mail to addresses nobody has confirmed yet,
 * so the sign-up keeps them short and on one line, and the mail templates hold older ones to the same.
 */
export const NAME_MAX_LENGTH = 60;

/**
 * Control characters (line breaks included), line and paragraph separators, and the bidirectional
 * overrides and isolates that reorder what a reader sees.
 */
export const UNSAFE_NAME_CHARACTERS = /[\p{Cc}\p{Zl}\p{Zp}\u202a-\u202e\u2066-\u2069]/u;

export const DELETED_USER_NAME = 'Deleted user';

/**
 * How a person is named wherever the app shows who did or owns something (members, the audit log, tasks): a
 * deleted account keeps its id for the record but no name, and is shown as "Deleted user".
 */
export function displayName(user: {
  name: string | null;
  status?: string | null;
  deletedAt?: Date | string | null;
}): string {
  if (user.status === 'deleted' || user.deletedAt) return DELETED_USER_NAME;
  return user.name?.trim() || DELETED_USER_NAME;
}
