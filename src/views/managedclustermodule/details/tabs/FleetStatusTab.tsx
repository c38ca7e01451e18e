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
import { usePluginTranslation } from '../../../../utils/i18n';
import { useAcmClusterPages } from '../../../../utils/useAcmClusterPages';
import { TranslatedPagination } from '../../../../components/TranslatedPagination';
import { LoadError } from '../../../../components/LoadError';
import { Loading } from '../../../../components/Loading';
import { NoResults } from '../../../../components/NoResults';
import { FailureCausesView } from '../fleet/FailureCausesView';
import { FleetRowView } from '../fleet/FleetRowView';
import { FleetSummaryView } from '../fleet/FleetSummaryView';
import { useFleetStatus } from '../fleet/useFleetStatus';
import { useFleetStatusFilters } from '../fleet/useFleetStatusFilters';
import { useMcm } from '../McmContext';

export const FleetStatusTab = () => {
  const { t } = usePluginTranslation();
  const mcm = useMcm();
  const { rows, causes, published, loaded, loadError } = useFleetStatus(mcm);
  const fleet = useFleetStatusFilters(rows);
  const { pagination } = fleet;
  const acm = useAcmClusterPages();

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
  if (!published) {
    return (
      <PageSection>
        <p>{t('The controller has not reported on the fleet for this module yet.')}</p>
      </PageSection>
    );
  }
  return (
    <PageSection>
      <FleetSummaryView summary={fleet.summary} />
      <FailureCausesView causes={causes} />
      <Toolbar>
        <ToolbarContent>
          <ToolbarItem>
            <Switch
              id="kmm-hub-problems-only"
              label={t('Problem clusters only')}
              isChecked={fleet.problemsOnly}
              onChange={(_e, checked) => fleet.setProblemsOnly(checked)}
            />
          </ToolbarItem>
          <ToolbarItem>
            <FormSelect
              aria-label={t('Filter by kernel')}
              value={fleet.kernel ?? ''}
              onChange={(_e, value) => fleet.setKernel(value || undefined)}
            >
              <FormSelectOption value="" label={t('All kernels')} />
              {fleet.kernels.map((k) => (
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
      ) : fleet.filtered.length === 0 ? (
        <NoResults message={t('No cluster matches the filters.')} onClearFilters={fleet.clearAll} />
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
            {pagination.pageOf(fleet.filtered).map((row) => (
              <FleetRowView key={row.cluster} row={row} acm={acm} />
            ))}
          </Tbody>
        </Table>
      )}
    </PageSection>
  );
};
