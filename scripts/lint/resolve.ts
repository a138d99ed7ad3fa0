import path from 'node:path';

/** Under NodeNext, `./x.js` names the file compiled from `./x.ts` (or `./x.tsx`, or a `./x.d.ts`). */
const EXTENSION_SWAPS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['.js', ['.ts', '.tsx', '.d.ts']],
  ['.mjs', ['.mts', '.d.mts']],
  ['.cjs', ['.cts', '.d.cts']],
  ['.jsx', ['.tsx']],
];

/**
 * The absolute path a relative specifier names, seen from `fromFile`. Returns the first
 * candidate for which `exists` is true (extension swap, the path itself, added extension,
 * folder index); when none exists, the plain joined path, which still tells which folder
 * the import reaches into.
 */
export function resolveRelative(fromFile: string, specifier: string, exists: (absPath: string) => boolean): string {
  const base = path.resolve(path.dirname(fromFile), specifier);
  const candidates: string[] = [];
  for (const [js, tsExtensions] of EXTENSION_SWAPS) {
    if (base.endsWith(js)) {
      const stem = base.slice(0, -js.length);
      for (const ext of tsExtensions) candidates.push(stem + ext);
    }
  }
  candidates.push(base, `${base}.ts`, `${base}.tsx`, `${base}.d.ts`, path.join(base, 'index.ts'));
  return candidates.find(exists) ?? base;
}
