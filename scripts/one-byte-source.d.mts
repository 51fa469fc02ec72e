/** `code` with each character beyond Latin-1 (each UTF-16 unit, surrogates included) written as `\uXXXX`. */
export function escapeBeyondLatin1(code: string): string;

/** A webpack plugin for Next.js's server compilations: each emitted script one byte per character. */
export class OneByteServerScripts {
  apply(compiler: unknown): void;
}
