import { useListPageFilter } from '@openshift-console/dynamic-plugin-sdk';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { ManagedClusterModule } from '../../../utils/model';

// The query arguments in which console's ListPageFilter keeps its name and label filters.
const NAME_ARGUMENT = 'name';
const LABELS_ARGUMENT = 'labels';

/**
 * The console's name and label filters over the MCMs, plus a way to clear them from outside the filter bar.
 * ListPageFilter keeps what was typed in its own state, seeded from the URL when it mounts, and has no prop to
 * clear it. So clearAll drops its query arguments and, once the location says they are gone (a router may
 * apply a navigation in a transition, after the click's render), gives it a new key: it mounts again, empty.
 * useListPageFilter is told what the filter bar's own "Clear all filters" would tell it.
 */
export const useMcmListFilter = (mcms: ManagedClusterModule[]) => {
  const [data, filtered, onFilterChange] = useListPageFilter(mcms);
  const [searchParams, setSearchParams] = useSearchParams();
  const [clearing, setClearing] = useState(false);
  const [filterKey, setFilterKey] = useState(0);
  const argumentsGone = !searchParams.has(NAME_ARGUMENT) && !searchParams.has(LABELS_ARGUMENT);

  useEffect(() => {
    if (!clearing || !argumentsGone) return;
    setClearing(false);
    setFilterKey((key) => key + 1);
    onFilterChange(NAME_ARGUMENT, { selected: [''] });
    onFilterChange(LABELS_ARGUMENT, { all: [] });
  }, [clearing, argumentsGone, onFilterChange]);

  const clearAll = () => {
    setSearchParams(
      (params) => {
        params.delete(NAME_ARGUMENT);
        params.delete(LABELS_ARGUMENT);
        return params;
      },
      { replace: true },
    );
    setClearing(true);
  };
  return { data, filtered, onFilterChange, filterKey, clearAll };
};
