import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BUILT_CONFIG_ENV,
  BUILT_CONFIG_FILE,
  NODE_FETCH_URL_FALLBACK,
  pusherNodeFetchPath,
  serveBuiltNextConfig,
  WEBPACK_SHIM,
} from '../../scripts/lean-start';

const require = createRequire(import.meta.url);
/** next/dist, as this project resolves it. */
const nextDist = dirname(dirname(require.resolve('next/dist/server/config.js')));
const leanStart = join(process.cwd(), 'scripts/lean-start.ts');
const scratch = mkdtempSync(join(tmpdir(), 'lean-start-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * Runs `body` in a fresh Node.js process (its own module cache) as an ES module, with `require` and Next.js's
 * `loadConfig` at hand, and returns what it printed last, parsed as JSON. `body` loads the config of `dir`
 * the way the production server does.
 */
function inFreshProcess<T>(body: string, env: Record<string, string> = {}): T {
  const script = `
    import { createRequire } from 'node:module';
    import * as lean from ${JSON.stringify(leanStart)};
    const require = createRequire(${JSON.stringify(`${process.cwd()}/`)});
    const { default: loadConfig } = require('next/dist/server/config');
    const { PHASE_PRODUCTION_SERVER } = require('next/dist/shared/lib/constants');
    const load = (dir) => loadConfig(PHASE_PRODUCTION_SERVER, dir);
    const loaded = (pattern) => Object.keys(require.cache).filter((f) => pattern.test(f));
    ${body}
  `;
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    {
      cwd: process.cwd(),
      encoding: 'utf8',
      env: { ...process.env, NODE_ENV: 'production', ...env },
    },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!) as T;
}

/** The JavaScript files under `dir` (CommonJS builds only: Next.js's server runs those). */
function* scripts(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'esm' && entry.name !== 'compiled') yield* scripts(path);
    } else if (entry.name.endsWith('.js')) yield path;
  }
}

const WEBPACK_FILES = /compiled\/(webpack\/bundle5|acorn|neo-async)/;

