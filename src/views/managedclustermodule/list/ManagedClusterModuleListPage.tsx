import {
  DocumentTitle,
  ListPageBody,
  ListPageCreate,
  ListPageFilter,
  ListPageHeader,
  useK8sWatchResource,
} from '@openshift-console/dynamic-plugin-sdk';

import { useMemo, useState } from 'react';
import { usePluginTranslation } from '../../../utils/i18n';
import { LoadError } from '../../../components/LoadError';
import { NoResults } from '../../../components/NoResults';
import { MCM_GVK } from '../../../utils/k8s';
import type { ManagedClusterModule } from '../../../utils/model';
import { ManagedClusterModuleTable } from './ManagedClusterModuleTable';
import { NoManagedClusterModules } from './NoManagedClusterModules';
import { type SortColumn, sortMCMs } from './sort';
import { useMcmListFilter } from './useMcmListFilter';
import { Loading } from '../../../components/Loading';

const ManagedClusterModuleListPage = () => {
  const { t } = usePluginTranslation();
  const [mcms, loaded, loadError] = useK8sWatchResource<ManagedClusterModule[]>({
    groupVersionKind: MCM_GVK,
    isList: true,
  });
  const { data, filtered, onFilterChange, filterKey, clearAll } = useMcmListFilter(mcms ?? []);
  const [sort, setSort] = useState<{ column: SortColumn; direction: 'asc' | 'desc' }>({
    column: 'name',
    direction: 'asc',
  });
  const rows = useMemo(
    () => sortMCMs(filtered, sort.column, sort.direction),
    [filtered, sort.column, sort.direction],
  );

  const body = () => {
    if (loadError) return <LoadError what={t('ManagedClusterModules')} error={loadError} />;
    if (!loaded) {
      return <Loading label={t('Loading ManagedClusterModules')} />;
    }
    if (data.length === 0) return <NoManagedClusterModules />;
    return (
      <>
        <ListPageFilter
          key={filterKey}
          data={data}
          loaded={loaded}
          onFilterChange={onFilterChange}
        />
        {rows.length === 0 ? (
          <NoResults
            message={t('No ManagedClusterModule matches the filter.')}
            onClearFilters={clearAll}
          />
        ) : (
          <ManagedClusterModuleTable mcms={rows} sort={sort} onSort={setSort} />
        )}
      </>
    );
  };

  return (
    <>
      <DocumentTitle>{t('ManagedClusterModules')}</DocumentTitle>
      <ListPageHeader
        title={t('ManagedClusterModules')}
        helpText={t(
          'Kernel modules rolled out to the clusters of the fleet, one image per kernel version.',
        )}
      >
        {/* without createAccessReview the console shows the button to users who may not create */}
        <ListPageCreate
          groupVersionKind={MCM_GVK}
          createAccessReview={{ groupVersionKind: MCM_GVK }}
        >
          {t('Create ManagedClusterModule')}
        </ListPageCreate>
      </ListPageHeader>
      <ListPageBody>{body()}</ListPageBody>
    </>
  );
};

export default ManagedClusterModuleListPage;
