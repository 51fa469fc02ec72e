import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every file under `dir` (recursively) whose name passes `match`, for tests that must cover all of them. */
export function filesNamed(dir: string, match: (name: string) => boolean = () => true): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesNamed(path, match);
    return match(name) ? [path] : [];
  });
}
