import { Flex, FlexItem, Title } from '@patternfly/react-core';
import { usePluginTranslation } from '../../../../utils/i18n';
import type { FleetSummary } from './fleet-rows';

const Count = ({ label, value }: { label: string; value: number }) => (
  <FlexItem>
    <Title headingLevel="h3" size="xl">
      {value}
    </Title>
    <span>{label}</span>
  </FlexItem>
);

export const FleetSummaryView = ({ summary }: { summary: FleetSummary }) => {
  const { t } = usePluginTranslation();
  return (
    <section aria-label={t('Fleet summary')}>
      <Flex spaceItems={{ default: 'spaceItemsXl' }}>
        <Count label={t('Selected')} value={summary.selected} />
        <Count label={t('With ManifestWork')} value={summary.withManifestWork} />
        <Count label={t('Applied')} value={summary.applied} />
        <Count label={t('Loaded')} value={summary.loaded} />
        <Count label={t('Degraded')} value={summary.degraded} />
        <Count label={t('Skipped')} value={summary.skipped} />
        <Count label={t('Problems')} value={summary.problems} />
      </Flex>
    </section>
  );
};
