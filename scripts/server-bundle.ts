import { register } from 'node:module';
import { fileURLToPath } from 'node:url';

declare const __TENANTRY_SERVER_BUNDLE__: true | undefined;

/**
 * True in the compiled server processes (`npm run build` writes them, scripts/build-server.ts), false when a
 * process runs from source through tsx (`npm run dev`, the tests' helpers).
 */
export const IN_SERVER_BUNDLE = typeof __TENANTRY_SERVER_BUNDLE__ !== 'undefined';

/** Where `npm run build` writes the compiled server processes: start.mjs, worker.mjs, e2e-server.mjs. */
export const SERVER_BUNDLE_DIR = fileURLToPath(new URL('../.next/tenantry/', import.meta.url));

/**
 * Server modules import 'server-only', which resolves outside Next.js only with a resolution hook (see
 * server-only-hook.mjs). The compiled server needs none: its build resolves the import to the empty module.
 */
export function allowServerOnlyImports() {
  if (!IN_SERVER_BUNDLE) register('./server-only-hook.mjs', import.meta.url);
}
