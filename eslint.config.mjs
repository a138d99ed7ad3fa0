/**
 * `npm run lint` (with dependency-cruiser for imports, .dependency-cruiser.mjs): typescript-eslint's
 * type-checked rules for all TypeScript, and the cores' purity for src/raft, src/gossip, src/store
 * and src/util as standard ESLint rules (no-restricted-globals/-properties/-syntax) fed by
 * scripts/lint/purity.mjs.
 */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { IMPURE_SUBFOLDERS, PURITY } from './scripts/lint/purity.mjs';

const CLOCK = 'read time from an injected Clock (src/util/clock.ts)';
const TICKS = 'cores count ticks and the driver owns the timers';
const RNG = 'draw randomness from an injected Rng (src/util/rng.ts)';
const EDGE = 'I/O and the environment belong to the drivers (src/server, src/agent, src/cmd, src/transport)';
const CODE = 'no code from strings';
const SYNC = 'the core is a synchronous state machine; the driver does the waiting';

/** The globals a pure folder may not touch, each with what to do instead. */
const BANNED_GLOBALS = {
  Date: CLOCK,
  performance: CLOCK,
  setTimeout: TICKS,
  setInterval: TICKS,
  setImmediate: TICKS,
  clearTimeout: TICKS,
  clearInterval: TICKS,
  clearImmediate: TICKS,
  queueMicrotask: TICKS,
  crypto: RNG,
  process: EDGE,
  require: EDGE,
  fetch: EDGE,
  eval: CODE,
  Function: CODE,
};

function globalsRules(sync) {
  const banned = Object.entries({ ...BANNED_GLOBALS, ...(sync ? { Promise: SYNC } : {}) });
  return {
    'no-restricted-globals': ['error', ...banned.map(([name, why]) => ({ name, message: `global ${name}: ${why}` }))],
    'no-restricted-properties': [
      'error',
      { object: 'Math', property: 'random', message: `Math.random: ${RNG}` },
      ...banned.map(([name, why]) => ({ object: 'globalThis', property: name, message: `global ${name}: ${why}` })),
    ],
  };
}

const SYNC_SYNTAX = [
  { selector: ':function[async=true]', message: `async function: ${SYNC}` },
  { selector: 'AwaitExpression', message: `await: ${SYNC}` },
  { selector: 'ForOfStatement[await=true]', message: `for await: ${SYNC}` },
  // no-restricted-globals sees values only; a core should not even be shaped by a Promise type.
  { selector: "TSTypeReference[typeName.name='Promise']", message: `Promise: ${SYNC}` },
];
const CORE_SYNTAX = [
  // dependency-cruiser checks every import it can resolve; a computed one it cannot see.
  { selector: "ImportExpression[source.type!='Literal']", message: 'a pure core: no computed import()' },
];

/** One config block per pure folder; a subfolder with its own zone (or none) is excluded. */
const purityBlocks = Object.entries(PURITY).map(([folder, zone]) => {
  const own = [...Object.keys(PURITY), ...IMPURE_SUBFOLDERS].filter((f) => f.startsWith(`${folder}/`));
  const syntax = [...(zone.imports === 'relative-only' ? CORE_SYNTAX : []), ...(zone.sync ? SYNC_SYNTAX : [])];
  return {
    name: `roster/purity/${folder}`,
    files: [`src/${folder}/**/*.ts`],
    ignores: own.map((f) => `src/${f}/**`),
    rules: {
      ...(zone.globals ? globalsRules(zone.sync) : {}),
      ...(syntax.length > 0 ? { 'no-restricted-syntax': ['error', ...syntax] } : {}),
      ...(zone.imports === 'relative-only' ? { '@typescript-eslint/triple-slash-reference': ['error', { path: 'never', types: 'never', lib: 'never' }] } : {}),
    },
  };
});

export default tseslint.config(
  { ignores: ['dist/**', 'src/gen/**', 'node_modules/**', '.scratch/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A `default:` branch is a deliberate catch-all (unknown wire values, messages a role ignores).
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: true }],
      // `import { type X }` alone still loads the module under verbatimModuleSyntax: say `import type`.
      '@typescript-eslint/no-import-type-side-effects': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      // One concept per file.
      'max-lines': ['error', { max: 600, skipBlankLines: false, skipComments: false }],
      'no-restricted-imports': [
        'error',
        ...['node:zlib', 'zlib'].map((name) => ({
          name,
          importNames: ['crc32', 'default'],
          message: "use crc32 from src/util/crc32.ts: Node 20's zlib.crc32 drops the running value on an empty ArrayBuffer view",
        })),
      ],
    },
  },
  ...purityBlocks,
  {
    files: ['test/**/*.ts'],
    rules: {
      // Test fakes implement async interfaces without awaiting anything.
      '@typescript-eslint/require-await': 'off',
      // vitest's asymmetric matchers (expect.any, expect.stringMatching) are typed `any`.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    // The launcher and the lint's own tables are plain JavaScript outside the TypeScript project.
    files: ['**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: { process: 'readonly', URL: 'readonly', console: 'readonly' } },
  },
);
