import vm from 'node:vm';

/**
 * Keeps Next.js from creating a JavaScript realm for every page and route it loads (found in the bench's heap
 * snapshots: 52 realms in the app server, 5 in the bare app).
 *
 * Next.js 15 writes each App Router entry's client reference manifest as a script,
 * `globalThis.__RSC_MANIFEST=(globalThis.__RSC_MANIFEST||{});globalThis.__RSC_MANIFEST["/page"]={...}`, and
 * evaluates it with `vm.runInNewContext` (next/dist/server/load-manifest.external.js, once per page and per
 * route handler, cached). Every call makes a new V8 context, and the manifest it builds keeps that context
 * alive for good: its objects' prototypes are the new realm's. With this app's 50 entries that was 5.4 MB
 * of the app server's live heap after the bench's load (73.8 MB, then 68.4 with this installed).
 *
 * Once installed, a script of exactly that form is read as what it is, a page name and a JSON object, into
 * the caller's context object, which is what evaluating it would have written there. Anything else, including a
 * manifest whose form a later Next.js changes, is evaluated by Node as before.
 */
const INSTALLED = Symbol.for('tenantry.clientManifestsInMainRealm');

const MANIFEST_SCRIPT =
  /^globalThis\.__RSC_MANIFEST=\(globalThis\.__RSC_MANIFEST\|\|\{\}\);globalThis\.__RSC_MANIFEST\[("(?:[^"\\\n]|\\.)*")\]=(\{[\s\S]*\})$/;

/** The page name and manifest of a client reference manifest script, or null when `source` is not one. */
export function readClientReferenceManifest(
  source: string,
): { page: string; manifest: Record<string, unknown> } | null {
  const match = MANIFEST_SCRIPT.exec(source);
  if (!match) return null;
  try {
    const page: unknown = JSON.parse(match[1]!);
    const manifest: unknown = JSON.parse(match[2]!);
    if (typeof page !== 'string' || !manifest || typeof manifest !== 'object') return null;
    return { page, manifest: manifest as Record<string, unknown> };
  } catch {
    return null;
  }
}

type ManifestTarget = { __RSC_MANIFEST?: Record<string, unknown> };

export function readClientManifestsInMainRealm() {
  const target = vm as typeof vm & { [INSTALLED]?: true };
  if (target[INSTALLED]) return;
  const evaluate = vm.runInNewContext;
  const runInNewContext: typeof vm.runInNewContext = (code, contextObject, options) => {
    const read =
      typeof code === 'string' && contextObject && typeof contextObject === 'object'
        ? readClientReferenceManifest(code)
        : null;
    if (!read) return evaluate(code, contextObject, options);
    const context = contextObject as ManifestTarget;
    context.__RSC_MANIFEST ||= {};
    context.__RSC_MANIFEST[read.page] = read.manifest;
    return read.manifest;
  };
  vm.runInNewContext = runInNewContext;
  Object.defineProperty(target, INSTALLED, { value: true });
}
