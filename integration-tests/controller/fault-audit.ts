// What the fault suites prove from the sandbox's audit log (kube-apiserver's audit, one entry per request,
// with the writer's identity): per ManifestWork and per Job, how many creates succeeded, whether a
// ManifestWork's spec ever went back to an earlier one (flapping), and who wrote when.
import type { AuditEvent, Sandbox } from 'kmm-hub-sandbox';
import { Controller, createMetrics } from 'kmm-hub-controller';
import type { ManifestWork } from 'kmm-hub-controller/model';
import { PooledKubeConfig } from 'kmm-hub-controller/runtime';
import type { TestRegistry } from '../registry/docker-registry';
import { testLogger } from '../helpers';
import { NAMESPACE, testConfig, worksOf, type ConfigChanges, type Hub } from './harness';
import { BUILD_IMAGES, mappingsOf } from './hub-build-fixtures';

const ok = (e: AuditEvent) => e.code !== undefined && e.code >= 200 && e.code < 300;
const key = (e: AuditEvent) => `${e.namespace ?? ''}/${e.name ?? ''}`;

export interface WriteReport {
  /** successful creates per `namespace/name` of the MCM's ManifestWorks */
  workCreates: Map<string, number>;
  /** successful deletes of the MCM's ManifestWorks */
  workDeletes: number;
  /** `namespace/name` of ManifestWorks whose spec came back to one it had before (A, B, A) */
  flapping: string[];
  /** successful updates per ManifestWork */
  workUpdates: Map<string, number>;
  /** successful creates per build/sign Job name */
  jobCreates: Map<string, number>;
  /** every write the user made (failed ones included) */
  writes: AuditEvent[];
}

/**
 * The writes `user` made for one MCM (its ManifestWorks by name; the Jobs in the controller's namespace that
 * push to `repository`). Needs the audit at level `Request` (it reads request bodies).
 */
export function writeReport(
  sandbox: Sandbox,
  user: string,
  mcm: string,
  repository?: string,
): WriteReport {
  const writes = sandbox.audit.events({ user, writes: true });
  const ofRepository = (e: AuditEvent) => {
    const image = (e.requestObject as { metadata?: { annotations?: Record<string, string> } })
      ?.metadata?.annotations?.['kmm-hub.io/image'];
    return repository === undefined || (image?.includes(`/${repository}:`) ?? false);
  };
  const works = writes.filter(
    (e) => e.resource === 'manifestworks' && !e.subresource && e.name === mcm,
  );
  const count = (events: AuditEvent[]) => {
    const out = new Map<string, number>();
    for (const e of events.filter(ok)) out.set(key(e), (out.get(key(e)) ?? 0) + 1);
    return out;
  };
  const specs = new Map<string, string[]>();
  for (const e of works.filter((w) => ok(w) && (w.verb === 'create' || w.verb === 'update'))) {
    const spec = JSON.stringify((e.requestObject as { spec?: unknown } | undefined)?.spec);
    specs.set(key(e), [...(specs.get(key(e)) ?? []), spec]);
  }
  const flapping = [...specs]
    .filter(([, seq]) => seq.some((s, i) => i > 0 && s !== seq[i - 1] && seq.indexOf(s) < i - 1))
    .map(([k]) => k);
  return {
    workCreates: count(works.filter((e) => e.verb === 'create')),
    workDeletes: works.filter((e) => e.verb === 'delete' && ok(e)).length,
    workUpdates: count(works.filter((e) => e.verb === 'update')),
    flapping,
    jobCreates: count(
      writes.filter(
        (e) =>
          e.resource === 'jobs' &&
          e.verb === 'create' &&
          e.namespace === NAMESPACE &&
          ofRepository(e),
      ),
    ),
    writes,
  };
}

/** A token of its own for a writer (a replica, say), so that the audit tells its requests apart. */
export function identityKubeconfig(sandbox: Sandbox, user: string): string {
  return sandbox.server.userToken(user, ['system:masters']).kubeconfig;
}

/** Start a controller in-process as `user`, with hub builds against the registry. */
export async function startControllerAs(
  hub: Hub,
  user: string,
  over: ConfigChanges = {},
): Promise<Controller> {
  const kubeConfig = new PooledKubeConfig();
  kubeConfig.loadFromString(identityKubeconfig(hub.sandbox, user));
  const controller = await Controller.start({
    config: testConfig({ images: BUILD_IMAGES, ...over }, user),
    kubeConfig,
    logger: testLogger(),
    metrics: createMetrics({ processMetrics: false }),
  });
  hub.controllers.push(controller);
  const stop = controller.stop.bind(controller);
  controller.stop = async () => {
    await stop();
    await kubeConfig.close();
  };
  return controller;
}

/**
 * Whether every cluster running one of `kernels` has the MCM's ManifestWork pinning that kernel to a digest
 * in `repository`; returns the works when so.
 */
export async function pinnedEverywhere(
  hub: Hub,
  name: string,
  registry: TestRegistry,
  repository: string,
  kernels: Map<string, string[]>,
): Promise<Map<string, ManifestWork> | undefined> {
  const works = await worksOf(hub, name);
  const prefix = `${registry.host}/${repository}@sha256:`;
  for (const [kernel, holders] of kernels)
    for (const c of holders)
      if (!mappingsOf(works.get(c)).get(kernel)?.startsWith(prefix)) return undefined;
  return works;
}
