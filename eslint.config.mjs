import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import react from 'eslint-plugin-react';
import reactHooks from 'eslint-plugin-react-hooks';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import { readFileSync } from 'node:fs';
import noCrossWorkspaceImport from './eslint-rules/no-cross-workspace-import.mjs';

const root = import.meta.dirname;
const { workspaces } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
// Product code never depends on the sandbox (a test and demo hub), and the plugin, which runs in a browser,
// reaches the controller only through its pure model.
const sandboxPackages = {
  group: ['kmm-hub-sandbox', 'kmm-hub-sandbox/*'],
  message: 'product code must not depend on the sandbox: it is a test and demo hub',
};
const pluginPatterns = [
  sandboxPackages,
  {
    regex: '^kmm-hub-controller(?!/model$)',
    message: 'the plugin runs in a browser: use only kmm-hub-controller/model, the pure model',
  },
];

export default tseslint.config(
  { ignores: ['**/node_modules/', '**/dist/', 'reports/', 'coverage/', '.tools/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'kmm-hub/no-cross-workspace-import': ['error', { root, workspaces }],
    },
    plugins: { 'kmm-hub': { rules: { 'no-cross-workspace-import': noCrossWorkspaceImport } } },
  },
  {
    files: ['controller/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [sandboxPackages] }] },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: pluginPatterns }] },
  },
  {
    files: ['src/**/*.{ts,tsx}', 'sandbox/shell/src/**/*.{ts,tsx}'],
    ...react.configs.flat.recommended,
    ...react.configs.flat['jsx-runtime'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { react, 'react-hooks': reactHooks },
    settings: { react: { version: '18.3' } },
    rules: {
      ...react.configs.flat.recommended.rules,
      ...react.configs.flat['jsx-runtime'].rules,
      ...reactHooks.configs.recommended.rules,
      // Props are typed with TypeScript (and the SDK mock with the SDK's own prop types).
      'react/prop-types': 'off',
    },
  },
  {
    // Console loads the plugin's catalog under its own namespace only: a useTranslation() that named another
    // namespace, or none, would show raw keys in the console while every test still passed.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/utils/i18n.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          // restated here: a later no-restricted-imports replaces an earlier one for the same files
          patterns: pluginPatterns,
          paths: [
            {
              name: 'react-i18next',
              importNames: ['useTranslation', 'Trans', 'withTranslation'],
              message:
                'Use usePluginTranslation() from src/utils/i18n (bound to the plugin namespace).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
