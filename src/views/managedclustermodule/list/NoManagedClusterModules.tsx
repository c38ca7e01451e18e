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
          {/* the CRD already has build and sign, so say plainly what becomes of them today */}
          <Content component="p">
            {t(
              'Building and signing images on the hub is not implemented yet: an image whose kernel mapping asks for a build or a signature waits (BuildNotSupportedYet, SignNotSupportedYet) and its kernels are not rolled out. Until then, push ready images to their registry and leave build and sign out of the mappings.',
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
