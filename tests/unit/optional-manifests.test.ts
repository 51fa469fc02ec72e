import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OPTIONAL_MANIFESTS, writeEmptyOptionalManifests } from '../../scripts/build-server';

const require = createRequire(import.meta.url);
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function distDir() {
  const dir = mkdtempSync(join(tmpdir(), 'dist-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'server'));
  return dir;
}

describe('optional manifests', () => {
  it('are the ones this Next.js reads for every request, answering {} when they are missing', () => {
    const runtime = readFileSync(
      require.resolve('next/dist/compiled/next-server/app-route.runtime.prod.js'),
      'utf8',
    );
    for (const manifest of OPTIONAL_MANIFESTS)
      expect(runtime).toContain(`manifest:"${manifest}",handleMissing:!0`);
  });

  it('writes the empty manifest a missing file stands for, and reads as Next.js reads it', async () => {
    const dir = distDir();
    expect(await writeEmptyOptionalManifests(dir)).toEqual(OPTIONAL_MANIFESTS);
    const { loadManifestFromRelativePath } = require('next/dist/server/load-manifest.external') as {
      loadManifestFromRelativePath: (o: object) => unknown;
    };
    for (const manifest of OPTIONAL_MANIFESTS) {
      const read = (projectDir: string) =>
        loadManifestFromRelativePath({ projectDir, distDir: '.', manifest, handleMissing: true });
      // The same value Next.js gives for a missing file, now cached after its first read.
      expect(read(dir)).toEqual(read(join(dir, 'missing')));
      expect(read(dir)).toBe(read(dir));
    }
  });

  it('keeps a manifest that next build wrote', async () => {
    const dir = distDir();
    const sri = join(dir, 'server/subresource-integrity-manifest.json');
    writeFileSync(sri, '{"/_next/static/chunks/main.js":"sha256-abc"}');
    expect(await writeEmptyOptionalManifests(dir)).toEqual(['dynamic-css-manifest']);
    expect(readFileSync(sri, 'utf8')).toBe('{"/_next/static/chunks/main.js":"sha256-abc"}');
  });
});
