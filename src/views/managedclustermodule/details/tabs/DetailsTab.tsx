import { Timestamp } from '@openshift-console/dynamic-plugin-sdk';
import {
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  PageSection,
  Stack,
  StackItem,
  Title,
} from '@patternfly/react-core';
import { type ReactNode, useMemo } from 'react';
import { usePluginTranslation } from '../../../../utils/i18n';
import { ConditionsTable } from '../../../../components/ConditionsTable';
import { KeyValueLabels } from '../../../../components/KeyValueLabels';
import { SelectorLabels } from '../../../../components/SelectorLabels';
import { validateManagedClusterModule } from '../../../../utils/model';
import { useMcm } from '../McmContext';
import { RolloutSection } from '../rollout/RolloutSection';
import { ImagesTable } from './ImagesTable';
import { KernelMappingsTable } from './KernelMappingsTable';
import { ValidationProblems } from './ValidationProblems';

const Item = ({ term, children }: { term: string; children: ReactNode }) => (
  <DescriptionListGroup>
    <DescriptionListTerm>{term}</DescriptionListTerm>
    <DescriptionListDescription>{children}</DescriptionListDescription>
  </DescriptionListGroup>
);

export const DetailsTab = () => {
  const { t } = usePluginTranslation();
  const mcm = useMcm();
  const problems = useMemo(() => validateManagedClusterModule(mcm), [mcm]);
  const moduleSpec = mcm.spec?.moduleSpec;
  const container = moduleSpec?.moduleLoader?.container;
  const mappings = Array.isArray(container?.kernelMappings) ? container.kernelMappings : [];
  const yes = t('Yes');
  const no = t('No');

  return (
    <PageSection>
      <Stack hasGutter>
        <StackItem>
          <ValidationProblems problems={problems} />
        </StackItem>
        <StackItem>
          <Title headingLevel="h2">{t('ManagedClusterModule details')}</Title>
          <DescriptionList columnModifier={{ default: '2Col' }}>
            <Item term={t('Name')}>{mcm.metadata.name}</Item>
            <Item term={t('Created')}>
              <Timestamp timestamp={mcm.metadata.creationTimestamp} />
            </Item>
            <Item term={t('Labels')}>
              <KeyValueLabels
                pairs={mcm.metadata.labels}
                label={t('Labels')}
                empty={t('No labels')}
              />
            </Item>
            <Item term={t('Cluster selector')}>
              <SelectorLabels selector={mcm.spec?.selector} label={t('Cluster selector')} />
            </Item>
            <Item term={t('Spoke namespace')}>{mcm.spec?.spokeNamespace}</Item>
            <Item term={t('Node selector')}>
              <SelectorLabels selector={moduleSpec?.selector} label={t('Node selector')} />
            </Item>
            <Item term={t('Kernel module')}>
              {container?.modprobe?.moduleName ?? t('None (device plugin only)')}
            </Item>
            <Item term={t('Default image')}>{container?.containerImage ?? '-'}</Item>
            <Item term={t('Build configured')}>
              {container?.build || mappings.some((m) => m.build) ? yes : no}
            </Item>
            <Item term={t('Sign configured')}>
              {container?.sign || mappings.some((m) => m.sign) ? yes : no}
            </Item>
            <Item term={t('Device plugin')}>
              {moduleSpec?.devicePlugin?.container?.image ?? t('None')}
            </Item>
            <Item term={t('Observed generation')}>
              {t('{{observed}} of {{generation}}', {
                observed: mcm.status?.observedGeneration ?? '-',
                generation: mcm.metadata.generation ?? '-',
              })}
            </Item>
          </DescriptionList>
        </StackItem>
        <StackItem>
          <RolloutSection mcm={mcm} />
        </StackItem>
        <StackItem>
          <Title headingLevel="h2">{t('Kernel mappings')}</Title>
          <KernelMappingsTable container={container} />
        </StackItem>
        <StackItem>
          <Title headingLevel="h2">{t('Images')}</Title>
          <ImagesTable images={mcm.status?.images} />
        </StackItem>
        <StackItem>
          <Title headingLevel="h2">{t('Conditions')}</Title>
          <ConditionsTable conditions={mcm.status?.conditions} />
        </StackItem>
      </Stack>
    </PageSection>
  );
};
