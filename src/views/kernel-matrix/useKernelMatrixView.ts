import { useDeferredValue, useMemo, useState } from 'react';
import { usePagination } from '../../components/usePagination';
import type { CellState } from '../../utils/fleet-status';
import { type KernelMatrix, type MatrixView, viewKernelMatrix } from './kernel-matrix';

/** The page's choices and their setters, for the filters toolbar. */
export type KernelMatrixFilters = {
  /** one MCM by name, or every MCM */
  mcm: string | undefined;
  /** the label filter as typed */
  label: string;
  state: CellState | undefined;
  setMcm: (mcm: string | undefined) => void;
  setLabel: (label: string) => void;
  setState: (state: CellState | undefined) => void;
  /** back to every MCM, any label and any state */
  clearAll: () => void;
};

/** The page's choices (MCM, cluster label, state), the view they select, and its page of rows. */
export const useKernelMatrixView = (matrix: KernelMatrix | undefined) => {
  const [mcm, setMcm] = useState<string | undefined>(undefined);
  const [label, setLabel] = useState('');
  const [state, setState] = useState<CellState | undefined>(undefined);
  // Typing in the label filter stays responsive while the view of thousands of rows is recomputed.
  const deferredLabel = useDeferredValue(label);

  const view: MatrixView | undefined = useMemo(
    () => (matrix ? viewKernelMatrix(matrix, { mcm, label: deferredLabel, state }) : undefined),
    [matrix, mcm, deferredLabel, state],
  );
  // Only the visible page is rendered: at most 100 rows x the kernels in view.
  const pagination = usePagination(view?.rows.length ?? 0);
  const resetPage = pagination.reset;

  // Another choice selects other rows: the page the user was on means nothing for them.
  const filters: KernelMatrixFilters = {
    mcm,
    label,
    state,
    setMcm: (value) => {
      setMcm(value);
      resetPage();
    },
    setLabel: (value) => {
      setLabel(value);
      resetPage();
    },
    setState: (value) => {
      setState(value);
      resetPage();
    },
    clearAll: () => {
      setMcm(undefined);
      setLabel('');
      setState(undefined);
      resetPage();
    },
  };
  return { view, filters, pagination };
};
