import { DocumentTitle, ListPageHeader } from '@openshift-console/dynamic-plugin-sdk';
import { PageSection } from '@patternfly/react-core';
import { LoadError } from '../../components/LoadError';
import { Loading } from '../../components/Loading';
import { NoResults } from '../../components/NoResults';
import { usePluginTranslation } from '../../utils/i18n';
import { KernelMatrixTable } from './KernelMatrixTable';
import { KernelMatrixToolbar } from './KernelMatrixToolbar';
import { MatrixLegend } from './MatrixLegend';
import { useKernelMatrix } from './useKernelMatrix';
import { useKernelMatrixView } from './useKernelMatrixView';
import { useUpcomingKernels } from './useUpcomingKernels';

const KernelMatrixPage = () => {
  const { t } = usePluginTranslation();
  const { matrix, loaded, loadError } = useKernelMatrix();
  const { view, filters, pagination } = useKernelMatrixView(matrix);
  const upcoming = useUpcomingKernels(filters.mcm, matrix);

  const body = () => {
    if (loadError) return <LoadError what={t('the kernel matrix')} error={loadError} />;
    if (!loaded || !matrix || !view) return <Loading label={t('Loading the kernel matrix')} />;
    if (matrix.mcms.length === 0) {
      return <p>{t('No ManagedClusterModule exists yet, so no kernel module is rolled out.')}</p>;
    }
    if (view.rows.length === 0) {
      return (
        <NoResults
          message={t('No cluster matches the filters.')}
          onClearFilters={filters.clearAll}
        />
      );
    }
    return (
      <KernelMatrixTable
        kernels={view.kernels}
        summary={view.summary}
        rows={pagination.pageOf(view.rows)}
        upcoming={upcoming}
      />
    );
  };

  return (
    <>
      <DocumentTitle>{t('Kernel matrix')}</DocumentTitle>
      <ListPageHeader
        title={t('Kernel matrix')}
        helpText={t(
          'Clusters against the kernel versions they run: for each, whether the kernel module is loaded, applied, waiting for an image, failed, or has no kernel mapping.',
        )}
      />
      <PageSection>
        <KernelMatrixToolbar
          mcms={matrix?.mcms ?? []}
          filters={filters}
          pagination={pagination.props}
        />
        <MatrixLegend />
        {body()}
      </PageSection>
    </>
  );
};

export default KernelMatrixPage;
