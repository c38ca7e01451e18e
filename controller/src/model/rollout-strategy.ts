import type { Problems } from './validation-fields';
import type { ManagedClusterModule, MandatoryDecisionGroup } from './types';

// spec.rolloutStrategy: its validation (field paths as the CRD names them) and its normalised form for the gate.

const DURATION_UNITS_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const DURATION = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/;
const DURATION_PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;
const PERCENT = /^(\d{1,3})%$/;

/** A Go duration string (`1s`, `1m30s`, `500ms`; `0` too, as Go accepts) in milliseconds, or undefined. */
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  if (!DURATION.test(text)) return undefined;
  let ms = 0;
  for (const [, n, unit] of text.matchAll(DURATION_PART))
    ms += Number(n) * DURATION_UNITS_MS[unit!]!;
  return ms;
}

/** A whole number, or a percentage of `total` rounded down (OCM's rounding), or undefined when malformed. */
export function intOrPercent(value: number | string, total: number): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  const m = PERCENT.exec(value);
  if (!m || Number(m[1]) > 100) return undefined;
  return Math.floor((Number(m[1]) * total) / 100);
}

/** The strategy as the gate applies it to a fleet of `total` clusters. */
export interface ResolvedStrategy {
  type: 'Progressive' | 'ProgressivePerGroup';
  /** Infinity when unbounded (ProgressivePerGroup, or Progressive without maxConcurrency) */
  maxConcurrency: number;
  minSuccessMs: number;
  /** undefined: None (a moved cluster may take as long as it needs) */
  progressDeadlineMs: number | undefined;
  /** as written, for messages */
  progressDeadline: string;
  maxFailures: number;
  mandatoryGroups: MandatoryDecisionGroup[];
  groupByLabel: string | undefined;
}

/**
 * The progressive strategy of a validated MCM over `total` clusters, or undefined when its ManifestWorks go
 * out all at once (no strategy, or type All): then kmm-hub behaves exactly as without the field.
 */
export function resolveStrategy(
  mcm: ManagedClusterModule,
  total: number,
): ResolvedStrategy | undefined {
  const s = mcm.spec.rolloutStrategy;
  if (!s || (s.type ?? 'All') === 'All') return undefined;
  const type = s.type as ResolvedStrategy['type'];
  const concurrency =
    type === 'Progressive' && s.maxConcurrency !== undefined
      ? Math.max(1, intOrPercent(s.maxConcurrency, total) ?? 1)
      : Infinity;
  const deadline = s.progressDeadline;
  return {
    type,
    maxConcurrency: concurrency,
    minSuccessMs: s.minSuccessTime ? (parseDuration(s.minSuccessTime) ?? 0) : 0,
    progressDeadlineMs:
      deadline === undefined || deadline === 'None' ? undefined : parseDuration(deadline),
    progressDeadline: deadline ?? 'None',
    maxFailures: s.maxFailures === undefined ? 0 : (intOrPercent(s.maxFailures, total) ?? 0),
    mandatoryGroups: s.mandatoryDecisionGroups ?? [],
    groupByLabel: s.groupByLabel,
  };
}

const TYPES = ['All', 'Progressive', 'ProgressivePerGroup'];

/** Every problem of spec.rolloutStrategy, each with its field path and the fix. */
export function validateRolloutStrategy(value: unknown, path: string, p: Problems): void {
  const s = p.object(value, path, false);
  if (!s) return;
  const known = new Set([
    'type',
    'maxConcurrency',
    'minSuccessTime',
    'progressDeadline',
    'maxFailures',
    'mandatoryDecisionGroups',
    'groupByLabel',
  ]);
  for (const key of Object.keys(s))
    if (!known.has(key))
      p.add(`${path}.${key}`, `is not a rollout strategy field (known: ${[...known].join(', ')})`);
  const type = s.type ?? 'All';
  if (typeof type !== 'string' || !TYPES.includes(type)) {
    p.add(`${path}.type`, `must be one of ${TYPES.join(', ')}, not ${JSON.stringify(type)}`);
    return;
  }
  intOrPercentField(s.maxConcurrency, `${path}.maxConcurrency`, p, 1);
  intOrPercentField(s.maxFailures, `${path}.maxFailures`, p, 0);
  durationField(s.minSuccessTime, `${path}.minSuccessTime`, p, false);
  durationField(s.progressDeadline, `${path}.progressDeadline`, p, true);
  if (s.maxConcurrency != null && type !== 'Progressive')
    p.add(
      `${path}.maxConcurrency`,
      `applies to type Progressive only (type is ${type}): remove it or set type: Progressive`,
    );
  if (s.groupByLabel != null) {
    const label = p.string(s.groupByLabel, `${path}.groupByLabel`, false);
    if (label !== undefined && type !== 'ProgressivePerGroup')
      p.add(
        `${path}.groupByLabel`,
        `applies to type ProgressivePerGroup only (type is ${type}): remove it or set type: ProgressivePerGroup`,
      );
    else if (label === '') p.add(`${path}.groupByLabel`, 'must name a ManagedCluster label key');
  }
  const groups = p.array(s.mandatoryDecisionGroups, `${path}.mandatoryDecisionGroups`);
  if (groups && groups.length > 0 && type === 'All')
    p.add(
      `${path}.mandatoryDecisionGroups`,
      'apply to the progressive types only (type All moves every cluster at once): set type: Progressive',
    );
  const names = new Set<string>();
  groups?.forEach((g, i) => {
    const at = `${path}.mandatoryDecisionGroups[${i}]`;
    const group = p.object(g, at, false);
    if (!group) return;
    const name = p.string(group.groupName, `${at}.groupName`, 'name the group (e.g. canary)');
    if (name !== undefined) {
      if (names.has(name))
        p.add(
          `${at}.groupName`,
          `"${name}" names an earlier group too: group names must be unique`,
        );
      names.add(name);
    }
    const selector = p.stringMap(
      group.clusterSelector,
      `${at}.clusterSelector`,
      'give the ManagedCluster labels that put a cluster in this group (e.g. {rollout: canary})',
    );
    if (selector && Object.keys(selector).length === 0)
      p.add(
        `${at}.clusterSelector`,
        'must name at least one label: an empty selector would put every cluster in this group',
      );
  });
}

function intOrPercentField(value: unknown, path: string, p: Problems, min: number): void {
  if (value == null) return;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < min)
      p.add(path, `must be a whole number of at least ${min}, or a percentage such as "25%"`);
    return;
  }
  if (typeof value !== 'string') {
    p.add(path, 'must be a whole number or a percentage such as "25%"');
    return;
  }
  const m = PERCENT.exec(value);
  if (!m || Number(m[1]) > 100 || Number(m[1]) < min)
    p.add(
      path,
      `"${value}" is not a percentage from ${min}% to 100% (write e.g. "25%", or a whole number without quotes)`,
    );
}

function durationField(value: unknown, path: string, p: Problems, none: boolean): void {
  if (value == null) return;
  if (typeof value !== 'string') {
    p.add(path, 'must be a duration string such as "30s", "5m" or "1h30m" (quote it in YAML)');
    return;
  }
  if (none && value === 'None') return;
  if (parseDuration(value) === undefined)
    p.add(
      path,
      `"${value}" is not a Go duration: write e.g. "30s", "5m" or "1h30m"${none ? ', or None for no deadline' : ''}`,
    );
}

/** Whether a cluster with `labels` is in `group`. */
export function inGroup(group: MandatoryDecisionGroup, labels: Record<string, string>): boolean {
  return Object.entries(group.clusterSelector).every(([k, v]) => labels[k] === v);
}
