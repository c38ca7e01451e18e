// The per-MCM fleet summary: what the fleet status tab and the kernel matrix need to know about each cluster
// an MCM selects (its kernels, labels and availability from the ManagedCluster; the state of the MCM's
// ManifestWork there; the plan's skips), in a form small enough that one object holds 3,500 clusters well
// under etcd's 1.5 MiB limit. Strings that repeat across clusters (kernels, labels, messages) are stored once
// in tables and referenced by index; flags that are usually true are written only when false.
import {
  FEEDBACK_SECTIONS,
  FLEET_SUMMARY_API_VERSION,
  FLEET_SUMMARY_KIND,
  MCM_API_VERSION,
  MCM_KIND,
} from './constants';
import { kernelVersionsOf } from './kernels';
import { workMappingsOf } from './manifestwork';
import { compareStrings } from './order';
import type { McmCoverage, SkipCode } from './plan';
import { clusterAvailability } from './triggers';
import type {
  Condition,
  KubeObject,
  ManagedCluster,
  ManagedClusterModule,
  ManifestWork,
  ObjectMeta,
} from './types';
import { type FeedbackSection, type ModuleCounters, workState, type WorkState } from './workstatus';

type ConditionStatus = Condition['status'];

/** One encoded cluster row. Short keys: the row is repeated thousands of times. */
export interface FleetSummaryClusterRow {
  /** cluster name */
  n: string;
  /** indexes into `kernels`; absent: the cluster has no kernel-versions claim */
  k?: number[];
  /** indexes into `labels` */
  l?: number[];
  /** ManagedClusterConditionAvailable when not True: F(alse) or U(nknown) */
  a?: 'F' | 'U';
  /** the MCM's ManifestWork on the cluster, when there is one */
  w?: FleetSummaryWork;
  /** the plan's skips */
  s?: FleetSummarySkip[];
  /** present (1) when the cluster is selected but not eligible: no ManifestWork and no image to wait for */
  ne?: 1;
}

export interface FleetSummarySkip {
  /** the plan's skip code */
  c: SkipCode;
  /** the reason: index into `messages` */
  r: number;
  /** the kernel (index into `kernels`); absent: the whole cluster */
  k?: number;
}

export interface FleetSummaryWork {
  /** Applied condition status (T/F/U); absent until the work agent reports */
  ap?: 'T' | 'F' | 'U';
  /** Available condition status (T/F/U); absent until reported */
  av?: 'T' | 'F' | 'U';
  /** present (1) when Applied=True is reported for the work's current generation */
  cur?: 1;
  /** kernels (indexes into `kernels`) the written Module carries a literal mapping for */
  sent?: number[];
  /** feedback counters per section: [availableNumber, desiredNumber, nodesMatchingSelectorNumber] */
  fb?: Partial<Record<FeedbackSection, [number, number, number]>>;
  /** why it is degraded: indexes into `messages`; absent when it is not */
  dr?: number[];
  /** the newest lastTransitionTime of its conditions */
  t?: string;
}

export interface FleetSummaryData {
  /** the MCM generation the summary was computed for */
  mcmGeneration?: number;
  /** the MCM failed validation: the rows are the clusters its selector picks, nothing is planned */
  invalid?: boolean;
  kernels: string[];
  /** `key=value` */
  labels: string[];
  messages: string[];
  /** sorted by name */
  clusters: FleetSummaryClusterRow[];
}

export interface ManagedClusterModuleFleetSummary extends KubeObject {
  apiVersion: typeof FLEET_SUMMARY_API_VERSION;
  kind: typeof FLEET_SUMMARY_KIND;
  metadata: ObjectMeta;
  fleet: FleetSummaryData;
}

/** A decoded row: what the plugin joins with the MCM (kernel mappings, image states) for display. */
export interface FleetClusterFacts {
  cluster: string;
  labels: Record<string, string>;
  /** undefined: no kernel-versions claim */
  kernels: string[] | undefined;
  available: ConditionStatus;
  /** it gets a ManifestWork or waits for an image of one of its kernels (the plan's eligibleClusters) */
  eligible: boolean;
  work?: WorkState & { sent: ReadonlySet<string>; updated?: string };
  skips: { code: SkipCode; reason: string; kernelVersion?: string }[];
}

