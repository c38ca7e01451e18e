import { useTranslation } from 'react-i18next';

/** The i18n namespace console loads for this plugin (plugin__<consolePlugin.name>). */
export const I18N_NAMESPACE = 'plugin__kmm-hub-console-plugin';

/**
 * useTranslation bound to the plugin's namespace. Console loads each plugin's catalog under its own namespace,
 * so a component that named another one (or none) would show raw keys; spelling it once here rules that out.
 */
export const usePluginTranslation = () => useTranslation(I18N_NAMESPACE);

/** The `t` of usePluginTranslation, for helpers that render text. */
export type PluginT = ReturnType<typeof usePluginTranslation>['t'];
