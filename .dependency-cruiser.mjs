/**
 * dependency-cruiser's rules for src/ (`npm run lint` runs it after ESLint): the folder
 * boundaries of scripts/lint/boundaries.mjs, the cores' ban on packages and builtins
 * (scripts/lint/purity.mjs), and no import cycles. It resolves every import as TypeScript does
 * and knows which are type-only, which ESLint's import rules cannot tell apart reliably.
 */
import { BOUNDARIES } from './scripts/lint/boundaries.mjs';
import { IMPURE_SUBFOLDERS, PURITY } from './scripts/lint/purity.mjs';

const folders = Object.keys(BOUNDARIES);
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The files a row governs: its folder, minus subfolders that have rows of their own. */
function filesOf(folder, rows) {
  const own = rows.filter((f) => f.startsWith(`${folder}/`));
  return { path: `^src/${escape(folder)}/`, ...(own.length > 0 ? { pathNot: `^src/(${own.map(escape).join('|')})/` } : {}) };
}
const anyOf = (list) => `^src/(${list.map(escape).join('|')})/`;

function accessBetween(from, to) {
  if (from === to) return 'any';
  const may = BOUNDARIES[from];
  return may[to] ?? may['*'] ?? 'none';
}
function describeAllowed(from) {
  const allowed = folders.filter((to) => to !== from && accessBetween(from, to) !== 'none');
  if (allowed.length === 0) return 'nothing else in src/';
  return allowed.map((to) => `src/${to}${accessBetween(from, to) === 'type' ? ' (type-only)' : ''}`).join(', ');
}

const boundaryRules = folders.flatMap((from) => {
  const others = folders.filter((to) => to !== from);
  const none = others.filter((to) => accessBetween(from, to) === 'none');
  const typeOnly = others.filter((to) => accessBetween(from, to) === 'type');
  const comment = `src/${from} may import ${describeAllowed(from)} (scripts/lint/boundaries.mjs)`;
  const rules = [];
  // The target side matches by longest folder: "store" must not also catch store/leveldb.
  const targets = (list) => ({ path: anyOf(list), ...(list.includes('store') && !list.includes('store/leveldb') ? { pathNot: '^src/store/leveldb/' } : {}) });
  if (none.length > 0) rules.push({ name: `boundary-${from.replace('/', '-')}`, comment, severity: 'error', from: filesOf(from, folders), to: targets(none) });
  if (typeOnly.length > 0) {
    rules.push({
      name: `boundary-${from.replace('/', '-')}-type-only`,
      comment: `${comment}; use \`import type\` / \`export type\` (an inline \`{ type X }\` still loads the module under verbatimModuleSyntax)`,
      severity: 'error',
      from: filesOf(from, folders),
      to: { ...targets(typeOnly), dependencyTypesNot: ['type-only'] },
    });
  }
  return rules;
});

const pureRules = Object.entries(PURITY).flatMap(([folder, zone]) => {
  const from = filesOf(folder, [...Object.keys(PURITY), ...IMPURE_SUBFOLDERS]);
  const name = folder.replace('/', '-');
  if (zone.imports === 'relative-only') {
    return [
      {
        name: `pure-${name}`,
        comment: `src/${folder} is a pure core: it may import no module outside src/ (type-only included); take what you need as an injected interface`,
        severity: 'error',
        from,
        to: { pathNot: '^src/' },
      },
    ];
  }
  if (zone.imports === 'no-builtins') {
    return [
      { name: `pure-${name}`, comment: `src/${folder} may not import a Node builtin: it must stay usable by the pure cores`, severity: 'error', from, to: { dependencyTypes: ['core'] } },
    ];
  }
  return [];
});

export default {
  forbidden: [
    ...boundaryRules,
    ...pureRules,
    {
      name: 'folder-without-boundaries',
      comment: 'every folder under src/ needs a row in scripts/lint/boundaries.mjs before it holds code',
      severity: 'error',
      from: { path: '^src/', pathNot: anyOf(folders) },
      to: {},
    },
    {
      name: 'import-of-folder-without-boundaries',
      comment: 'every folder under src/ needs a row in scripts/lint/boundaries.mjs before anything imports it',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^src/', pathNot: anyOf(folders) },
    },
    {
      name: 'outside-src',
      comment: 'code in src/ may only import src/ files, packages and builtins',
      severity: 'error',
      from: { path: '^src/' },
      to: { pathNot: '^(src/|node_modules/)', dependencyTypesNot: ['core'], couldNotResolve: false },
    },
    {
      name: 'cycle',
      comment: 'no import cycle among src/ files, type-only imports included (generated protobuf types excepted: a recursive message is a cycle in the schema)',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/gen/' },
      to: { circular: true },
    },
    {
      name: 'unresolvable',
      comment: 'every import must resolve',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
