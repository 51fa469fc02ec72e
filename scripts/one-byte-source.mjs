/**
 * Server scripts written one byte per character.
 *
 * V8 keeps a script's source text for as long as any of its functions lives, which for a server's modules is
 * for good. A string whose characters are all Latin-1 takes one byte per character; one character beyond
 * (an em dash in a message, an arrow in a comment) makes the whole text two bytes per character. 40 of the
 * 91 server scripts the app server loads had one (the server in front, in a comment): 2.1 MB of its live
 * heap went to the doubled texts (the bench's heap snapshots).
 *
 * Every character beyond Latin-1 becomes its `\uXXXX` escape, which JavaScript reads as the same character
 * in string and template literals, regular expressions (with or without the `u` flag, where an escaped
 * surrogate pair is one code point) and identifiers; in comments it is only text. The one place it differs
 * is a template's raw text (`String.raw`, a tag reading `strings.raw`), which then shows the escape itself.
 */

const BEYOND_LATIN1 = /(\\*)([\u0100-\uffff])/g;

/** `code` with each character beyond Latin-1 (each UTF-16 unit, surrogates included) written as `\uXXXX`. */
export function escapeBeyondLatin1(code) {
  return code.replace(BEYOND_LATIN1, (_, backslashes, char) => {
    const written = `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
    // An odd run of backslashes escapes the character itself (`\—` is `—`): the escape takes that place.
    return backslashes.length % 2 === 1 ? backslashes.slice(1) + written : backslashes + written;
  });
}

const NAME = 'OneByteServerScripts';

/**
 * A webpack plugin for Next.js's server compilations (next.config.mjs): rewrites each emitted script after
 * minification, before its hash is taken.
 */
export class OneByteServerScripts {
  /** `compiler`: Next.js's webpack 5 compiler. */
  apply(compiler) {
    const { Compilation, sources } = compiler.webpack;
    compiler.hooks.thisCompilation.tap(NAME, (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: NAME, stage: Compilation.PROCESS_ASSETS_STAGE_OPTIMIZE_SIZE + 1 },
        (assets) => {
          for (const name of Object.keys(assets)) {
            if (!/\.[cm]?js$/.test(name)) continue;
            const source = assets[name].source();
            const text = typeof source === 'string' ? source : source.toString('utf8');
            const escaped = escapeBeyondLatin1(text);
            if (escaped !== text) compilation.updateAsset(name, new sources.RawSource(escaped));
          }
        },
      );
    });
  }
}
