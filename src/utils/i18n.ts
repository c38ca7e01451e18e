import type { useTranslation } from 'react-i18next';

/** The i18n namespace console loads for this plugin (plugin__<consolePlugin.name>). */
export const I18N_NAMESPACE = 'plugin__kmm-hub-console-plugin';

/** The `t` of useTranslation('plugin__kmm-hub-console-plugin'), for helpers that render text. */
export type PluginT = ReturnType<typeof useTranslation<typeof I18N_NAMESPACE>>['t'];
