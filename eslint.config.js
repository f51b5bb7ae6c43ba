// One lint config for the whole workspace. The `restricted(...)` blocks at the end enforce the
// dependency direction of docs/architecture.md: policy <- store <- (importer, mailer) <- api <- apps.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_IO_MODULES = [
  'fs',
  'fs/promises',
  'net',
  'http',
  'https',
  'http2',
  'child_process',
  'dgram',
  'dns',
  'tls',
  'worker_threads',
  'cluster',
  'os',
  'process',
  'readline',
  'stream',
  'path',
  'url',
  'vm',
].flatMap((name) => [name, `node:${name}`]);

// The store sits below importer, mailer, api and the apps: it imports none of them, and never Electron.
const STORE_BOUNDARIES = {
  paths: ['electron'],
  patterns: [
    '@consent-mailer/importer',
    '@consent-mailer/mailer',
    '@consent-mailer/api',
    '@consent-mailer/desktop',
    '@consent-mailer/cli',
  ],
};

/** A no-restricted-imports rule for the files matched by `files`. */
function restricted(files, { paths = [], patterns = [], typeOnly = [], frozen = [] }) {
  return {
    files,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...paths.map((name) => ({
              name,
              message: 'This import crosses a package boundary (see docs/architecture.md).',
            })),
            ...typeOnly.map((name) => ({
              name,
              allowTypeImports: true,
              message: 'Only types may be imported from here (see docs/architecture.md).',
            })),
          ],
          patterns: [
            ...patterns.map((group) => ({
              group: Array.isArray(group) ? group : [group],
              message: 'This import crosses a package boundary (see docs/architecture.md).',
            })),
            ...frozen.map((group) => ({
              group: [group],
              importNamePattern: '^[A-Z][A-Z0-9_]+$',
              message:
                'A migration must create the same schema forever: write a frozen copy of the enum into the migration (docs/contributing.md).',
            })),
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/out/**',
      '**/.turbo/**',
      '**/e2e-artifacts/**',
      '**/test/fixtures/**',
      'apps/cli/bin/**',
      // The CLI's esbuild script and bench are plain Node ESM run before/around the typed sources.
      'apps/cli/scripts/**',
      'apps/cli/bench/**',
      'apps/optin/bin/**',
      '**/*.config.js',
      '**/*.config.mjs',
      '**/*.config.ts',
      '.ci/**',
      'scripts/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Every error must carry something a user can act on; an empty catch hides it.
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', '**/test/**', '**/e2e/**', '**/bench/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['apps/desktop/src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  // policy: pure rules. Nothing of ours, no I/O (node:crypto for sha256 is allowed: it does no I/O).
  restricted(['packages/policy/src/**'], {
    paths: ['electron', ...NODE_IO_MODULES],
    patterns: ['@consent-mailer/*'],
  }),
  // The vocabulary the renderer imports: besides the policy's boundaries, no zod (it stays out of the bundle).
  restricted(
    [
      'packages/policy/src/vocabulary.ts',
      'packages/policy/src/enums.ts',
      'packages/policy/src/labels.ts',
      'packages/policy/src/classification-labels.ts',
      'packages/policy/src/lang.ts',
    ],
    { paths: ['electron', 'zod', ...NODE_IO_MODULES], patterns: ['@consent-mailer/*'] },
  ),
  restricted(['packages/store/src/**'], STORE_BOUNDARIES),
  // Migrations: the store's boundaries, and no live enum (a CHECK must not change when the enum grows).
  restricted(['packages/store/src/migrations/**'], {
    ...STORE_BOUNDARIES,
    frozen: ['@consent-mailer/policy'],
  }),
  restricted(['packages/importer/src/**', 'packages/mailer/src/**'], {
    paths: ['electron'],
    patterns: ['@consent-mailer/api', '@consent-mailer/desktop', '@consent-mailer/cli'],
  }),
  // intake: between mailer/store and api (policy <- store <- mailer <- intake <- api).
  restricted(['packages/intake/src/**'], {
    paths: ['electron'],
    patterns: [
      '@consent-mailer/api',
      '@consent-mailer/importer',
      '@consent-mailer/desktop',
      '@consent-mailer/cli',
    ],
  }),
  restricted(['packages/api/src/**'], {
    paths: ['electron'],
    patterns: ['@consent-mailer/desktop', '@consent-mailer/cli'],
  }),
  // The api reads and writes through the store's functions only: a query built here would bypass the
  // repository that keeps the chain (issue 13).
  {
    files: ['packages/api/src/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression[callee.property.name=/^(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)$/]',
          message: 'Query through a function of @consent-mailer/store, not a kysely builder in the api.',
        },
      ],
    },
  },
  // The renderer talks to the api over tRPC only: it may import the router's *types* and the policy's
  // vocabulary (enums and their nl/en labels, no rules, no zod), nothing else of ours.
  restricted(['apps/desktop/src/renderer/**'], {
    paths: ['electron', '@consent-mailer/policy', ...NODE_IO_MODULES],
    patterns: [
      // A negation cannot re-include a path whose parent is excluded, hence the bare name under `paths`.
      ['@consent-mailer/policy/*', '!@consent-mailer/policy/vocabulary'],
      '@consent-mailer/store',
      '@consent-mailer/importer',
      '@consent-mailer/mailer',
      '@consent-mailer/intake',
      '@consent-mailer/cli',
      'better-sqlite3',
      'kysely',
    ],
    typeOnly: ['@consent-mailer/api'],
  }),
  restricted(['apps/cli/src/**'], {
    paths: ['electron'],
    patterns: ['@consent-mailer/desktop'],
  }),
);
