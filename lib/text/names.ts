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
