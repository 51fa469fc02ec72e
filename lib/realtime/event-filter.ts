/**
 * Delivery is at least once (direct publish after commit, then the outbox sweeper's retries), so a client
 * sees some events twice. This remembers the ids it has let through, up to `capacity` (oldest forgotten
 * first), and lets each id through once.
 */
export function createEventDeduper(capacity = 2000) {
  const seen = new Set<string>();
  return (id: string): boolean => {
    if (seen.has(id)) return false;
    seen.add(id);
    if (seen.size > capacity) seen.delete(seen.values().next().value as string);
    return true;
  };
}
