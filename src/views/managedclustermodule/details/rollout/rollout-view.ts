import {
  RESUME_ROLLOUT_ANNOTATION,
  type ManagedClusterModule,
  type RolloutClusterFailure,
  type RolloutGroupStatus,
  type RolloutStatus,
} from '../../../../utils/model';

// What the details page shows of an MCM's progressive rollout, from its spec.rolloutStrategy and the
// controller's status.rollout; and the patch of the resume action.

export interface RolloutView {
  /** Progressive or ProgressivePerGroup */
  type: string;
  /** undefined until the controller has reported the rollout */
  phase: RolloutStatus['phase'] | undefined;
  /** clusters done (succeeded, unchanged or failed) in percent of the rollout's clusters */
  percentDone: number;
  clusters: number;
  succeeded: number;
  progressing: number;
  failed: number;
  pending: number;
  currentWave: number;
  totalWaves: number;
  groups: RolloutGroupStatus[];
  moving: string[];
  failures: RolloutClusterFailure[];
  haltedReason: string | undefined;
  message: string | undefined;
  /** the controller has not yet decided for the MCM's current spec */
  stale: boolean;
}

/** undefined for an MCM whose changes go to every cluster at once (no progressive strategy, no rollout reported). */
export function rolloutView(mcm: ManagedClusterModule): RolloutView | undefined {
  const type = mcm.spec?.rolloutStrategy?.type ?? 'All';
  const r = mcm.status?.rollout;
  if (type === 'All' && !r) return undefined;
  const clusters = r?.clusters ?? 0;
  const done = (r?.succeeded ?? 0) + (r?.failed ?? 0);
  return {
    type,
    phase: r?.phase,
    percentDone:
      clusters === 0 ? (r?.phase === 'Complete' ? 100 : 0) : Math.floor((done * 100) / clusters),
    clusters,
    succeeded: r?.succeeded ?? 0,
    progressing: r?.progressing ?? 0,
    failed: r?.failed ?? 0,
    pending: r?.pending ?? 0,
    currentWave: r?.currentWave ?? 0,
    totalWaves: r?.totalWaves ?? 0,
    groups: r?.groups ?? [],
    moving: (r?.moving ?? []).map((m) => m.cluster),
    failures: r?.failedClusters ?? [],
    haltedReason: r?.haltedReason,
    message: r?.message,
    stale: r !== undefined && r.observedGeneration !== mcm.metadata.generation,
  };
}

/** A token no earlier resume used: the controller acts on a value once. */
export const resumeToken = (now: Date): string => `console-${now.toISOString()}`;

/** The JSON patch that sets the resume annotation, whether or not the MCM has annotations already. */
export function resumePatch(
  mcm: ManagedClusterModule,
  token: string,
): { op: 'add'; path: string; value: unknown }[] {
  if (!mcm.metadata.annotations)
    return [
      { op: 'add', path: '/metadata/annotations', value: { [RESUME_ROLLOUT_ANNOTATION]: token } },
    ];
  const key = RESUME_ROLLOUT_ANNOTATION.replace(/~/g, '~0').replace(/\//g, '~1');
  return [{ op: 'add', path: `/metadata/annotations/${key}`, value: token }];
}
