// The console shell: a stand-in for the OpenShift console that loads the plugin's production build.
export {
  startShellServer,
  SHELL_DIST,
  type ShellServer,
  type ShellServerOptions,
  type PluginDir,
} from './server';
export { upstreamFromKubeconfig, type Upstream } from './upstream';
export { startPluginServer } from './plugin-server';
export { buildShellIfStale, buildPluginIfStale, PLUGIN_DIST } from './build';
