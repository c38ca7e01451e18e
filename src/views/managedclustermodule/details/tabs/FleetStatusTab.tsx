import {
  FormSelect,
  FormSelectOption,
  PageSection,
  Switch,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from '@patternfly/react-core';
import { Table, Tbody, Th, Thead, Tr } from '@patternfly/react-table';
import { useMemo, useState } from 'react';
import { usePluginTranslation } from '../../../../utils/i18n';
import { TranslatedPagination } from '../../../../components/TranslatedPagination';
import { LoadError } from '../../../../components/LoadError';
import { Loading } from '../../../../components/Loading';
import { usePagination } from '../../../../components/usePagination';
import { filterFleetRows, fleetKernels, summarizeFleet } from '../fleet/fleet-rows';
import { FleetRowView } from '../fleet/FleetRowView';
import { FleetSummaryView } from '../fleet/FleetSummaryView';
import { useFleetStatus } from '../fleet/useFleetStatus';
import { useMcm } from '../McmContext';

export const FleetStatusTab = () => {
  const { t } = usePluginTranslation();
  const mcm = useMcm();
  const { rows, loaded, loadError } = useFleetStatus(mcm);
  const [problemsOnly, setProblemsOnly] = useState(false);
  const [kernel, setKernel] = useState<string | undefined>(undefined);

  const summary = useMemo(() => summarizeFleet(rows), [rows]);
  const kernels = useMemo(() => fleetKernels(rows), [rows]);
  const filtered = useMemo(
    () => filterFleetRows(rows, { problemsOnly, kernel }),
    [rows, problemsOnly, kernel],
  );
  const pagination = usePagination(filtered.length);

  if (loadError) {
    return (
      <PageSection>
        <LoadError what={t('the fleet status')} error={loadError} />
      </PageSection>
    );
  }
  if (!loaded) {
    return <Loading label={t('Loading the fleet status')} />;
  }
  return (
    <PageSection>
      <FleetSummaryView summary={summary} />
      <Toolbar>
        <ToolbarContent>
          <ToolbarItem>
            <Switch
              id="kmm-hub-problems-only"
              label={t('Problem clusters only')}
              isChecked={problemsOnly}
              onChange={(_e, checked) => {
                setProblemsOnly(checked);
                pagination.reset();
              }}
            />
          </ToolbarItem>
          <ToolbarItem>
            <FormSelect
              aria-label={t('Filter by kernel')}
              value={kernel ?? ''}
              onChange={(_e, value) => {
                setKernel(value || undefined);
                pagination.reset();
              }}
            >
              <FormSelectOption value="" label={t('All kernels')} />
              {kernels.map((k) => (
                <FormSelectOption key={k} value={k} label={k} />
              ))}
            </FormSelect>
          </ToolbarItem>
          <ToolbarItem variant="pagination">
            <TranslatedPagination {...pagination.props} isCompact />
          </ToolbarItem>
        </ToolbarContent>
      </Toolbar>
      {rows.length === 0 ? (
        <p>{t('The cluster selector selects no ManagedCluster.')}</p>
      ) : filtered.length === 0 ? (
        <p>{t('No cluster matches the filters.')}</p>
      ) : (
        <Table aria-label={t('Fleet status')} variant="compact">
          <Thead>
            <Tr>
              <Th modifier="nowrap">{t('Cluster')}</Th>
              <Th modifier="wrap">{t('Availability')}</Th>
              <Th>{t('Kernels')}</Th>
              <Th modifier="wrap">{t('ManifestWork')}</Th>
              <Th modifier="wrap">{t('Module loaded')}</Th>
              <Th modifier="wrap">{t('Last change')}</Th>
            </Tr>
          </Thead>
          <Tbody>
            {pagination.pageOf(filtered).map((row) => (
              <FleetRowView key={row.cluster} row={row} />
            ))}
          </Tbody>
        </Table>
      )}
    </PageSection>
  );
};
