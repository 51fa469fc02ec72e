/**
 * The bench's bare reference (scripts/bench/bare.ts): a minimal Next.js app of the project's own version,
 * built and served by `next start` with the app server's Node flags. Its figures are the framework's floor.
 * Only the settings that change what a response costs are the app's own (next.config.mjs at the root).
 */
export default { poweredByHeader: false, reactStrictMode: true };
