import {
  RESUME_ROLLOUT_ANNOTATION,
  ROLLOUT_WRITTEN_AT_ANNOTATION,
  WORK_APPLIED_CONDITION,
  WORK_AVAILABLE_CONDITION,
} from './constants';
import { cloneJson } from './json';
import { compareStrings } from './order';
import { inGroup, resolveStrategy, type ResolvedStrategy } from './rollout-strategy';
import type {
  Condition,
  ManagedClusterModule,
  ManifestWork,
  RolloutClusterFailure,
  RolloutGroupStatus,
  RolloutStatus,
} from './types';
import { workChanges, type WorkChanges, type WorkUpdate } from './work-changes';
import { workState, type WorkState } from './workstatus';

// The progressive rollout gate: between the plan (what every cluster should have) and the writes, it lets
// through only the ManifestWork changes whose wave has come. It is pure and keeps no memory of its own:
// which clusters moved in the rollout, and when, is read back from the works (kmm-hub stamps each work it
// moves with the time of the write); whether the rollout is halted, since when it runs, and the last resume
// token acted upon are in the MCM's status.rollout. The same inputs give the same decision after a restart.

export interface RolloutGateInput {
  mcm: ManagedClusterModule;
  /** the plan's complete desired set (planManagedClusterModule's manifestWorks) */
  desired: readonly ManifestWork[];
  /** every ManifestWork of the MCM as it is now */
  current: readonly ManifestWork[];
  /** a cluster's ManagedCluster labels (for the mandatory groups), undefined when unknown */
  labelsOf: (cluster: string) => Record<string, string> | undefined;
  /** workState, or a cache of it */
  stateOf?: (work: ManifestWork) => WorkState;
  /** milliseconds since the epoch */
  now: number;
}

export interface RolloutGate {
  /** the writes to make now */
  changes: WorkChanges;
  /** clusters whose change waits: for their wave, or for a resume while the rollout is halted */
  held: string[];
  /** status.rollout; undefined when the MCM moves every cluster at once (no progressive strategy) */
  rollout?: RolloutStatus;
  /** when to decide again although nothing changes on the hub (minSuccessTime or progressDeadline ends) */
  requeueAfterMs?: number;
}

type ClusterPhase = 'pending' | 'progressing' | 'succeeded' | 'failed' | 'unchanged';

interface ClusterState {
  cluster: string;
  phase: ClusterPhase;
  /** when kmm-hub wrote the work in this rollout */
  writtenAt?: number;
  failure?: RolloutClusterFailure;
  /** when the decision may change by time alone */
  wakeAt?: number;
  /** progressing and healthy: since when (status.rollout.moving) */
  healthySince?: number;
  /** pending, but its spoke is still settling on the work it got earlier in this rollout */
  settling?: boolean;
}

const MAX_FAILED_LISTED = 20;
/** metav1.Time has second precision: a transition stamped 10:00:01 may have happened up to 1 s later. */
const TIMESTAMP_PRECISION_MS = 1000;

/**
 * Which of the plan's ManifestWork changes to write now under the MCM's spec.rolloutStrategy.
 *
 * Without a progressive strategy every change goes at once (the MCM behaves exactly as without the field).
 * Otherwise deletions (a cluster no longer selected) and changes kmm-hub's bookkeeping alone sees (labels,
 * owner references) go at once; a change of what a spoke runs (a new work, or a new workload: new mapping,
 * image digest, kernel, spec) waits for its cluster's wave. Clusters are ordered mandatory groups first (in
 * their order), then the rest (ProgressivePerGroup with groupByLabel: one group per label value), by name
 * within a group; Progressive cuts each group into waves of maxConcurrency, ProgressivePerGroup moves a group
 * as one wave. A wave is done when each of its clusters has succeeded (Applied, Available and the module on
 * every desired node, for minSuccessTime), failed, or needed no change; the first wave not done is the one
 * under way, and its clusters move while fewer than maxConcurrency clusters are moving.
 *
 * A failure is a spoke refusing the work (Applied=False), or a moved cluster not healthy within
 * progressDeadline. Any failure in a mandatory group, or more than maxFailures failures, halts the rollout:
 * no further cluster moves (the rest keep their previous ManifestWork, or get none) until the MCM's
 * resume-rollout annotation takes a new value, or its spec changes (a new generation starts a new rollout).
 * Failures before a resume no longer count.
 */