/** The inputs of one MCM's summary, as the reconciler holds them after planning. */
export interface FleetSummaryInputs {
  mcm: ManagedClusterModule;
  /** the plan, or undefined when the MCM is invalid (then `selected` lists the clusters its selector picks) */
  plan: Pick<McmCoverage, 'selectedClusters' | 'eligibleClusters' | 'skipped'> | undefined;
  selected?: readonly string[];
  clusterByName: (name: string) => ManagedCluster | undefined;
  /** the MCM's ManifestWork on a cluster */
  workOf: (cluster: string) => ManifestWork | undefined;
  /** workState, or a cache of it */
  stateOf?: (work: ManifestWork) => WorkState;
}

/** Spoke messages can be long; the tab shows a sentence, the full text stays on the ManifestWork. */
const MAX_MESSAGE = 400;

const STATUS_CODE = { True: 'T', False: 'F', Unknown: 'U' } as const;
const CODE_STATUS = { T: 'True', F: 'False', U: 'Unknown' } as const;

class Table {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();
  of(value: string): number {
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(value);
      this.index.set(value, i);
    }
    return i;
  }
}

const newestTransition = (work: ManifestWork): string | undefined => {
  let newest: string | undefined;
  const conditions = work.status?.conditions;
  if (!Array.isArray(conditions)) return undefined;
  for (const c of conditions) {
    const t = c?.lastTransitionTime;
    if (t && (newest === undefined || t > newest)) newest = t;
  }
  return newest;
};

/**
 * The summary of one MCM over the clusters it selects. Linear in the selected clusters; every table lookup is
 * a map hit, and a work's state comes from `stateOf` (the controller caches it per object).
 */
export function fleetSummaryOf(input: FleetSummaryInputs): FleetSummaryData {
  const stateOf = input.stateOf ?? workState;
  const kernels = new Table();
  const labels = new Table();
  const messages = new Table();
  const names = [...(input.plan?.selectedClusters ?? input.selected ?? [])].sort(compareStrings);
  const skipsByCluster = new Map<string, FleetSummarySkip[]>();
  for (const s of input.plan?.skipped ?? []) {
    const list = skipsByCluster.get(s.cluster) ?? [];
    const skip: FleetSummarySkip = { c: s.code, r: messages.of(s.reason.slice(0, MAX_MESSAGE)) };
    if (s.kernelVersion !== undefined) skip.k = kernels.of(s.kernelVersion);
    list.push(skip);
    skipsByCluster.set(s.cluster, list);
  }
  const eligible = new Set(input.plan?.eligibleClusters ?? []);
  const clusters: FleetSummaryClusterRow[] = [];
  for (const name of names) {
    const cluster = input.clusterByName(name);
    const row: FleetSummaryClusterRow = { n: name };
    if (cluster) {
      const claim = kernelVersionsOf(cluster);
      if (claim) row.k = claim.map((k) => kernels.of(k));
      const own = cluster.metadata?.labels ?? {};
      const keys = Object.keys(own).sort(compareStrings);
      if (keys.length > 0) row.l = keys.map((key) => labels.of(`${key}=${own[key]}`));
      const available = clusterAvailability(cluster);
      if (available !== 'True') row.a = available === 'False' ? 'F' : 'U';
    }
    const work = input.workOf(name);
    if (work) row.w = encodeWork(work, stateOf(work), kernels, messages);
    const skips = skipsByCluster.get(name);
    if (skips) row.s = skips;
    if (!eligible.has(name)) row.ne = 1;
    clusters.push(row);
  }
  const data: FleetSummaryData = {
    kernels: kernels.values,
    labels: labels.values,
    messages: messages.values,
    clusters,
  };
  if (input.mcm.metadata.generation !== undefined)
    data.mcmGeneration = input.mcm.metadata.generation;
  if (!input.plan) data.invalid = true;
  return data;
}

function encodeWork(
  work: ManifestWork,
  state: WorkState,
  kernels: Table,
  messages: Table,
): FleetSummaryWork {
  const out: FleetSummaryWork = {};
  if (state.applied) out.ap = STATUS_CODE[state.applied];
  if (state.available) out.av = STATUS_CODE[state.available];
  if (state.appliedCurrent) out.cur = 1;
  const sent = [...workMappingsOf(work).keys()];
  if (sent.length > 0) out.sent = sent.map((k) => kernels.of(k));
  for (const section of FEEDBACK_SECTIONS) {
    const c = state.feedback[section];
    if (c)
      (out.fb ??= {})[section] = [
        c.availableNumber,
        c.desiredNumber,
        c.nodesMatchingSelectorNumber,
      ];
  }
  if (state.degradedReasons.length > 0)
    out.dr = state.degradedReasons.map((r) => messages.of(r.slice(0, MAX_MESSAGE)));
  const t = newestTransition(work);
  if (t) out.t = t;
  return out;
}

