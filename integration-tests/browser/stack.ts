// What `npm start` runs, in-process for a test or benchmark: the sandbox hub with a simulated fleet, the
// controller, and the console shell serving the plugin's production build.
import {
  buildPluginIfStale,
  buildShellIfStale,
  PLUGIN_DIST,
  startShellServer,
} from 'kmm-hub-sandbox/shell';
import { type Hub, startController, startHub } from '../controller/harness';

export interface Stack {
  hub: Hub;
  shellUrl: string;
  stop(): Promise<void>;
}

export async function startStack(clusters: number, statusSyncIntervalMs = 200): Promise<Stack> {
  await Promise.all([buildPluginIfStale(), buildShellIfStale()]);
  const hub = await startHub(clusters, statusSyncIntervalMs);
  try {
    await startController(hub);
    const shell = await startShellServer({
      upstream: { server: hub.sandbox.httpUrl, token: hub.sandbox.token },
      plugins: [{ name: 'kmm-hub-console-plugin', dist: PLUGIN_DIST }],
    });
    return {
      hub,
      shellUrl: shell.url,
      async stop() {
        await shell.stop();
        await hub.stop();
      },
    };
  } catch (err) {
    await hub.stop();
    throw err;
  }
}
