/**
 * An organization's accent colour as the shell's brand palette (the `--color-brand-*` variables Tailwind's
 * `brand` utilities read). The chosen colour is darkened until white text on it, and it as text on white,
 * reach WCAG's 4.5:1, so a pale choice still gives readable buttons and links; the light tints are mixed
 * from it with white.
 */
export type AccentPalette = Record<'50' | '100' | '500' | '600' | '700', string>;

type Rgb = [number, number, number];

const parse = (hex: string): Rgb =>
  [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as Rgb;
const format = (rgb: Rgb) =>
  `#${rgb
    .map((c) =>
      Math.round(Math.min(255, Math.max(0, c)))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
const mix = (a: Rgb, b: Rgb, weightOfB: number): Rgb =>
  a.map((c, i) => c + (b[i]! - c) * weightOfB) as Rgb;

function luminance([r, g, b]: Rgb) {
  const linear = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** Contrast of a colour against white (1 to 21). */
export const contrastWithWhite = (hex: string) => 1.05 / (luminance(parse(hex)) + 0.05);

const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [0, 0, 0];
const READABLE = 4.5;

/** The colour itself when readable with white, else the first darker shade that is. */
export function readableAccent(hex: string): string {
  const base = parse(hex);
  for (let step = 0; step <= 20; step++) {
    const candidate = format(mix(base, BLACK, step * 0.05));
    if (contrastWithWhite(candidate) >= READABLE) return candidate;
  }
  return '#000000';
}

export function accentPalette(hex: string): AccentPalette {
  const main = parse(readableAccent(hex));
  return {
    '50': format(mix(main, WHITE, 0.92)),
    '100': format(mix(main, WHITE, 0.85)),
    '500': format(mix(main, WHITE, 0.15)),
    '600': format(main),
    '700': format(mix(main, BLACK, 0.15)),
  };
}

/** The palette as CSS custom properties for a `style` attribute; none when the organization chose none. */
export function accentStyle(hex: string | null | undefined): Record<string, string> | undefined {
  if (!hex) return undefined;
  const palette = accentPalette(hex);
  return Object.fromEntries(
    Object.entries(palette).map(([shade, value]) => [`--color-brand-${shade}`, value]),
  );
}