export function gateRollout(input: RolloutGateInput): RolloutGate {
  const { mcm, desired, current, now } = input;
  const all = workChanges(desired, current);
  const strategy = resolveStrategy(mcm, desired.length);
  if (!strategy) return { changes: all, held: [] };
  const stateOf = input.stateOf ?? workState;

  const out: WorkChanges = { create: [], update: [], delete: all.delete };
  const moves = new Map<string, { create?: ManifestWork; update?: WorkUpdate }>();
  for (const w of all.create) moves.set(clusterOf(w), { create: w });
  for (const u of all.update) {
    if (u.parts.some((p) => p.startsWith('spec.'))) moves.set(clusterOf(u.current), { update: u });
    else out.update.push(u);
  }

  const nowIso = new Date(now).toISOString();
  const epoch = rolloutEpoch(mcm, moves.size > 0, nowIso);
  const startedMs = Date.parse(epoch.startedAt);
  const countSinceMs = Date.parse(epoch.countFailuresSince);

  const currentByCluster = new Map<string, ManifestWork>();
  for (const w of current)
    if (w.metadata.name === mcm.metadata.name) currentByCluster.set(clusterOf(w), w);
  const moving = new Map<string, { healthySince?: string }>();
  // A new rollout starts with no one moving; a record of an earlier one says nothing about this one.
  if (epoch.startedAt === mcm.status?.rollout?.startedAt)
    for (const m of mcm.status?.rollout?.moving ?? []) moving.set(m.cluster, m);
  const states = new Map<string, ClusterState>();
  for (const d of desired) {
    const cluster = clusterOf(d);
    const work = currentByCluster.get(cluster);
    const writtenAt = work ? writtenAtOf(work) : undefined;
    if (moves.has(cluster)) {
      // Moved earlier in this rollout and changed again since (a new spec mid-rollout): while its spoke
      // is still settling on what it got, it holds its slot.
      const earlier =
        work && writtenAt !== undefined && writtenAt >= startedMs
          ? evaluate(cluster, work, writtenAt, stateOf(work), strategy, now, moving.get(cluster))
          : undefined;
      states.set(
        cluster,
        earlier?.phase === 'progressing'
          ? { ...earlier, phase: 'pending', settling: true }
          : { cluster, phase: 'pending' },
      );
      continue;
    }
    if (!work || writtenAt === undefined || writtenAt < startedMs) {
      states.set(cluster, { cluster, phase: 'unchanged' });
      continue;
    }
    const record = moving.get(cluster);
    states.set(cluster, evaluate(cluster, work, writtenAt, stateOf(work), strategy, now, record));
  }

  const groups = groupClusters([...states.keys()].sort(compareStrings), strategy, input.labelsOf);
  const waves = cutWaves(groups, strategy);
  const mandatory = new Set(groups.filter((g) => g.mandatory).flatMap((g) => g.clusters));

  let phase = epoch.phase;
  let haltedReason = epoch.haltedReason;
  const counted = [...states.values()].filter(
    (s) => s.phase === 'failed' && (s.writtenAt ?? 0) >= countSinceMs,
  );
  if (phase === 'Progressing') {
    const canaryFailed = counted.some((s) => mandatory.has(s.cluster));
    if (canaryFailed || counted.length > strategy.maxFailures) {
      phase = 'Halted';
      haltedReason = counted.some((s) => s.failure?.reason === 'TimedOut')
        ? 'ProgressDeadlineExceeded'
        : 'TooManyFailures';
    }
  }

  const done = (c: string) => {
    const p = states.get(c)!.phase;
    return p === 'succeeded' || p === 'unchanged' || p === 'failed';
  };
  let waveIndex = waves.findIndex((w) => !w.clusters.every(done));
  const held: string[] = [];
  if (phase === 'Progressing' && waveIndex >= 0) {
    let capacity =
      strategy.maxConcurrency -
      [...states.values()].filter((s) => s.phase === 'progressing' || s.settling).length;
    for (const cluster of waves[waveIndex]!.clusters) {
      const state = states.get(cluster)!;
      if (state.phase !== 'pending' || state.settling || capacity <= 0) continue;
      capacity--;
      const move = moves.get(cluster)!;
      if (move.create) out.create.push(stamped(move.create, now));
      else {
        const u = move.update!;
        out.update.push({ ...u, body: stamped(u.body, now) });
      }
      states.set(cluster, { cluster, phase: 'progressing', writtenAt: now });
    }
  }
  for (const cluster of moves.keys())
    if (states.get(cluster)?.phase === 'pending') held.push(cluster);
  // A move whose cluster is not desired cannot happen (moves come from desired), so held is complete.
  held.sort(compareStrings);

  const count = (p: ClusterPhase) => [...states.values()].filter((s) => s.phase === p).length;
  if (phase === 'Progressing' && count('pending') === 0 && count('progressing') === 0)
    phase = 'Complete';
  if (waveIndex < 0) waveIndex = waves.length - 1;

  const failures = [...states.values()]
    .filter((s) => s.phase === 'failed')
    .map((s) => s.failure!)
    .sort((a, b) => compareStrings(a.cluster, b.cluster));
  const rollout: RolloutStatus = {
    phase,
    startedAt: epoch.startedAt,
    observedGeneration: mcm.metadata.generation ?? 0,
    countFailuresSince: epoch.countFailuresSince,
    currentWave: waveIndex + 1,
    totalWaves: waves.length,
    clusters: states.size,
    succeeded: count('succeeded') + count('unchanged'),
    progressing: count('progressing'),
    failed: failures.length,
    pending: count('pending'),
    groups: groups.map((g) => groupStatus(g, states, strategy)),
  };
  if (epoch.resumeToken !== undefined) rollout.resumeToken = epoch.resumeToken;
  const movingNow = [...states.values()]
    .filter((s) => s.phase === 'progressing' || s.settling)
    .sort((a, b) => compareStrings(a.cluster, b.cluster))
    .map((s) =>
      s.healthySince === undefined
        ? { cluster: s.cluster }
        : { cluster: s.cluster, healthySince: new Date(s.healthySince).toISOString() },
    );
  if (movingNow.length > 0) rollout.moving = movingNow;
  if (failures.length > 0) rollout.failedClusters = failures.slice(0, MAX_FAILED_LISTED);
  if (phase === 'Halted') {
    rollout.haltedReason = haltedReason ?? 'TooManyFailures';
    rollout.message = haltMessage(counted.length, strategy, failures);
  } else if (phase === 'Progressing') {
    const wave = waves[waveIndex];
    rollout.message =
      `wave ${waveIndex + 1} of ${waves.length}` +
      (wave ? ` (group ${wave.group})` : '') +
      `: ${rollout.progressing} moving, ${rollout.pending} waiting`;
  }

  const result: RolloutGate = { changes: out, held, rollout };
  if (phase === 'Progressing') {
    const wakes = [...states.values()].flatMap((s) => (s.wakeAt === undefined ? [] : [s.wakeAt]));
    const admittedDeadline =
      strategy.progressDeadlineMs === undefined ? [] : [now + strategy.progressDeadlineMs + 1];
    const next = Math.min(
      ...wakes,
      ...(out.create.length + out.update.length > 0 ? admittedDeadline : []),
    );
    if (Number.isFinite(next)) result.requeueAfterMs = Math.max(100, Math.ceil(next - now));
  }
  return result;
}

