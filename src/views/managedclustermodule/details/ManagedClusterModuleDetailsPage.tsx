import {
  DocumentTitle,
  HorizontalNav,
  type NavPage,
  ResourceIcon,
  useK8sWatchResource,
} from '@openshift-console/dynamic-plugin-sdk';
import {
  Breadcrumb,
  BreadcrumbItem,
  Flex,
  FlexItem,
  PageSection,
  Title,
} from '@patternfly/react-core';
import { useMemo } from 'react';
import { usePluginTranslation } from '../../../utils/i18n';
import { Link, useParams } from 'react-router';
import { ActionsMenu } from '../../../components/ActionsMenu';
import { LoadError } from '../../../components/LoadError';
import { ReadyStatus } from '../../../components/ReadyStatus';
import { MCM_GVK, mcmListPath } from '../../../utils/k8s';
import type { ManagedClusterModule } from '../../../utils/model';
import { useManagedClusterModuleActions } from '../hooks/useManagedClusterModuleActions';
import { McmContext } from './McmContext';
import { DetailsTab } from './tabs/DetailsTab';
import { EventsTab } from './tabs/EventsTab';
import { FleetStatusTab } from './tabs/FleetStatusTab';
import { YAMLTab } from './tabs/YAMLTab';
import { Loading } from '../../../components/Loading';

const Header = ({ mcm }: { mcm: ManagedClusterModule }) => {
  const { t } = usePluginTranslation();
  const [actions] = useManagedClusterModuleActions(mcm);
  return (
    <PageSection>
      <Breadcrumb aria-label={t('Breadcrumb')}>
        <BreadcrumbItem>
          <Link to={mcmListPath()}>{t('ManagedClusterModules')}</Link>
        </BreadcrumbItem>
        <BreadcrumbItem isActive>{t('ManagedClusterModule details')}</BreadcrumbItem>
      </Breadcrumb>
      <Flex justifyContent={{ default: 'justifyContentSpaceBetween' }}>
        <FlexItem>
          <Title headingLevel="h1">
            <ResourceIcon groupVersionKind={MCM_GVK} /> {mcm.metadata.name}{' '}
            <ReadyStatus mcm={mcm} />
          </Title>
        </FlexItem>
        <FlexItem>
          <ActionsMenu actions={actions} variant="button" label={t('Actions')} />
        </FlexItem>
      </Flex>
    </PageSection>
  );
};

/** Console passes `name` to resource details pages; the route parameter is the fallback. */
const ManagedClusterModuleDetailsPage = ({ name: nameProp }: { name?: string }) => {
  const { t } = usePluginTranslation();
  const params = useParams();
  const name = nameProp ?? params.name ?? '';
  const [mcm, loaded, loadError] = useK8sWatchResource<ManagedClusterModule>({
    groupVersionKind: MCM_GVK,
    name,
  });
  const pages = useMemo<NavPage[]>(
    () => [
      { href: '', name: t('Details'), component: DetailsTab },
      { href: 'yaml', name: t('YAML'), component: YAMLTab },
      { href: 'fleet-status', name: t('Fleet status'), component: FleetStatusTab },
      { href: 'events', name: t('Events'), component: EventsTab },
    ],
    [t],
  );

  const body = () => {
    if (loadError) {
      return (
        <PageSection>
          <LoadError what={t('ManagedClusterModule {{name}}', { name })} error={loadError} />
        </PageSection>
      );
    }
    if (!loaded || !mcm) {
      return <Loading label={t('Loading ManagedClusterModule')} />;
    }
    return (
      <McmContext.Provider value={mcm}>
        <Header mcm={mcm} />
        <HorizontalNav resource={mcm} pages={pages} />
      </McmContext.Provider>
    );
  };

  return (
    <>
      {/* from the route's name, so that the tab is named while loading and after an error too */}
      <DocumentTitle>{t('{{name}} · ManagedClusterModule details', { name })}</DocumentTitle>
      {body()}
    </>
  );
};

export default ManagedClusterModuleDetailsPage;
