import type { PaginationProps } from '@patternfly/react-core';
import { useState } from 'react';

/**
 * One page of `count` rows for a PatternFly Pagination. The page is clamped to the last one, so a watch update
 * that shrinks the rows never leaves an empty page behind; `reset` goes back to the first page (on a filter
 * change).
 */
export const usePagination = (count: number, initialPerPage = 50) => {
  const [page, setPage] = useState(1);
  const [perPage, setPerPage] = useState(initialPerPage);
  const current = Math.min(page, Math.max(1, Math.ceil(count / perPage)));
  const props: Pick<
    PaginationProps,
    'itemCount' | 'page' | 'perPage' | 'onSetPage' | 'onPerPageSelect'
  > = {
    itemCount: count,
    page: current,
    perPage,
    onSetPage: (_e, p) => setPage(p),
    onPerPageSelect: (_e, pp) => {
      setPerPage(pp);
      setPage(1);
    },
  };
  return {
    props,
    pageOf: <T>(rows: readonly T[]): T[] => rows.slice((current - 1) * perPage, current * perPage),
    reset: () => setPage(1),
  };
};
