// Upcoming kernels in the matrix: columns for the kernels KernelPreflights declare and no cluster in view runs
// yet, with where each chosen MCM stands for them, read from the MCMs' status.preflight (the controller checks,
// builds and signs those images ahead of time). Pure, and separate from how the matrix rows are loaded: the
// page joins the two.
import {
  compareStrings,
  type ManagedClusterModule,
  PREFLIGHT_BLOCKED,
  type PreflightState,
} from '../../utils/model';
import type { KernelMatrix, MatrixRow } from './kernel-matrix';

/** What a person should see for an upcoming kernel: worst first. */
export type UpcomingState = 'failed' | 'noMapping' | 'preparing' | 'ready';

export const UPCOMING_STATE_URGENCY: readonly UpcomingState[] = [
  'failed',
  'noMapping',
  'preparing',
  'ready',
];

export const upcomingStateOf = (state: PreflightState): UpcomingState => {
  if (state === 'Ready') return 'ready';
  if (state === 'NoMapping' || state === 'MappingError') return 'noMapping';
  return PREFLIGHT_BLOCKED.has(state) ? 'failed' : 'preparing';
};

const worst = (states: Iterable<UpcomingState>): UpcomingState | undefined => {
  let out: UpcomingState | undefined;
  for (const s of states)
    if (
      out === undefined ||
      UPCOMING_STATE_URGENCY.indexOf(s) < UPCOMING_STATE_URGENCY.indexOf(out)
    )
      out = s;
  return out;
};

export type UpcomingDetail = {
  mcm: string;
  state: UpcomingState;
  /** the controller's state, as status.preflight has it */
  preflightState: PreflightState;
  image?: string;
  message?: string;
};

export type UpcomingColumn = {
  kernel: string;
  release?: string;
  /** the worst of the chosen MCMs' states */
  state: UpcomingState;
  /** chosen MCMs whose image for the kernel is ready */
  ready: number;
  /** one per chosen MCM that reports on the kernel, by MCM name */
  details: UpcomingDetail[];
};

/**
 * A column per kernel the chosen MCMs (one by name, or all) report on in status.preflight, sorted, leaving out
 * the kernels in `running` (clusters already run them: their regular column shows what is rolled out).
 */
export const upcomingColumns = (
  mcms: readonly ManagedClusterModule[],
  mcm: string | undefined,
  running: readonly string[],
): UpcomingColumn[] => {
  const skip = new Set(running);
  const byKernel = new Map<string, UpcomingColumn>();
  const chosen = mcms
    .filter((m) => !mcm || m.metadata.name === mcm)
    .sort((a, b) => compareStrings(a.metadata.name ?? '', b.metadata.name ?? ''));
  for (const m of chosen)
    for (const entry of m.status?.preflight ?? []) {
      if (skip.has(entry.kernelVersion)) continue;
      let column = byKernel.get(entry.kernelVersion);
      if (!column) {
        column = { kernel: entry.kernelVersion, state: 'ready', ready: 0, details: [] };
        byKernel.set(entry.kernelVersion, column);
      }
      if (!column.release && entry.release) column.release = entry.release;
      const detail: UpcomingDetail = {
        mcm: m.metadata.name ?? '',
        state: upcomingStateOf(entry.state),
        preflightState: entry.state,
      };
      if (entry.image) detail.image = entry.image;
      if (entry.message) detail.message = entry.message;
      column.details.push(detail);
      if (detail.state === 'ready') column.ready++;
    }
  const columns = [...byKernel.values()].sort((a, b) => compareStrings(a.kernel, b.kernel));
  for (const c of columns) c.state = worst(c.details.map((d) => d.state)) ?? 'ready';
  return columns;
};

/**
 * Every kernel some cluster of the fleet runs, whatever the page's filters: a kernel one cluster runs is no
 * longer upcoming, even when that cluster is filtered out of view.
 */
export const kernelsRun = (matrix: KernelMatrix | undefined): string[] => {
  const out = new Set<string>();
  for (const c of matrix?.clusters ?? []) for (const k of c.kernels ?? []) out.add(k);
  return [...out];
};

/**
 * One row's cell in an upcoming column: what the MCMs that select the cluster say about the kernel, i.e. what
 * the cluster would get if it upgraded now. Undefined for a row without cells (no claim, or not selected).
 */
export const upcomingCellOf = (
  row: MatrixRow,
  column: UpcomingColumn,
): { state: UpcomingState; details: UpcomingDetail[] } | undefined => {
  const first = row.cells.values().next().value;
  if (!first) return undefined;
  const selecting = new Set(first.details.map((d) => d.mcm));
  const details = column.details.filter((d) => selecting.has(d.mcm));
  const state = worst(details.map((d) => d.state));
  return state ? { state, details } : undefined;
};