interface Epoch {
  phase: RolloutStatus['phase'];
  startedAt: string;
  countFailuresSince: string;
  resumeToken?: string;
  haltedReason?: string;
}

/** Where the rollout stands before this decision: from status.rollout, the resume annotation and the generation. */
function rolloutEpoch(mcm: ManagedClusterModule, hasMoves: boolean, now: string): Epoch {
  const prev = mcm.status?.rollout;
  const token = mcm.metadata.annotations?.[RESUME_ROLLOUT_ANNOTATION];
  const generation = mcm.metadata.generation ?? 0;
  if (!prev) {
    const e: Epoch = {
      phase: hasMoves ? 'Progressing' : 'Complete',
      startedAt: now,
      countFailuresSince: now,
    };
    // A token present before any rollout resumes nothing later: it counts as acted upon.
    if (token !== undefined) e.resumeToken = token;
    return e;
  }
  const e: Epoch = {
    phase: prev.phase,
    startedAt: prev.startedAt,
    countFailuresSince: prev.countFailuresSince,
  };
  if (prev.resumeToken !== undefined) e.resumeToken = prev.resumeToken;
  if (prev.haltedReason !== undefined) e.haltedReason = prev.haltedReason;
  const resumed = token !== undefined && token !== prev.resumeToken;
  if (resumed) e.resumeToken = token;
  if (e.phase === 'Halted' && prev.observedGeneration !== generation) {
    // A new spec is a new choice: a new rollout, from its first wave.
    delete e.haltedReason;
    return { ...e, phase: 'Progressing', startedAt: now, countFailuresSince: now };
  }
  if (e.phase === 'Halted' && resumed) {
    delete e.haltedReason;
    return { ...e, phase: 'Progressing', countFailuresSince: now };
  }
  if (e.phase === 'Complete' && hasMoves)
    return { ...e, phase: 'Progressing', startedAt: now, countFailuresSince: now };
  return e;
}

