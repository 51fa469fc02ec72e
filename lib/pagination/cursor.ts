import { AppError } from '@/lib/errors/app-error';

/**
 * Keyset pagination: a page ends at its last row's sort key, and the next page starts after it. The cursor
 * is that key, opaque to the browser (base64url JSON), so pages stay correct while rows are added and cost
 * the same however deep they go. A cursor that does not decode is a 400, never a first page in disguise.
 */
export type CursorKey = readonly (string | number | null)[];

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(raw: string | null | undefined, length: number): CursorKey | null {
  if (!raw) return null;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  const valid =
    Array.isArray(key) &&
    key.length === length &&
    key.every((v) => v === null || typeof v === 'string' || typeof v === 'number');
  if (!valid)
    throw new AppError('invalid', 'This page link is not valid. Start again from the first page.');
  return key as CursorKey;
}

/**
 * Fetch `limit + 1` rows and pass them here: it returns the page and the cursor of the next one, if any.
 */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => CursorKey) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}
