import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { escapeBeyondLatin1 } from './one-byte-source.mjs';
import { SERVER_BUNDLE_DIR } from './server-bundle';

/**
 * `npm run build`, after `next build`: compiles the server processes (scripts/start.ts, scripts/worker.ts
 * and the end-to-end server) into plain JavaScript under .next/tenantry/, so production runs them with
 * `node` instead of compiling TypeScript at start-up through tsx.
 *
 * Why: a process started through tsx keeps tsx's module lexer (a 10 MB WebAssembly memory), the source maps
 * it switches on for every module loaded (Next.js's runtime files among them) and a module-hooks thread, for
 * as long as it runs: about 17 MB of the app server's live heap, plus the thread. Packages stay external
 * (loaded from node_modules as before); only the app's own modules are bundled.
 */

const ROOT = resolve(import.meta.dirname, '..');
const ENTRIES = ['start', 'worker', 'e2e-server'];

/**
 * The app's modules resolve their own files from `import.meta.url` (the migrations folder, the project
 * root, the worker script beside its launcher): each keeps the URL of its source file, as it does in
 * Next.js's server bundles, instead of the bundle's. It is written relative to the bundle, so the project
 * folder can move after the build.
 */
const keepSourceUrls: Plugin = {
  name: 'keep-source-urls',
  setup(b) {
    b.onLoad({ filter: /\.tsx?$/ }, async (args) => {
      if (args.path.includes('/node_modules/')) return undefined;
      const source = await readFile(args.path, 'utf8');
      const fromBundle = relative(SERVER_BUNDLE_DIR, args.path);
      return {
        contents: source.replaceAll(
          'import.meta.url',
          `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`,
        ),
        loader: 'ts',
      };
    });
  },
};

/** `server-only` is the empty module it is in Next.js's server bundles (the react-server condition). */
const serverOnly: Plugin = {
  name: 'server-only',
  setup(b) {
    b.onResolve({ filter: /^server-only$/ }, () => ({ path: 'server-only', namespace: 'empty' }));
    b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: '', loader: 'js' }));
  },
};

export async function buildServer() {
  const started = performance.now();
  const { outputFiles } = await build({
    entryPoints: Object.fromEntries(
      ENTRIES.map((name) => [name, resolve(ROOT, `scripts/${name}.ts`)]),
    ),
    outdir: SERVER_BUNDLE_DIR,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    tsconfig: resolve(ROOT, 'tsconfig.json'),
    define: { __TENANTRY_SERVER_BUNDLE__: 'true' },
    plugins: [keepSourceUrls, serverOnly],
    logLevel: 'warning',
    // esbuild escapes strings already; its comments keep their characters (scripts/one-byte-source.mjs).
    write: false,
  });
  await mkdir(SERVER_BUNDLE_DIR, { recursive: true });
  await Promise.all(outputFiles.map((f) => writeFile(f.path, escapeBeyondLatin1(f.text))));
  const ms = Math.round(performance.now() - started);
  console.log(
    `Server bundle: ${ENTRIES.map((e) => `${e}.mjs`).join(', ')} in ${relative(ROOT, SERVER_BUNDLE_DIR)}/ (${ms} ms)`,
  );
}

/**
 * Manifests that Next.js reads before every route handler and page it serves, and that `next build` writes
 * only when a feature needs them (subresource integrity, the Pages Router's dynamic CSS). When one is missing,
 * Next.js answers "nothing" without caching the answer, so every request tried to read the file again and
 * paid for the error: about 40 µs of each request's CPU in the bench's profile. Written as the empty
 * manifest that a missing file stands for, once, so the first read is cached; a file Next.js wrote is kept.
 */
export const OPTIONAL_MANIFESTS = [
  'server/subresource-integrity-manifest.json',
  'dynamic-css-manifest',
];

export async function writeEmptyOptionalManifests(distDir: string) {
  const written: string[] = [];
  for (const manifest of OPTIONAL_MANIFESTS) {
    try {
      await writeFile(join(distDir, manifest), '{}', { flag: 'wx' });
      written.push(manifest);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return written;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await buildServer();
  await writeEmptyOptionalManifests(resolve(ROOT, '.next'));
}
