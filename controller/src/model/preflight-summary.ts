import { withTransitionTimes } from './conditions';
import { jsonEqual } from './json';
import { compareStrings } from './order';
import { PREFLIGHT_BLOCKED, validateKernelPreflight } from './preflight';
import type {
  KernelPreflight,
  KernelPreflightStatus,
  PreflightKernelSummary,
  PreflightModuleStatus,
} from './preflight-types';
import { count, nameList } from './summary';
import type { Condition, ManagedClusterModule } from './types';

// A KernelPreflight's status: for each kernel it declares, where every MCM stands, read from the MCMs'
// status.preflight (which the MCM reconciles write). The object is the fleet-wide answer to "can we upgrade?".

/**
 * The status of `preflight` from the MCMs as they are. MCMs without a module loader need no kernel image and are
 * left out; an MCM that has not reported on a kernel yet is Pending. An invalid object gets Ready=False with
 * its problems and no kernels (nothing is prepared for it).
 */
export function kernelPreflightStatus(
  preflight: KernelPreflight,
  mcms: readonly ManagedClusterModule[],
  now: string,
): KernelPreflightStatus {
  const generation = preflight.metadata?.generation ?? 0;
  const previous = preflight.status;
  const problems = validateKernelPreflight(preflight);
  if (problems.length > 0) {
    const condition: Condition = {
      type: 'Ready',
      status: 'False',
      reason: 'Invalid',
      message:
        'nothing is prepared for this KernelPreflight until it is fixed: ' +
        problems.map((p) => `${p.field}: ${p.message}`).join('; '),
    };
    return {
      observedGeneration: generation,
      conditions: withTransitionTimes(previous?.conditions, [condition], now),
      kernels: [],
    };
  }
  const modules = mcms
    .filter(
      (m) => m.metadata?.name && m.spec?.moduleSpec?.moduleLoader && !m.metadata.deletionTimestamp,
    )
    .sort((a, b) => compareStrings(a.metadata.name!, b.metadata.name!));
  const kernels = preflight.spec.kernels.map((k): PreflightKernelSummary => {
    const summary: PreflightKernelSummary = {
      version: k.version,
      ready: 0,
      inProgress: 0,
      failed: 0,
      modules: [],
    };
    if (k.release) summary.release = k.release;
    for (const mcm of modules) {
      const entry = mcm.status?.preflight?.find((e) => e.kernelVersion === k.version);
      const m: PreflightModuleStatus = entry
        ? { name: mcm.metadata.name!, state: entry.state }
        : {
            name: mcm.metadata.name!,
            state: 'Pending',
            message: 'the ManagedClusterModule has not reported on this kernel yet',
          };
      if (entry?.image) m.image = entry.image;
      if (entry?.message) m.message = entry.message;
      summary.modules.push(m);
      if (m.state === 'Ready') summary.ready++;
      else if (m.state !== 'Pending' && PREFLIGHT_BLOCKED.has(m.state)) summary.failed++;
      else summary.inProgress++;
    }
    return summary;
  });
  return {
    observedGeneration: generation,
    conditions: withTransitionTimes(
      previous?.conditions,
      [readyCondition(kernels, modules.length)],
      now,
    ),
    kernels,
  };
}

function readyCondition(kernels: readonly PreflightKernelSummary[], mcms: number): Condition {
  const where = (pick: (m: PreflightModuleStatus) => boolean) => {
    const pairs: string[] = [];
    for (const k of kernels)
      for (const m of k.modules) if (pick(m)) pairs.push(`${m.name} on ${k.version} (${m.state})`);
    return pairs;
  };
  const failed = where((m) => m.state !== 'Pending' && PREFLIGHT_BLOCKED.has(m.state));
  if (failed.length > 0)
    return {
      type: 'Ready',
      status: 'False',
      reason: 'NotReady',
      message: `${count(failed.length, 'module and kernel pair')} cannot load as things are: ${nameList(failed, 4)}`,
    };
  const waiting = where((m) => m.state !== 'Ready');
  if (waiting.length > 0)
    return {
      type: 'Ready',
      status: 'False',
      reason: 'InProgress',
      message: `${count(waiting.length, 'module and kernel pair')} not ready yet: ${nameList(waiting, 4)}`,
    };
  return {
    type: 'Ready',
    status: 'True',
    reason: 'AllReady',
    message: `every ManagedClusterModule with a module loader (${mcms}) has a ready image for ${count(kernels.length, 'declared kernel')}`,
  };
}

/** Whether writing `next` would change the object's status. */
export function preflightStatusUnchanged(
  current: KernelPreflightStatus | undefined,
  next: KernelPreflightStatus,
): boolean {
  return jsonEqual(current ?? {}, next);
}

/** Whether an MCM change can change a KernelPreflight's summary: its coming or going, module loader or preflight. */
export function mcmPreflightChanged(
  before: ManagedClusterModule | undefined,
  after: ManagedClusterModule | undefined,
): boolean {
  if (!before || !after) return true;
  return (
    !jsonEqual(before.status?.preflight ?? [], after.status?.preflight ?? []) ||
    (before.spec?.moduleSpec?.moduleLoader === undefined) !==
      (after.spec?.moduleSpec?.moduleLoader === undefined) ||
    (before.metadata?.deletionTimestamp === undefined) !==
      (after.metadata?.deletionTimestamp === undefined)
  );
}
