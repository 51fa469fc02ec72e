import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { filesNamed } from './files';

/**
 * Every entry point the app exports, found on disk, so a test that must cover them all (the fuzzer, the role
 * matrix) cannot miss a new one: the `'use server'` modules' exports, and the route handlers under app/api
 * by method and path.
 */
const root = process.cwd();

export async function loadServerActions<F>(): Promise<Record<string, F>> {
  const found: Record<string, F> = {};
  const modules = filesNamed(join(root, 'lib'), (n) => n.endsWith('.ts')).filter((path) =>
    /^'use server';/.test(readFileSync(path, 'utf8')),
  );
  for (const path of modules) Object.assign(found, await import(/* @vite-ignore */ path));
  return found;
}

export async function loadRouteHandlers<F>(): Promise<Record<string, F>> {
  const found: Record<string, F> = {};
  for (const path of filesNamed(join(root, 'app/api'), (n) => n === 'route.ts')) {
    const url = `/${relative(join(root, 'app'), path)}`.replace(/\/route\.ts$/, '');
    const module = (await import(/* @vite-ignore */ path)) as Record<string, unknown>;
    for (const method of ['GET', 'POST', 'PATCH', 'PUT', 'DELETE']) {
      if (typeof module[method] === 'function') found[`${method} ${url}`] = module[method] as F;
    }
  }
  return found;
}
