// Sorting of the MCM list: one key function per sortable column, ties broken by name.
import { findCondition } from '../../../utils/conditions';
import { type ManagedClusterModule, READY } from '../../../utils/model';

export type SortColumn =
  'name' | 'spokeNamespace' | 'selected' | 'applied' | 'degraded' | 'ready' | 'age';

const READY_ORDER: Record<string, number> = { False: 0, Unknown: 1, absent: 2, True: 3 };

const key = (mcm: ManagedClusterModule, column: SortColumn): string | number => {
  switch (column) {
    case 'name':
      return mcm.metadata.name ?? '';
    case 'spokeNamespace':
      return mcm.spec?.spokeNamespace ?? '';
    case 'selected':
      return mcm.status?.numberDesired ?? 0;
    case 'applied':
      return mcm.status?.numberApplied ?? 0;
    case 'degraded':
      return mcm.status?.numberDegraded ?? 0;
    case 'ready':
      return READY_ORDER[findCondition(mcm.status?.conditions, READY)?.status ?? 'absent'] ?? 2;
    case 'age':
      // Oldest first when ascending, as `kubectl get --sort-by=.metadata.creationTimestamp`.
      return mcm.metadata.creationTimestamp ?? '';
  }
};

const compare = (a: string | number, b: string | number): number =>
  typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));

export const sortMCMs = (
  mcms: ManagedClusterModule[],
  column: SortColumn,
  direction: 'asc' | 'desc',
): ManagedClusterModule[] => {
  const sign = direction === 'asc' ? 1 : -1;
  return [...mcms].sort(
    (a, b) =>
      sign * compare(key(a, column), key(b, column)) ||
      compare(a.metadata.name ?? '', b.metadata.name ?? ''),
  );
};
