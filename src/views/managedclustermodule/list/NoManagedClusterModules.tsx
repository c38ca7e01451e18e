import { useAccessReview } from '@openshift-console/dynamic-plugin-sdk';
import {
  Button,
  EmptyState,
  EmptyStateActions,
  EmptyStateBody,
  EmptyStateFooter,
} from '@patternfly/react-core';
import { CubesIcon } from '@patternfly/react-icons';
import { usePluginTranslation } from '../../../utils/i18n';
import { useNavigate } from 'react-router';
import { mcmAccess, mcmListPath } from '../../../utils/k8s';

/** The empty list explains what an MCM is, so the first visitor knows what creating one does. */
export const NoManagedClusterModules = () => {
  const { t } = usePluginTranslation();
  const navigate = useNavigate();
  const [canCreate] = useAccessReview(mcmAccess('create'));
  return (
    <EmptyState titleText={t('No ManagedClusterModules yet')} headingLevel="h2" icon={CubesIcon}>
      <EmptyStateBody>
        {t(
          'A ManagedClusterModule describes an out-of-tree kernel module (a GPU, NIC or storage driver) once, for the whole fleet. The hub works out which kernels every selected cluster runs, which image each kernel needs, builds and signs missing images, and sends each cluster a KMM Module through a ManifestWork.',
        )}
      </EmptyStateBody>
      <EmptyStateFooter>
        <EmptyStateActions>
          <Button
            variant="primary"
            isAriaDisabled={!canCreate}
            onClick={() => navigate(`${mcmListPath()}/~new`)}
          >
            {t('Create ManagedClusterModule')}
          </Button>
        </EmptyStateActions>
      </EmptyStateFooter>
    </EmptyState>
  );
};
