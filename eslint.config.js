import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// The layering rule: a package may depend only on packages below it.
// llm <- prompts <- conversations <- fsm; apps and tools may use any of them.
const depConstraints = [
  { sourceTag: 'scope:llm', onlyDependOnLibsWithTags: ['scope:llm'] },
  { sourceTag: 'scope:prompts', onlyDependOnLibsWithTags: ['scope:llm', 'scope:prompts'] },
  { sourceTag: 'scope:conversations', onlyDependOnLibsWithTags: ['scope:llm', 'scope:prompts', 'scope:conversations'] },
  { sourceTag: 'scope:fsm', onlyDependOnLibsWithTags: ['scope:llm', 'scope:prompts', 'scope:conversations', 'scope:fsm'] },
  { sourceTag: 'scope:app', onlyDependOnLibsWithTags: ['scope:llm', 'scope:prompts', 'scope:conversations', 'scope:fsm'] },
  { sourceTag: 'scope:tool', onlyDependOnLibsWithTags: ['scope:llm', 'scope:prompts', 'scope:conversations', 'scope:fsm'] },
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
