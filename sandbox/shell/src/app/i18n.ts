// i18next as the console sets it up: `~` separates namespace and key, keys may contain dots, and each
// plugin's `plugin__<name>` namespace is read from its locales/ before the first render.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';

export async function initI18n(plugins: string[]): Promise<void> {
  const lng = 'en';
  await i18next.use(initReactI18next).init({
    lng,
    fallbackLng: 'en',
    nsSeparator: '~',
    keySeparator: false,
    interpolation: { escapeValue: false },
    react: { useSuspense: true },
    resources: {},
  });
  await Promise.all(
    plugins.map(async (name) => {
      const ns = `plugin__${name}`;
      const response = await fetch(`/api/plugins/${name}/locales/${lng}/${ns}.json`);
      if (!response.ok) throw new Error(`translations of ${name}: HTTP ${response.status}`);
      i18next.addResourceBundle(lng, ns, (await response.json()) as Record<string, string>);
    }),
  );
}

/** `%plugin__name~Key%` strings of extensions, translated as the console does. */
export const translateExtensionString = (s: string): string =>
  s.replace(/^%(.+)%$/, (_m, key: string) => i18next.t(key));
