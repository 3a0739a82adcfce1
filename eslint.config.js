import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// The layering rule: a package may depend only on packages below it.
// llm <- prompts <- conversations <- fsm; apps and tools may use any of them. Every project's
// tests may use tools/test-support, which depends on no Kit package (it is never shipped).
const depConstraints = [
  { sourceTag: 'scope:test-support', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'scope:llm', onlyDependOnLibsWithTags: ['scope:llm', 'scope:test-support'] },
  { sourceTag: 'scope:prompts', onlyDependOnLibsWithTags: ['scope:llm', 'scope:prompts', 'scope:test-support'] },
  { sourceTag: 'scope:conversations', onlyDependOnLibsWithTags: ['scope:llm', 'scope:prompts', 'scope:conversations', 'scope:test-support'] },
  { sourceTag: 'scope:fsm', onlyDependOnLibsWithTags: ['scope:llm', 'scope:prompts', 'scope:conversations', 'scope:fsm', 'scope:test-support'] },
  { sourceTag: 'scope:app', onlyDependOnLibsWithTags: ['scope:llm', 'scope:prompts', 'scope:conversations', 'scope:fsm', 'scope:test-support'] },
  { sourceTag: 'scope:tool', onlyDependOnLibsWithTags: ['scope:llm', 'scope:prompts', 'scope:conversations', 'scope:fsm', 'scope:test-support'] },
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.nx/**', '**/test-results/**', 'bench-results/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.js'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints }],
      // Only public exports: never another package's src/ or dist/ internals.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@kit/*/src', '@kit/*/src/*', '@kit/*/dist', '@kit/*/dist/*'], message: "Import a package's public exports only." },
            { group: ['**/packages/*/src/**', '../../*/src/**'], message: "Import a package's public exports only." },
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Tool configs share the root's vitest settings by relative path; they are not package code.
    files: ['**/vitest.config.ts', '**/vitest.*.config.ts', '**/rolldown.config.js'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
);
