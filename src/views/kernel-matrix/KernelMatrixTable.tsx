import { InnerScrollContainer, Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { CellStateIcon, cellStateText } from '../../components/CellStateIcon';
import { ManagedClusterLink } from '../../components/ManagedClusterLink';
import { usePluginTranslation } from '../../utils/i18n';
import { useAcmClusterPages } from '../../utils/useAcmClusterPages';
import type { KernelSummary, MatrixRow } from './kernel-matrix';
import { MatrixCellView } from './MatrixCellView';
import { type UpcomingColumn, upcomingCellOf } from './upcoming-kernels';
import { UpcomingCell, UpcomingHeader, UpcomingSummary } from './UpcomingKernelCells';

/** The kernel row, then each kernel's clusters / covered / loaded counts. */
const KernelMatrixHead = ({
  kernels,
  summary,
  upcoming,
}: {
  kernels: readonly string[];
  summary: readonly KernelSummary[];
  upcoming: readonly UpcomingColumn[];
}) => {
  const { t } = usePluginTranslation();
  return (
    <Thead>
      <Tr>
        <Th isStickyColumn hasRightBorder modifier="nowrap">
          {t('Cluster')}
        </Th>
        {kernels.map((k) => (
          <Th key={k} modifier="nowrap">
            {k}
          </Th>
        ))}
        {upcoming.map((c) => (
          <Th key={c.kernel} modifier="nowrap">
            <UpcomingHeader column={c} />
          </Th>
        ))}
      </Tr>
      <Tr>
        <Th isStickyColumn hasRightBorder modifier="wrap">
          {t('Clusters / covered / loaded')}
        </Th>
        {summary.map((s) => (
          <Th
            key={s.kernel}
            aria-label={t(
              '{{kernel}}: clusters {{clusters}}, covered {{covered}}, loaded {{loaded}}',
              { kernel: s.kernel, clusters: s.clusters, covered: s.covered, loaded: s.loaded },
            )}
          >
            {s.clusters} / {s.covered} / {s.loaded}
          </Th>
        ))}
        {upcoming.map((c) => (
          <Th key={c.kernel} modifier="nowrap">
            <UpcomingSummary column={c} />
          </Th>
        ))}
      </Tr>
    </Thead>
  );
};

/** One cluster: a cell per kernel in view, or one cell saying why the cluster has none. */
const KernelMatrixRow = ({
  row,
  kernels,
  upcoming,
  acm,
}: {
  row: MatrixRow;
  kernels: readonly string[];
  upcoming: readonly UpcomingColumn[];
  /** link the cluster to ACM's page of it */
  acm: boolean;
}) => {
  const { t } = usePluginTranslation();
  return (
    <Tr>
      <Th isStickyColumn hasRightBorder scope="row" modifier="nowrap">
        <ManagedClusterLink name={row.cluster} acm={acm} />
      </Th>
      {row.noClaim ? (
        <Td colSpan={kernels.length + upcoming.length}>
          <CellStateIcon state="noClaim" /> {cellStateText(t, 'noClaim')}
        </Td>
      ) : (
        <>
          {kernels.map((k) => {
            const cell = row.cells.get(k);
            return (
              <Td key={k}>
                {cell ? <MatrixCellView cluster={row.cluster} kernel={k} cell={cell} /> : null}
              </Td>
            );
          })}
          {upcoming.map((c) => {
            const cell = upcomingCellOf(row, c);
            return (
              <Td key={c.kernel}>
                {cell ? (
                  <UpcomingCell cluster={row.cluster} kernel={c.kernel} state={cell.state} />
                ) : null}
              </Td>
            );
          })}
        </>
      )}
    </Tr>
  );
};

/**
 * Clusters x the kernels in view, then the upcoming kernels (no cluster runs them yet); `rows` is the page of
 * the view's rows to render.
 */
export const KernelMatrixTable = ({
  kernels,
  summary,
  rows,
  upcoming = [],
}: {
  kernels: readonly string[];
  summary: readonly KernelSummary[];
  rows: readonly MatrixRow[];
  upcoming?: readonly UpcomingColumn[];
}) => {
  const { t } = usePluginTranslation();
  const acm = useAcmClusterPages();
  return (
    <InnerScrollContainer>
      <Table aria-label={t('Kernel matrix')} variant="compact" isStickyHeader gridBreakPoint="">
        <KernelMatrixHead kernels={kernels} summary={summary} upcoming={upcoming} />
        <Tbody>
          {rows.map((row) => (
            <KernelMatrixRow
              key={row.cluster}
              row={row}
              kernels={kernels}
              upcoming={upcoming}
              acm={acm}
            />
          ))}
        </Tbody>
      </Table>
    </InnerScrollContainer>
  );
};
