import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { measureJsonBytes } from '@/lib/realtime/local-server/json-size';

describe('measureJsonBytes (the size of presence user_info)', () => {
  it('equals the UTF-8 length of JSON.stringify for any parsed JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'binary' }), (value) => {
        const parsed: unknown = JSON.parse(JSON.stringify(value));
        const bytes = Buffer.byteLength(JSON.stringify(parsed));
        expect(measureJsonBytes(parsed, Number.POSITIVE_INFINITY)).toBe(bytes);
        expect(measureJsonBytes(parsed, bytes)).toBe(bytes);
        expect(measureJsonBytes(parsed, bytes - 1)).toBe(Number.POSITIVE_INFINITY);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses nesting far deeper than JSON.stringify survives, without recursing', () => {
    const depth = 200_000;
    const deep: unknown = JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    expect(measureJsonBytes(deep, 1024)).toBe(Number.POSITIVE_INFINITY);
    // Even measured to the end, it walks all of it: there is no stack to overflow.
    expect(measureJsonBytes(deep, Number.POSITIVE_INFINITY)).toBe(2 * depth);
  });
});
