import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeBeyondLatin1, OneByteServerScripts } from '../../scripts/one-byte-source.mjs';

const BEYOND_LATIN1 = /[\u0100-\uffff]/;

/** What a script evaluates to, as written and as escaped. */
function both(code: string) {
  const escaped = escapeBeyondLatin1(code);
  expect(escaped).not.toMatch(BEYOND_LATIN1);
  return {
    written: new Function(`return ${code}`)(),
    escaped: new Function(`return ${escaped}`)(),
  };
}

describe('escapeBeyondLatin1', () => {
  it.each([
    ['a string', '"Saving… — done → next ✓"'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the script is a template, placeholders included
    ['a template', '`${1} — ${"→"} …`'],
    ['an astral character', '"sent 😀"'],
    ['a regular expression', '/^[—–]+$/.test("—–")'],
    ['a regular expression with the u flag', '[/^[😀✓]$/u.test("😀"), /^.$/u.test("😀")]'],
    ['a regular expression without it', '/^😀$/.test("😀")'],
    ['an identifier', '(() => { const π = 3; const Δx = 1; return π + Δx; })()'],
    ['an escaped character', '"\\—"'],
    ['a backslash before a character', '"\\\\—"'],
    ['a comment', '1 // → and — \n + 1'],
  ])('keeps the meaning of %s', (_, code) => {
    const { written, escaped } = both(code);
    expect(escaped).toEqual(written);
  });

  it('leaves Latin-1 text and ASCII as they are', () => {
    const code = 'const café = "naïve — façade";';
    expect(escapeBeyondLatin1(code)).toBe('const café = "naïve \\u2014 façade";');
    expect(escapeBeyondLatin1('plain ascii')).toBe('plain ascii');
  });

  it('changes a template’s raw text, the one place it differs', () => {
    const { written, escaped } = both('String.raw`—`');
    expect(written).toBe('—');
    expect(escaped).toBe('\\u2014');
  });
});

describe('OneByteServerScripts', () => {
  it('writes a compilation’s scripts one byte per character, meaning the same', async () => {
    const require = createRequire(import.meta.url);
    type Stats = { hasErrors(): boolean };
    // Next.js's own webpack, set up by init() as next build sets it up.
    const compiled = require('next/dist/compiled/webpack/webpack') as {
      init: () => void;
      webpack: (config: object, done: (error: Error | null, stats?: Stats) => void) => void;
    };
    compiled.init();
    const { webpack } = compiled;
    const dir = mkdtempSync(join(tmpdir(), 'one-byte-'));
    try {
      writeFileSync(
        join(dir, 'entry.js'),
        'module.exports = { message: "Saving… — done", ok: /^[—]$/u.test("—"), smile: "😀" };',
      );
      const stats = await new Promise<Stats | undefined>((resolve, reject) =>
        webpack(
          {
            mode: 'production',
            target: 'node',
            context: dir,
            entry: './entry.js',
            output: { path: join(dir, 'out'), filename: 'main.js', library: { type: 'commonjs2' } },
            optimization: { minimize: false },
            plugins: [new OneByteServerScripts()],
          },
          (error, result) => (error ? reject(error) : resolve(result)),
        ),
      );
      expect(stats?.hasErrors()).toBe(false);
      const output = readFileSync(join(dir, 'out/main.js'), 'utf8');
      expect(output).not.toMatch(BEYOND_LATIN1);
      expect(output).toContain('\\u2026');
      expect(require(join(dir, 'out/main.js'))).toEqual({
        message: 'Saving… — done',
        ok: true,
        smile: '😀',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