describe('no bundler in the production server', () => {
  it("loads this project's config as Next.js's production server does, without webpack", () => {
    const load = (skip: boolean) =>
      inFreshProcess<{ webpack: string[]; poweredByHeader: boolean; externals: string[] }>(`
        ${skip ? 'lean.skipBundlerAtRunTime();' : ''}
        const config = await load(process.cwd());
        console.log(JSON.stringify({
          webpack: loaded(${WEBPACK_FILES}),
          poweredByHeader: config.poweredByHeader,
          externals: config.serverExternalPackages,
        }));
      `);
    const skipped = load(true);
    expect(skipped.webpack).toEqual([]);
    expect(skipped.poweredByHeader).toBe(false);
    expect(skipped.externals).toContain('drizzle-orm');
    // Without it, the same load brings the whole bundler in: the check above can fail.
    expect(load(false).webpack).toEqual(
      expect.arrayContaining([expect.stringMatching(/compiled\/webpack\/bundle5\.js$/)]),
    );
  }, 60_000);

  it('is not needed by any module of the server runtime of this Next.js', () => {
    // Every module that asks for the bundled webpack, and every module that asks for those, must belong to
    // the build or the dev server; an upgrade that starts using it while serving fails here.
    const asks = (file: string, what: string) => readFileSync(file, 'utf8').includes(what);
    const runtime = [...scripts(nextDist)]
      .filter((f) => asks(f, WEBPACK_SHIM))
      .map((f) => relative(nextDist, f))
      .filter((f) => !f.startsWith('build/') && !f.startsWith('server/dev/'));
    expect(runtime.sort()).toEqual(['server/config-utils.js', 'shared/lib/get-webpack-bundler.js']);
    const bundlerGetters = [...scripts(nextDist)]
      .filter((f) => asks(f, 'get-webpack-bundler'))
      .map((f) => relative(nextDist, f))
      .filter((f) => f !== 'shared/lib/get-webpack-bundler.js');
    expect(bundlerGetters.length).toBeGreaterThan(0);
    for (const file of bundlerGetters) expect(file).toMatch(/^(build|server\/dev)\//);
    // config-utils.js is the hook itself: it only calls init() (what the production server skips).
    const hook = readFileSync(join(nextDist, 'server/config-utils.js'), 'utf8');
    expect(hook).toContain(`const { init: initWebpack } = require('${WEBPACK_SHIM}');`);
  });
});

describe('the config the build was made with', () => {
  it("serves with the build's resolved config, without loading next.config or Next.js's schema", () => {
    // What `next build` writes: this project's config as Next.js resolves it (defaults applied).
    const resolved = inFreshProcess<Record<string, unknown>>(`
      lean.skipBundlerAtRunTime();
      console.log(JSON.stringify({ ...(await load(process.cwd())), configFile: undefined }));
    `);
    expect(resolved.poweredByHeader).toBe(false);
    // A project whose next.config fails if it is loaded at all, with that build beside it.
    const project = join(scratch, 'project');
    mkdirSync(join(project, '.next'), { recursive: true });
    writeFileSync(
      join(project, 'next.config.mjs'),
      "throw new Error('next.config.mjs was loaded');\n",
    );
    writeFileSync(
      join(project, '.next', BUILT_CONFIG_FILE),
      JSON.stringify({ version: 1, config: resolved, appDir: project, files: [] }),
    );
    const served = inFreshProcess<{ config: Record<string, unknown>; schema: string[] }>(`
      lean.serveBuiltNextConfig(${JSON.stringify(join(project, '.next'))});
      lean.skipBundlerAtRunTime();
      const config = await load(${JSON.stringify(project)});
      console.log(JSON.stringify({ config, schema: loaded(/server\\/config-schema|comment-json/) }));
    `);
    expect(served.config).toEqual(resolved);
    expect(served.schema).toEqual([]);
  }, 60_000);

  it('refuses to start without a build, saying what to run', () => {
    const empty = join(scratch, 'empty');
    mkdirSync(empty, { recursive: true });
    expect(() => serveBuiltNextConfig(empty)).toThrow(
      /required-server-files\.json is missing: run `npm run build`/,
    );
    writeFileSync(join(empty, BUILT_CONFIG_FILE), JSON.stringify({ version: 1 }));
    expect(() => serveBuiltNextConfig(empty)).toThrow(/has no config: rebuild/);
    expect(process.env[BUILT_CONFIG_ENV]).toBeUndefined();
  });
});

const URL_FALLBACK_FILES = /node_modules\/(whatwg-url|tr46|webidl-conversions)\//;

describe("no URL fallback for pusher's HTTP client", () => {
  it('publishes through node-fetch without loading whatwg-url or tr46', () => {
    const run = (skip: boolean) =>
      inFreshProcess<{ loaded: string[]; status: number; seen: string; body: string }>(`
        ${skip ? 'lean.skipNodeFetchUrlFallback();' : ''}
        require('pusher');
        const fetch = require(lean.pusherNodeFetchPath()).default;
        const http = require('node:http');
        let seen = '';
        const server = http.createServer((req, res) => { seen = req.url; res.end('published'); });
        await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
        const url = 'http://127.0.0.1:' + server.address().port + '/apps/1/events?auth_key=k&body_md5=0';
        const answer = await fetch(url, { method: 'POST', body: '{}' });
        const body = await answer.text();
        server.close();
        console.log(JSON.stringify({
          // The stand-in, which exports Node's own URL, is not the library.
          loaded: loaded(${URL_FALLBACK_FILES}).filter((f) => require.cache[f].exports.URL !== URL),
          status: answer.status, seen, body,
        }));
      `);
    const skipped = run(true);
    expect(skipped.loaded).toEqual([]);
    expect(skipped).toMatchObject({
      status: 200,
      seen: '/apps/1/events?auth_key=k&body_md5=0',
      body: 'published',
    });
    // Without it, the same publish loads the fallback: the check above can fail.
    expect(run(false).loaded).toEqual(
      expect.arrayContaining([expect.stringMatching(/node_modules\/tr46\//)]),
    );
  }, 60_000);

  it('is only ever a fallback in this node-fetch', () => {
    // Every use of whatwg-url in pusher's node-fetch is the fallback for a runtime without URL; an upgrade that
    // starts using it for real fails here.
    const source = readFileSync(pusherNodeFetchPath(), 'utf8');
    const uses = source.split('whatwgUrl').length - 1;
    const fallbacks = source.split(NODE_FETCH_URL_FALLBACK).length - 1;
    expect(fallbacks).toBeGreaterThan(0);
    // The declaration, then the fallbacks.
    expect(uses).toBe(1 + fallbacks);
    expect(source).toContain("var whatwgUrl = _interopDefault(require('whatwg-url'));");
  });
});
