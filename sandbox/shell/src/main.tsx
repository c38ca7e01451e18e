// Start-up in the console's order: SERVER_FLAGS (on the page), the share scope, translations, API discovery,
// the plugin store, the first render, then each plugin's manifest from /api/plugins/<name>/.
import { PluginStoreProvider } from '@openshift/dynamic-plugin-sdk';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { Provider } from 'react-redux';
import { applyMiddleware, combineReducers, legacy_createStore as createStore } from 'redux';
import { thunk } from 'redux-thunk';
import { ModelFlags } from './app/flags';
import { initI18n } from './app/i18n';
import { createPluginStore } from './app/plugin-store';
import { Shell } from './app/Shell';
import { discover } from './sdk/models';

// Plugins may read the console's redux store; the shell keeps only what it uses (feature flags live in the
// plugin store). Importing redux, react-redux and redux-thunk here is also what provides them as shared.
const reduxStore = createStore(
  combineReducers({ sdkCore: (s: Record<string, unknown> = {}) => s }),
  applyMiddleware(thunk),
);

async function start(): Promise<void> {
  await __webpack_init_sharing__('default');
  const { consolePlugins, releaseVersion } = window.SERVER_FLAGS;
  await Promise.all([initI18n(consolePlugins), discover()]);
  const pluginStore = createPluginStore(releaseVersion);
  createRoot(document.getElementById('app') as HTMLElement).render(
    <Provider store={reduxStore}>
      <PluginStoreProvider store={pluginStore}>
        <BrowserRouter>
          <ModelFlags />
          <Shell />
        </BrowserRouter>
      </PluginStoreProvider>
    </Provider>,
  );
  for (const name of consolePlugins) {
    void pluginStore.loadPlugin(`/api/plugins/${name}/plugin-manifest.json`);
  }
}

start().catch((err: unknown) => {
  document.body.textContent = `The console shell failed to start: ${err instanceof Error ? err.message : String(err)}`;
  throw err;
});
