/**
 * A module resolution hook for the server process: `server-only` resolves to its empty module, as it does
 * in Next.js's server bundles, so scripts can start server modules (the outbox sweeper) in the process that
 * serves the app. Next.js's own bundles are unaffected: they were resolved at build time.
 */
export async function resolve(specifier, context, nextResolve) {
  if (specifier !== 'server-only') return nextResolve(specifier, context);
  return nextResolve(specifier, {
    ...context,
    conditions: [...context.conditions, 'react-server'],
  });
}
