import { useMemo, useState } from 'react';
import { usePagination } from '../../../../components/usePagination';
import { type FleetRow, filterFleetRows, fleetKernels, summarizeFleet } from './fleet-rows';

/** The fleet status tab's filters (problem clusters, kernel), the rows they select and their page. */
export const useFleetStatusFilters = (rows: readonly FleetRow[]) => {
  const [problemsOnly, setProblemsOnly] = useState(false);
  const [kernel, setKernel] = useState<string | undefined>(undefined);

  const summary = useMemo(() => summarizeFleet(rows), [rows]);
  const kernels = useMemo(() => fleetKernels(rows), [rows]);
  const filtered = useMemo(
    () => filterFleetRows(rows, { problemsOnly, kernel }),
    [rows, problemsOnly, kernel],
  );
  const pagination = usePagination(filtered.length);
  const resetPage = pagination.reset;

  // Another choice selects other rows: the page the user was on means nothing for them.
  return {
    summary,
    kernels,
    filtered,
    pagination,
    problemsOnly,
    kernel,
    setProblemsOnly: (value: boolean) => {
      setProblemsOnly(value);
      resetPage();
    },
    setKernel: (value: string | undefined) => {
      setKernel(value);
      resetPage();
    },
    clearAll: () => {
      setProblemsOnly(false);
      setKernel(undefined);
      resetPage();
    },
  };
};
