import { existsSync, readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * What the servers skip at start-up: the work `next build` already did, which kept 8.8 MB in the app server's
 * live heap for good, and a fallback a dependency loads and never uses, 1.6 MB more (all found in the bench's
 * heap snapshots). The first two do not apply to `next dev` or `next build`, which never call them.
 */

const require = createRequire(import.meta.url);

/** The file `next build` writes the resolved config to, beside the build. */
export const BUILT_CONFIG_FILE = 'required-server-files.json';

/** Next.js reads its config from this variable instead of loading next.config (next/dist/server/config.js). */
export const BUILT_CONFIG_ENV = '__NEXT_PRIVATE_STANDALONE_CONFIG';

/**
 * Serves with the config the build was made with, as Next.js's own standalone server does (the server.js that
 * `output: 'standalone'` writes sets this variable from the same file).
 *
 * Otherwise `loadConfig` imports next.config.mjs at every start, validates it against Next.js's schema (zod,
 * and the test and TypeScript set-up modules that schema file requires: 1.9 MB that stays) and applies the
 * defaults: all done by `next build`, which wrote the result to `<distDir>/required-server-files.json`.
 * Serving with that result also means a next.config.mjs edited since the build cannot half-apply to a build
 * made without it. Next.js then skips its `.env` loading too: this server's settings come from the
 * environment, validated before Next.js starts (lib/config).
 */
export function serveBuiltNextConfig(distDir: string) {
  const file = join(distDir, BUILT_CONFIG_FILE);
  if (!existsSync(file))
    throw new Error(
      `${file} is missing: run \`npm run build\` before starting the production server.`,
    );
  const { config } = JSON.parse(readFileSync(file, 'utf8')) as { config?: unknown };
  if (!config || typeof config !== 'object')
    throw new Error(`${file} has no config: rebuild with \`npm run build\`.`);
  process.env[BUILT_CONFIG_ENV] = JSON.stringify(config);
}

/**
 * Keeps the production server from loading webpack, which it never runs: 6.9 MB of live heap, its 5.2 MB
 * source text the largest single string in the process.
 *
 * `loadConfig` starts with `loadWebpackHook`, which calls `init()` of next/dist/compiled/webpack/webpack:
 * that requires the whole bundled webpack (bundle5.js, with acorn, neo-async and webpack-sources) and copies
 * its exports, so that a next.config's `require('webpack')` gets Next's copy. In `next build` and `next dev`
 * that copy compiles the app; a production server only reads what the build wrote, and no module of Next.js's
 * server runtime asks for webpack (the test pins that list). This project's config does not require it
 * either: its plugin takes the compiler's own (`compiler.webpack`).
 *
 * Once installed, `init()` does nothing: the hook's aliases still go in, and `require('webpack')` would find
 * no bundler instead of loading one.
 */
export const WEBPACK_SHIM = 'next/dist/compiled/webpack/webpack';

const INSTALLED = Symbol.for('tenantry.noBundlerAtRunTime');

export function skipBundlerAtRunTime() {
  const shim = require(WEBPACK_SHIM) as { init: () => void; [INSTALLED]?: true };
  if (shim[INSTALLED]) return;
  shim[INSTALLED] = true;
  shim.init = function skipWebpack() {};
}

/**
 * Keeps node-fetch 2, the HTTP client of the `pusher` library, from loading whatwg-url, which it never uses
 * here: about 1.6 MB of live heap in each process that publishes (the app server and the worker), 1.5 MB of it
 * tr46's IDNA mapping table (8,182 arrays).
 *
 * node-fetch requires whatwg-url when it is loaded, only to fall back on its URL class where the runtime has
 * none (`Url.URL || whatwgUrl.URL`); Node.js has had one since version 10, so the fallback is never taken (the
 * test pins that line). Once installed, the module node-fetch finds under whatwg-url's name is one that
 * exports Node's own URL classes, in the module cache where pusher's node-fetch will look it up.
 */
export const NODE_FETCH_URL_FALLBACK = 'Url.URL || whatwgUrl.URL';

/** The node-fetch that pusher loads, wherever npm placed it. */
export const pusherNodeFetchPath = () =>
  createRequire(require.resolve('pusher')).resolve('node-fetch');

export function skipNodeFetchUrlFallback() {
  const path = createRequire(pusherNodeFetchPath()).resolve('whatwg-url');
  if (require.cache[path]) return;
  const stand = new Module(path);
  stand.filename = path;
  stand.loaded = true;
  stand.exports = { URL, URLSearchParams };
  require.cache[path] = stand;
}