/** A moved cluster's standing from its work's conditions and feedback. */
function evaluate(
  cluster: string,
  work: ManifestWork,
  writtenAt: number,
  state: WorkState,
  strategy: ResolvedStrategy,
  now: number,
  /** its status.rollout.moving entry: absent when kmm-hub's status write after moving it was lost */
  record: { healthySince?: string } | undefined,
): ClusterState {
  const base = { cluster, writtenAt };
  const generation = work.metadata.generation;
  const current = (c: Condition | undefined) =>
    c !== undefined &&
    (c.observedGeneration === undefined ||
      generation === undefined ||
      c.observedGeneration >= generation);
  const conditions = work.status?.conditions ?? [];
  const applied = conditions.find((c) => c.type === WORK_APPLIED_CONDITION);
  const available = conditions.find((c) => c.type === WORK_AVAILABLE_CONDITION);
  if (current(applied) && applied!.status === 'False') {
    return {
      ...base,
      phase: 'failed',
      failure: {
        cluster,
        reason: 'Failed',
        message: state.degradedReasons.join('; ') || 'the spoke did not apply the ManifestWork',
      },
    };
  }
  const healthy =
    current(applied) &&
    applied!.status === 'True' &&
    available?.status === 'True' &&
    !state.degraded;
  if (healthy) {
    // Without a record (none was written, or this cluster graduated already) the conditions are the best
    // evidence; with one, the first decision that saw it healthy.
    const seen = record ? (record.healthySince ? Date.parse(record.healthySince) : now) : 0;
    const since = Math.max(writtenAt, seen, transitionMs(applied), transitionMs(available));
    if (now - since >= strategy.minSuccessMs) return { ...base, phase: 'succeeded' };
    return {
      ...base,
      phase: 'progressing',
      wakeAt: since + strategy.minSuccessMs,
      healthySince: since,
    };
  }
  const deadline = strategy.progressDeadlineMs;
  if (deadline !== undefined && now - writtenAt > deadline) {
    const why =
      state.degradedReasons.length > 0
        ? state.degradedReasons.join('; ')
        : current(applied)
          ? 'not Available'
          : 'the work agent has not applied it';
    return {
      ...base,
      phase: 'failed',
      failure: {
        cluster,
        reason: 'TimedOut',
        message: `not healthy within progressDeadline ${strategy.progressDeadline}: ${why}`,
      },
    };
  }
  const wake = deadline === undefined ? undefined : writtenAt + deadline + 1;
  return wake === undefined
    ? { ...base, phase: 'progressing' }
    : { ...base, phase: 'progressing', wakeAt: wake };
}

interface Group {
  name: string;
  mandatory: boolean;
  clusters: string[];
}

