/**
 * Values kept for a short time, for lookups that every request makes (the host's tenant). Three rules:
 *
 * - **Fresh enough.** A value is served only until `ttlMs` after its lookup *started*, so nothing served is
 *   older than that, however long the lookup took.
 * - **One lookup at a time per key.** Requests that miss together share one lookup, instead of each sending
 *   its own: when a busy key expires, tens of requests in flight would otherwise queue their lookups on a few
 *   connections, and every one of them would wait for all of them.
 * - **Refreshed before it expires.** A hit in the last `refreshAheadMs` of a value's life starts a lookup in
 *   the background and is served the value it has; under steady traffic a busy key never expires, and no
 *   request waits for its lookup. A background lookup that fails leaves the value to expire on time.
 *
 * Absent values (`null`) are not kept: what did not exist may exist on the next request. The oldest stored
 * key goes first once there are `maxEntries`.
 */
export class RefreshingCache<V> {
  private readonly values = new Map<string, { value: V; expiresAt: number }>();
  private readonly lookups = new Map<string, Promise<V | null>>();
  /** When each key was last forgotten: a lookup that started before then may have read the old value. */
  private readonly forgotten = new Map<string, number>();
  private readonly now: () => number;

  constructor(
    private readonly options: {
      ttlMs: number;
      refreshAheadMs: number;
      maxEntries: number;
      load: (key: string) => Promise<V | null>;
      now?: () => number;
    },
  ) {
    this.now = options.now ?? Date.now;
  }

  get size() {
    return this.values.size;
  }

  /**
   * Drops a key this process knows changed, so its next `get` looks it up again. A lookup already in flight
   * (a refresh ahead, another request's miss) may have read the value before the change: it is neither
   * joined nor kept.
   */
  forget(key: string) {
    this.values.delete(key);
    this.lookups.delete(key);
    this.forgotten.set(key, this.now());
    if (this.forgotten.size > this.options.maxEntries) {
      this.forgotten.delete(this.forgotten.keys().next().value!);
    }
  }

  async get(key: string): Promise<V | null> {
    const stored = this.values.get(key);
    const now = this.now();
    if (stored && stored.expiresAt > now) {
      if (stored.expiresAt - now <= this.options.refreshAheadMs) {
        // Served what it has; the outcome reaches the next requests through `values`.
        this.lookUp(key).catch(() => {});
      }
      return stored.value;
    }
    if (stored) this.values.delete(key);
    return this.lookUp(key);
  }

  private lookUp(key: string): Promise<V | null> {
    const inFlight = this.lookups.get(key);
    if (inFlight) return inFlight;
    const startedAt = this.now();
    const lookup = this.options.load(key).then(
      (value) => {
        if (this.lookups.get(key) === lookup) this.lookups.delete(key);
        if (startedAt <= (this.forgotten.get(key) ?? Number.NEGATIVE_INFINITY)) return value;
        this.values.delete(key);
        if (value !== null) {
          if (this.values.size >= this.options.maxEntries) {
            this.values.delete(this.values.keys().next().value!);
          }
          this.values.set(key, { value, expiresAt: startedAt + this.options.ttlMs });
        }
        return value;
      },
      (error: unknown) => {
        if (this.lookups.get(key) === lookup) this.lookups.delete(key);
        throw error;
      },
    );
    this.lookups.set(key, lookup);
    return lookup;
  }
}
