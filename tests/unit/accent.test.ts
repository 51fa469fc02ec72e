import { describe, expect, it } from 'vitest';
import { accentPalette, contrastWithWhite, readableAccent } from '@/lib/organization/accent';

describe('the accent palette', () => {
  it('keeps a readable colour as chosen and darkens a pale one until white text reads on it', () => {
    expect(readableAccent('#4f46e5')).toBe('#4f46e5');
    for (const pale of ['#ffff00', '#ffffff', '#a0e0ff', '#ff8800']) {
      const shown = readableAccent(pale);
      expect({ pale, readable: contrastWithWhite(shown) >= 4.5 }).toEqual({ pale, readable: true });
    }
  });

  it('derives light tints and a darker shade from it', () => {
    const palette = accentPalette('#ffff00');
    expect(Object.keys(palette).sort()).toEqual(['100', '50', '500', '600', '700']);
    expect(contrastWithWhite(palette['700'])).toBeGreaterThan(contrastWithWhite(palette['600']));
    expect(contrastWithWhite(palette['50'])).toBeLessThan(1.2);
  });
});
