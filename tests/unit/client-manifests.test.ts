import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  readClientManifestsInMainRealm,
  readClientReferenceManifest,
} from '../../scripts/client-manifests';

/** What Node does, whatever this file installs. */
const evaluateInNewRealm = vm.runInNewContext;

/** A client reference manifest script as Next.js writes one (flight-manifest-plugin.js). */
const manifestScript = (page: string, manifest: object) =>
  `globalThis.__RSC_MANIFEST=(globalThis.__RSC_MANIFEST||{});globalThis.__RSC_MANIFEST[${JSON.stringify(page)}]=${JSON.stringify(manifest)}`;

const MANIFEST = {
  moduleLoading: { prefix: '/_next/', crossOrigin: null },
  ssrModuleMapping: { '622': { '*': { id: '82146', name: '*', chunks: [], async: false } } },
  clientModules: { '/app/components/a "quoted" \\ path — é.tsx': { id: 1, chunks: ['1', 'x'] } },
  entryCSSFiles: { '/app/tenant/[slug]/page': [{ inlined: false, path: 'static/css/a.css' }] },
  rscModuleMapping: {},
};

type Context = { __RSC_MANIFEST?: Record<string, Record<string, unknown>>; [key: string]: unknown };

describe('client reference manifests', () => {
  it('is the form this Next.js writes', () => {
    const plugin = createRequire(import.meta.url).resolve(
      'next/dist/build/webpack/plugins/flight-manifest-plugin.js',
    );
    // If an upgrade changes it, every manifest takes Node's path again (a realm each): update the reader.
    expect(readFileSync(plugin, 'utf8')).toContain(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the plugin's source text, its placeholders included
      "globalThis.__RSC_MANIFEST=(globalThis.__RSC_MANIFEST||{});globalThis.__RSC_MANIFEST[${JSON.stringify(pagePath.slice('app'.length))}]=${json}",
    );
  });

  it('reads the page name and the manifest', () => {
    const page = '/tenant/[slug]/settings/"members"/é';
    expect(readClientReferenceManifest(manifestScript(page, MANIFEST))).toEqual({
      page,
      manifest: MANIFEST,
    });
  });

  it('writes into the caller’s object what evaluating the script writes, made in this realm', () => {
    const script = manifestScript('/tenant/[slug]/page', MANIFEST);
    const evaluated: Context = {};
    evaluateInNewRealm(script, evaluated);
    // What costs a realm per manifest: Node's evaluation builds objects of the new context.
    expect(Object.getPrototypeOf(evaluated.__RSC_MANIFEST!['/tenant/[slug]/page'])).not.toBe(
      Object.prototype,
    );

    readClientManifestsInMainRealm();
    const read: Context = {};
    vm.runInNewContext(script, read);
    expect(JSON.stringify(read)).toBe(JSON.stringify(evaluated));
    expect(Object.getPrototypeOf(read.__RSC_MANIFEST!['/tenant/[slug]/page'])).toBe(
      Object.prototype,
    );
    expect(Object.getPrototypeOf(read.__RSC_MANIFEST)).toBe(Object.prototype);
  });

  it('adds a second manifest beside the first, as the script does', () => {
    readClientManifestsInMainRealm();
    const context: Context = {};
    vm.runInNewContext(manifestScript('/a/page', { a: 1 }), context);
    vm.runInNewContext(manifestScript('/b/page', { b: 2 }), context);
    expect(context.__RSC_MANIFEST).toEqual({ '/a/page': { a: 1 }, '/b/page': { b: 2 } });
  });

  it('leaves every other script to Node, near-manifests included', () => {
    readClientManifestsInMainRealm();
    expect(vm.runInNewContext('a + b', { a: 1, b: 2 })).toBe(3);

    // Starts and ends like a manifest, but runs more code: evaluated, so that code runs too.
    const extended: Context = {};
    vm.runInNewContext(`${manifestScript('/p', { a: 1 })};globalThis.extra={"b":2}`, extended);
    expect(extended.extra).toEqual({ b: 2 });
    expect(extended.__RSC_MANIFEST?.['/p']).toEqual({ a: 1 });

    // Not JSON after the '=': evaluated.
    const computed: Context = {};
    vm.runInNewContext(
      'globalThis.__RSC_MANIFEST=(globalThis.__RSC_MANIFEST||{});globalThis.__RSC_MANIFEST["/p"]={a:1+1}',
      computed,
    );
    expect(computed.__RSC_MANIFEST?.['/p']).toEqual({ a: 2 });
    expect(readClientReferenceManifest('globalThis.__RSC_MANIFEST["/p"]={}')).toBeNull();
  });

  it('installs once', () => {
    readClientManifestsInMainRealm();
    const installed = vm.runInNewContext;
    readClientManifestsInMainRealm();
    expect(vm.runInNewContext).toBe(installed);
    expect(installed).not.toBe(evaluateInNewRealm);
  });
});
