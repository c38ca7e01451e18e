// Keeps locales/en/plugin__kmm-hub-console-plugin.json in sync with the t('...') calls in src/ and the
// %plugin__kmm-hub-console-plugin~...% strings in console-extensions.json. `npm run i18n` rewrites the file;
// `npm run i18n:check` (CI) fails when it is out of date. English values are the keys themselves.
import ConsoleExtensionsLexer from './scripts/i18n-extensions-lexer.mjs';

export default {
  input: [
    'src/**/*.{ts,tsx}',
    '!src/**/*.test.{ts,tsx}',
    '!src/__mocks__/**',
    // binds useTranslation to the namespace through a constant, which the parser cannot read; it has no strings
    '!src/utils/i18n.ts',
    'console-extensions.json',
  ],
  output: 'locales/$LOCALE/$NAMESPACE.json',
  locales: ['en'],
  defaultNamespace: 'plugin__kmm-hub-console-plugin',
  namespaceSeparator: '~',
  keySeparator: false,
  pluralSeparator: '_',
  contextSeparator: '_',
  defaultValue: (_locale, _namespace, key) => key,
  createOldCatalogs: false,
  keepRemoved: false,
  sort: true,
  failOnWarnings: true,
  lexers: {
    ts: ['JavascriptLexer'],
    tsx: ['JsxLexer'],
    json: [ConsoleExtensionsLexer],
    default: ['JavascriptLexer'],
  },
};
