import { useAccessReview } from '@openshift-console/dynamic-plugin-sdk';
import {
  Button,
  Content,
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
        <Content>
          <Content component="p">
            {t(
              'A ManagedClusterModule describes an out-of-tree kernel module (a GPU, NIC or storage driver) once, for the whole fleet. The hub works out which kernels every selected cluster runs and which image each kernel needs, and sends each cluster a KMM Module through a ManifestWork.',
            )}
          </Content>
          <Content component="p">
            {t(
              'Images are checked in their registries and sent pinned to their digests. An image a kernel mapping builds or signs is built and signed on the hub, once for the whole fleet, and each kernel is rolled out as soon as its image is ready.',
            )}
          </Content>
        </Content>
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