/** Mandatory groups in their order (a cluster in the first that selects it), then the rest. */
function groupClusters(
  sorted: readonly string[],
  strategy: ResolvedStrategy,
  labelsOf: (cluster: string) => Record<string, string> | undefined,
): Group[] {
  const groups: Group[] = strategy.mandatoryGroups.map((g) => ({
    name: g.groupName,
    mandatory: true,
    clusters: [],
  }));
  const rest = new Map<string, string[]>();
  for (const cluster of sorted) {
    const labels = labelsOf(cluster) ?? {};
    const i = strategy.mandatoryGroups.findIndex((g) => inGroup(g, labels));
    if (i >= 0) {
      groups[i]!.clusters.push(cluster);
      continue;
    }
    const key = strategy.groupByLabel;
    const name =
      key === undefined
        ? 'remaining'
        : labels[key] !== undefined
          ? `${key}=${labels[key]}`
          : `${key} unset`;
    if (!rest.has(name)) rest.set(name, []);
    rest.get(name)!.push(cluster);
  }
  const unset = `${strategy.groupByLabel} unset`;
  const names = [...rest.keys()].sort(
    (a, b) => Number(a === unset) - Number(b === unset) || compareStrings(a, b),
  );
  for (const name of names) groups.push({ name, mandatory: false, clusters: rest.get(name)! });
  return groups;
}

interface Wave {
  group: string;
  clusters: string[];
}

function cutWaves(groups: readonly Group[], strategy: ResolvedStrategy): Wave[] {
  const waves: Wave[] = [];
  for (const g of groups) {
    const size = strategy.type === 'Progressive' ? strategy.maxConcurrency : Infinity;
    for (let i = 0; i < g.clusters.length; i += Number.isFinite(size) ? size : g.clusters.length)
      waves.push({
        group: g.name,
        clusters: g.clusters.slice(i, Number.isFinite(size) ? i + size : undefined),
      });
  }
  return waves;
}

function groupStatus(
  g: Group,
  states: Map<string, ClusterState>,
  strategy: ResolvedStrategy,
): RolloutGroupStatus {
  const n = (...phases: ClusterPhase[]) =>
    g.clusters.filter((c) => phases.includes(states.get(c)!.phase)).length;
  const size = strategy.type === 'Progressive' ? strategy.maxConcurrency : Infinity;
  return {
    name: g.name,
    waves:
      g.clusters.length === 0 ? 0 : Number.isFinite(size) ? Math.ceil(g.clusters.length / size) : 1,
    clusters: g.clusters.length,
    succeeded: n('succeeded', 'unchanged'),
    progressing: n('progressing'),
    failed: n('failed'),
    pending: n('pending'),
  };
}

function haltMessage(
  counted: number,
  strategy: ResolvedStrategy,
  failures: readonly RolloutClusterFailure[],
): string {
  const listed = failures
    .slice(0, 5)
    .map((f) => `${f.cluster} (${f.reason}: ${f.message})`)
    .join('; ');
  const more = failures.length > 5 ? ` and ${failures.length - 5} more` : '';
  return (
    `halted after ${counted} failure${counted === 1 ? '' : 's'} (maxFailures ${strategy.maxFailures}; ` +
    `none tolerated in a mandatory group): ${listed}${more}. The other clusters keep their previous ` +
    `ManifestWork. Fix the cause, then set the annotation ${RESUME_ROLLOUT_ANNOTATION} to a new value to resume`
  );
}

function stamped(work: ManifestWork, now: number): ManifestWork {
  const out = cloneJson(work);
  out.metadata.annotations = {
    ...out.metadata.annotations,
    [ROLLOUT_WRITTEN_AT_ANNOTATION]: new Date(now).toISOString(),
  };
  return out;
}

function writtenAtOf(work: ManifestWork): number | undefined {
  const text = work.metadata.annotations?.[ROLLOUT_WRITTEN_AT_ANNOTATION];
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function transitionMs(c: Condition | undefined): number {
  const ms = c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  return Number.isNaN(ms) ? 0 : ms + TIMESTAMP_PRECISION_MS;
}

function clusterOf(work: ManifestWork): string {
  return work.metadata.namespace ?? '';
}
