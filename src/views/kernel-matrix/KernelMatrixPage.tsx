import { ListPageHeader, ResourceLink } from '@openshift-console/dynamic-plugin-sdk';
import {
  FormSelect,
  FormSelectOption,
  PageSection,
  SearchInput,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from '@patternfly/react-core';
import { InnerScrollContainer, Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useDeferredValue, useMemo, useState } from 'react';
import { usePluginTranslation } from '../../utils/i18n';
import { CellStateIcon, cellStateText } from '../../components/CellStateIcon';
import { TranslatedPagination } from '../../components/TranslatedPagination';
import { LoadError } from '../../components/LoadError';
import { CELL_STATE_URGENCY, type CellState } from '../../utils/fleet-status';
import { MANAGED_CLUSTER_GVK } from '../../utils/k8s';
import { viewKernelMatrix } from './kernel-matrix';
import { MatrixCellView, NotSelectedCell } from './MatrixCellView';
import { MatrixLegend } from './MatrixLegend';
import { useKernelMatrix } from './useKernelMatrix';
import { Loading } from '../../components/Loading';
import { usePagination } from '../../components/usePagination';

const KernelMatrixPage = () => {
  const { t } = usePluginTranslation();
  const { matrix, loaded, loadError } = useKernelMatrix();
  const [mcm, setMcm] = useState<string | undefined>(undefined);
  const [label, setLabel] = useState('');
  const [state, setState] = useState<CellState | undefined>(undefined);
  // Typing in the label filter stays responsive while the view of thousands of rows is recomputed.
  const deferredLabel = useDeferredValue(label);

  const view = useMemo(
    () => (matrix ? viewKernelMatrix(matrix, { mcm, label: deferredLabel, state }) : undefined),
    [matrix, mcm, deferredLabel, state],
  );
  // Only the visible page is rendered: at most 100 rows x the kernels in view.
  const pagination = usePagination(view?.rows.length ?? 0);
  const resetPage = pagination.reset;

  const body = () => {
    if (loadError) return <LoadError what={t('the kernel matrix')} error={loadError} />;
    if (!loaded || !matrix || !view) {
      return <Loading label={t('Loading the kernel matrix')} />;
    }
    if (matrix.mcms.length === 0) {
      return <p>{t('No ManagedClusterModule exists yet, so no kernel module is rolled out.')}</p>;
    }
    if (view.rows.length === 0) return <p>{t('No cluster matches the filters.')}</p>;
    return (
      <InnerScrollContainer>
        <Table aria-label={t('Kernel matrix')} variant="compact" isStickyHeader gridBreakPoint="">
          <Thead>
            <Tr>
              <Th isStickyColumn hasRightBorder modifier="nowrap">
                {t('Cluster')}
              </Th>
              {view.kernels.map((k) => (
                <Th key={k} modifier="nowrap">
                  {k}
                </Th>
              ))}
            </Tr>
            <Tr>
              <Th isStickyColumn hasRightBorder modifier="wrap">
                {t('Clusters / covered / loaded')}
              </Th>
              {view.summary.map((s) => (
                <Th
                  key={s.kernel}
                  aria-label={t(
                    '{{kernel}}: clusters {{clusters}}, covered {{covered}}, loaded {{loaded}}',
                    {
                      kernel: s.kernel,
                      clusters: s.clusters,
                      covered: s.covered,
                      loaded: s.loaded,
                    },
                  )}
                >
                  {s.clusters} / {s.covered} / {s.loaded}
                </Th>
              ))}
            </Tr>
          </Thead>
          <Tbody>
            {pagination.pageOf(view.rows).map((row) => (
              <Tr key={row.cluster}>
                <Th isStickyColumn hasRightBorder scope="row" modifier="nowrap">
                  <ResourceLink groupVersionKind={MANAGED_CLUSTER_GVK} name={row.cluster} />
                </Th>
                {row.noClaim ? (
                  <Td colSpan={view.kernels.length}>
                    {row.selectedBy > 0 ? (
                      <>
                        <CellStateIcon state="noClaim" /> {cellStateText(t, 'noClaim')}
                      </>
                    ) : (
                      t('Not selected by any ManagedClusterModule; no kernel claim')
                    )}
                  </Td>
                ) : (
                  view.kernels.map((k) => {
                    const cell = row.cells.get(k);
                    return (
                      <Td key={k}>
                        {cell ? (
                          <MatrixCellView cluster={row.cluster} kernel={k} cell={cell} />
                        ) : row.selectedBy === 0 && row.kernels.includes(k) ? (
                          <NotSelectedCell />
                        ) : null}
                      </Td>
                    );
                  })
                )}
              </Tr>
            ))}
          </Tbody>
        </Table>
      </InnerScrollContainer>
    );
  };

  return (
    <>
      <ListPageHeader
        title={t('Kernel matrix')}
        helpText={t(
          'Clusters against the kernel versions they run: for each, whether the kernel module is loaded, applied, waiting for an image, failed, or has no kernel mapping.',
        )}
      />
      <PageSection>
        <Toolbar>
          <ToolbarContent>
            <ToolbarItem>
              <FormSelect
                aria-label={t('ManagedClusterModule')}
                value={mcm ?? ''}
                onChange={(_e, value) => {
                  setMcm(value || undefined);
                  resetPage();
                }}
              >
                <FormSelectOption value="" label={t('All ManagedClusterModules')} />
                {(matrix?.mcms ?? []).map((name) => (
                  <FormSelectOption key={name} value={name} label={name} />
                ))}
              </FormSelect>
            </ToolbarItem>
            <ToolbarItem>
              <SearchInput
                aria-label={t('Filter by cluster label')}
                placeholder={t('Cluster label, e.g. region=eu')}
                value={label}
                onChange={(_e, value) => {
                  setLabel(value);
                  resetPage();
                }}
                resetButtonLabel={t('Clear the label filter')}
                onClear={() => {
                  setLabel('');
                  resetPage();
                }}
              />
            </ToolbarItem>
            <ToolbarItem>
              <FormSelect
                aria-label={t('Filter by state')}
                value={state ?? ''}
                onChange={(_e, value) => {
                  setState((value || undefined) as CellState | undefined);
                  resetPage();
                }}
              >
                <FormSelectOption value="" label={t('Any state')} />
                {CELL_STATE_URGENCY.map((s) => (
                  <FormSelectOption key={s} value={s} label={cellStateText(t, s)} />
                ))}
              </FormSelect>
            </ToolbarItem>
            <ToolbarItem variant="pagination">
              <TranslatedPagination
                {...pagination.props}
                perPageOptions={[
                  { title: '25', value: 25 },
                  { title: '50', value: 50 },
                  { title: '100', value: 100 },
                ]}
                isCompact
              />
            </ToolbarItem>
          </ToolbarContent>
        </Toolbar>
        <MatrixLegend />
        {body()}
      </PageSection>
    </>
  );
};

export default KernelMatrixPage;