/** The summary object for an MCM: same name, owned by it so that deleting the MCM collects it. */
export function fleetSummaryObject(
  mcm: ManagedClusterModule,
  fleet: FleetSummaryData,
  resourceVersion?: string,
): ManagedClusterModuleFleetSummary {
  const name = mcm.metadata.name ?? '';
  const metadata: ObjectMeta = {
    name,
    ownerReferences: [
      {
        apiVersion: MCM_API_VERSION,
        kind: MCM_KIND,
        name,
        uid: mcm.metadata.uid ?? '',
        controller: true,
        blockOwnerDeletion: false,
      },
    ],
  };
  if (resourceVersion) metadata.resourceVersion = resourceVersion;
  return { apiVersion: FLEET_SUMMARY_API_VERSION, kind: FLEET_SUMMARY_KIND, metadata, fleet };
}

/** Whether two summaries say the same (ignoring key order, as the API server may reorder). */
export function sameFleetSummary(
  a: FleetSummaryData | undefined,
  b: FleetSummaryData | undefined,
): boolean {
  if (!a || !b) return a === b;
  return canonical(a) === canonical(b);
}

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([x], [y]) => compareStrings(x, y)),
        )
      : v,
  );

const NO_COUNTERS: ModuleCounters = {
  availableNumber: 0,
  desiredNumber: 0,
  nodesMatchingSelectorNumber: 0,
};

/**
 * The rows of a summary with every index resolved. An index outside its table (a summary written by another
 * version, or edited by hand) reads as an empty string rather than failing the whole page.
 */
export function decodeFleetSummary(data: FleetSummaryData): FleetClusterFacts[] {
  const at = (table: readonly string[] | undefined, i: number) => table?.[i] ?? '';
  const labelPairs = (data.labels ?? []).map((pair): [string, string] => {
    const eq = pair.indexOf('=');
    return eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
  });
  return (data.clusters ?? []).map((row): FleetClusterFacts => {
    const labels: Record<string, string> = {};
    for (const i of row.l ?? []) {
      const pair = labelPairs[i];
      if (pair) labels[pair[0]] = pair[1];
    }
    const facts: FleetClusterFacts = {
      cluster: row.n,
      labels,
      kernels: row.k?.map((i) => at(data.kernels, i)),
      available: row.a === 'F' ? 'False' : row.a === 'U' ? 'Unknown' : 'True',
      eligible: row.ne !== 1,
      skips: (row.s ?? []).map((s) =>
        s.k === undefined
          ? { code: s.c, reason: at(data.messages, s.r) }
          : { code: s.c, reason: at(data.messages, s.r), kernelVersion: at(data.kernels, s.k) },
      ),
    };
    if (row.w) facts.work = decodeWork(row.w, data);
    return facts;
  });
}

function decodeWork(
  w: FleetSummaryWork,
  data: FleetSummaryData,
): NonNullable<FleetClusterFacts['work']> {
  const feedback: WorkState['feedback'] = {};
  for (const section of FEEDBACK_SECTIONS) {
    const c = w.fb?.[section];
    if (c) {
      feedback[section] = {
        ...NO_COUNTERS,
        availableNumber: c[0],
        desiredNumber: c[1],
        nodesMatchingSelectorNumber: c[2],
      };
    }
  }
  const degradedReasons = (w.dr ?? []).map((i) => data.messages?.[i] ?? '');
  const out: NonNullable<FleetClusterFacts['work']> = {
    appliedCurrent: w.cur === 1,
    feedback,
    degraded: degradedReasons.length > 0,
    degradedReasons,
    sent: new Set((w.sent ?? []).map((i) => data.kernels?.[i] ?? '')),
  };
  if (w.ap) out.applied = CODE_STATUS[w.ap];
  if (w.av) out.available = CODE_STATUS[w.av];
  if (w.t) out.updated = w.t;
  return out;
}
