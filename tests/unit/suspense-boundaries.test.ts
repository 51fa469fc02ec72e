import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesNamed } from '../support/files';

const root = process.cwd();
/** A boundary as it is written: an import of `Suspense` from React, or the element. */
const BOUNDARY = /<Suspense\b|\bSuspense\b[^;]*from 'react'/;
const source = (dir: string) =>
  filesNamed(join(root, dir), (name) => /\.tsx?$/.test(name)).map((path) => ({
    path: relative(root, path),
    text: readFileSync(path, 'utf8'),
  }));

/**
 * Signed-in pages re-render from the server in place (`router.refresh()` on a realtime event, an action's
 * re-rendered page). With React 19.2, which Next.js 15.5 ships, such a render can stop for good when it
 * meets a Suspense boundary already on screen whose content streams in after the rest: React drops the
 * wake-up that content sends while the render is paused, and the page keeps its old content, with every later
 * refresh stuck behind it, until something else on the page re-renders. The shell's membership watcher was such
 * a boundary, and lists that did not follow a change failed about one end-to-end run in ten
 * (components/members/membership-watcher.tsx). React's main branch keeps the wake-up; until Next.js ships it,
 * a Suspense boundary (or a `loading.tsx`, which is one) needs a look at what streams into it first.
 */
describe('Suspense boundaries', () => {
  it('are not used around streamed content on pages that re-render in place', () => {
    const boundaries = [...source('app'), ...source('components')]
      .filter(({ text }) => BOUNDARY.test(text))
      .map(({ path }) => path);
    const loadingFiles = filesNamed(join(root, 'app'), (name) =>
      /^loading\.(tsx|ts|jsx|js)$/.test(name),
    ).map((path) => relative(root, path));
    expect([...boundaries, ...loadingFiles]).toEqual([]);
  });

  it('would be found: the check reads the way a boundary is written', () => {
    const finds = (text: string) => BOUNDARY.test(text);
    expect(finds(`import { Suspense } from 'react';`)).toBe(true);
    expect(finds(`import { type ReactNode, Suspense, useId } from 'react';`)).toBe(true);
    expect(finds(`return <Suspense fallback={null}>{children}</Suspense>;`)).toBe(true);
    expect(finds(`import { useId } from 'react';`)).toBe(false);
  });
});
