import { isRecord } from './protocol';

function scalarBytes(value: unknown): number {
  // A scalar serializes without recursion; `undefined` only occurs in arrays, as null.
  return Buffer.byteLength(JSON.stringify(value) ?? 'null');
}

/**
 * The UTF-8 length of `JSON.stringify(value)` for a value that `JSON.parse` produced, or
 * `Infinity` as soon as it passes `limit`.
 *
 * `JSON.parse` accepts nesting thousands of levels deep that `JSON.stringify` (recursive)
 * cannot serialize: it overflows the stack. So the size of client data is measured here with
 * an explicit stack, and the walk stops once the limit is passed, which bounds its cost by
 * the limit rather than by the value.
 */
export function measureJsonBytes(value: unknown, limit: number): number {
  let total = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (Array.isArray(item)) {
      // Brackets and commas.
      total += 2 + Math.max(0, item.length - 1);
      if (total > limit) return Number.POSITIVE_INFINITY;
      for (const element of item) pending.push(element);
    } else if (isRecord(item)) {
      const keys = Object.keys(item);
      total += 2 + Math.max(0, keys.length - 1);
      for (const key of keys) {
        // Each key is a quoted string followed by a colon.
        total += scalarBytes(key) + 1;
        if (total > limit) return Number.POSITIVE_INFINITY;
        pending.push(item[key]);
      }
    } else {
      total += scalarBytes(item);
    }
    if (total > limit) return Number.POSITIVE_INFINITY;
  }
  return total;
}
