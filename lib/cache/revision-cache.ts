/**
 * Text values kept in memory under the revision they were read at, least recently used first out once their
 * total size passes `maxBytes`. A value is returned only for the exact revision the caller has just read, so
 * the cache never decides freshness itself: the revision does (see db/schema/tenant-revisions.ts).
 */
export class RevisionCache {
  private readonly entries = new Map<string, { revision: string; text: string }>();
  private bytes = 0;

  constructor(readonly maxBytes: number) {}

  get size() {
    return this.entries.size;
  }

  get totalBytes() {
    return this.bytes;
  }

  /** The text stored for `key` at `revision`, or undefined (absent, or stored at another revision). */
  get(key: string, revision: string): string | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.revision !== revision) return undefined;
    // Re-inserted, so the Map's insertion order is the order of last use.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.text;
  }

  /** Stores `text` read at `revision`, unless what is stored was read at a later revision already. */
  set(key: string, revision: string, text: string) {
    const current = this.entries.get(key);
    if (current && BigInt(current.revision) > BigInt(revision)) return;
    this.delete(key);
    const size = byteSize(key, text);
    if (size > this.maxBytes) return;
    this.entries.set(key, { revision, text });
    this.bytes += size;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= byteSize(oldest, entry.text);
    }
  }

  delete(key: string) {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= byteSize(key, entry.text);
  }
}

// V8 keeps these strings as one or two bytes per character; two is the bound that cannot undercount.
const byteSize = (key: string, text: string) => 2 * (key.length + text.length) + 64;
