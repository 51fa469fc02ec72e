/**
 * Request-size limits that the server in front of Next.js (scripts/serve.ts) enforces, shared with the client
 * so it can tell that refusal from any other failure of a server action.
 */
export const SERVER_ACTION_BODY_LIMIT = 1024 * 1024;

/** What a JSON route accepts unless it says otherwise. */
export const JSON_BODY_LIMIT = 64 * 1024;

export const TOO_LARGE_MESSAGE =
  'This request is too large. Shorten the text or remove what you pasted, and try again.';
