// `npm start`'s console parts, apart from the rest of start.ts: the console shell in front of the sandbox hub,
// or (with KUBECONFIG) the plugin served for a real console.
import {
  buildPluginIfStale,
  buildShellIfStale,
  PLUGIN_DIST,
  startPluginServer,
  startShellServer,
  upstreamFromKubeconfig,
} from 'kmm-hub-sandbox/shell';

export const PLUGIN_NAME = 'kmm-hub-console-plugin';

/** Both builds, when stale; started early so they overlap the sandbox's start. */
export const buildConsoleAssets = (): Promise<void> =>
  Promise.all([buildPluginIfStale(), buildShellIfStale()]).then(() => undefined);

const portInUse = (port: number, what: string) => (err: unknown) => {
  const code = (err as NodeJS.ErrnoException).code;
  throw new Error(
    code === 'EADDRINUSE'
      ? `port ${port} is in use: stop what listens there, or choose another with ${what}`
      : String(err),
  );
};

/** The console shell on 127.0.0.1:<port>, acting as the kubeconfig's user. */
export async function startShell(kubeconfig: string, port: number) {
  return startShellServer({
    upstream: upstreamFromKubeconfig(kubeconfig),
    plugins: [{ name: PLUGIN_NAME, dist: PLUGIN_DIST }],
    port,
  }).catch(portInUse(port, '--shell-port'));
}

/** dist/ on 127.0.0.1:<port> with CORS, for a console started with BRIDGE_PLUGINS pointing at it. */
export async function servePluginForConsole(port: number) {
  await buildPluginIfStale();
  return startPluginServer({ dist: PLUGIN_DIST, port }).catch(portInUse(port, '--plugin-port'));
}
