import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SRC = join(ROOT, 'src');

/** Every folder under src/ (generated code below src/gen/ excepted: it mirrors proto/). */
function folders(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const path = join(dir, entry.name);
    out.push(path);
    if (relative(SRC, path) !== 'gen') out.push(...folders(path));
  }
  return out;
}

describe('every folder states its purpose where it lives', () => {
  it('has a README.md that names the folder and says what lives there', () => {
    const missing: string[] = [];
    for (const folder of folders(SRC)) {
      const name = relative(ROOT, folder);
      const readme = join(folder, 'README.md');
      if (!existsSync(readme)) {
        missing.push(`${name}: no README.md`);
        continue;
      }
      const text = readFileSync(readme, 'utf8');
      if (!text.startsWith(`# ${name}\n`)) missing.push(`${name}: README.md must start with "# ${name}"`);
      else if (text.trim().split('\n').length < 3) missing.push(`${name}: README.md says nothing after its title`);
    }
    expect(missing).toEqual([]);
  });
});
