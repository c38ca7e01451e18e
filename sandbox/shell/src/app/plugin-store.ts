// One PluginStore loading plugins as console 4.22 does: the host's share scope, the `__load_plugin_entry__`
// callback, and `@console/pluginAPI` resolved to the console's version (without it a plugin stays pending).
import { PluginStore } from '@openshift/dynamic-plugin-sdk';

export function createPluginStore(releaseVersion: string): PluginStore {
  const sharedScope = __webpack_share_scopes__.default as Record<string, unknown>;
  // Console serves react-router under its two former names too.
  sharedScope['react-router-dom'] = sharedScope['react-router'];
  sharedScope['react-router-dom-v5-compat'] = sharedScope['react-router'];
  return new PluginStore({
    loaderOptions: {
      sharedScope,
      entryCallbackSettings: { name: '__load_plugin_entry__', registerCallback: true },
      customDependencyResolutions: { '@console/pluginAPI': releaseVersion },
    },
  });
}
