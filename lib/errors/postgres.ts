/** The constraint a unique violation broke, looking through the ORM's wrapping; null for any other error. */
export function uniqueViolation(error: unknown): string | null {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const pg = e as { code?: string; constraint_name?: string };
    if (pg.code === '23505') return pg.constraint_name ?? 'unknown';
  }
  return null;
}

/** Whether PostgreSQL raised `state` (a SQLSTATE, e.g. one a trigger raises), looking through the ORM's wrapping. */
export function raisedSqlState(error: unknown, state: string): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: string }).code === state) return true;
  }
  return false;
}
