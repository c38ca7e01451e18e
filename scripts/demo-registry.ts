// The `npm start` demo's prebuilt images: one per fleet kernel the demo MCMs map without a hub build, pushed
// to the local registry so that the controller finds (and pins) them; the others are built on the hub.
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import type { ManagedCluster } from 'kmm-hub-controller/model';
import { OciPusher } from 'kmm-hub-sandbox';

const CLAIM = 'kernel-versions.kmm.node.kubernetes.io';
/** what sandbox/demo/managedclustermodules.yaml maps to prebuilt images */
const PREBUILT: [repository: string, kernel: RegExp][] = [
  ['demo/nic-driver', /^5\.14\.0-[0-9.]+\.el9_[0-9]+\.(x86_64|aarch64)$/],
  ['demo/gpu-driver', /^5\.14\.0-427\.[0-9.]+\.el9_4\.(x86_64|aarch64)$/],
];

export async function seedDemoRegistry(kc: KubeConfig, registry: string): Promise<void> {
  const list = (await kc.makeApiClient(CustomObjectsApi).listClusterCustomObject({
    group: 'cluster.open-cluster-management.io',
    version: 'v1',
    plural: 'managedclusters',
  })) as { items: ManagedCluster[] };
  const kernels = new Set<string>();
  for (const c of list.items)
    for (const claim of c.status?.clusterClaims ?? [])
      if (claim.name === CLAIM) claim.value.split('\n').forEach((k) => k && kernels.add(k));
  let pushed = 0;
  for (const [repository, matches] of PREBUILT) {
    const pusher = new OciPusher({ baseUrl: `http://${registry}`, repository });
    for (const k of kernels)
      if (matches.test(k)) {
        await pusher.pushImage(k, { content: `${repository}:${k}` });
        pushed++;
      }
  }
  process.stderr.write(`npm start: pushed ${pushed} prebuilt demo images to ${registry}\n`);
}
