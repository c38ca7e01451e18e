import { Label, LabelGroup } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

/** An equality label selector as a group of labels; `{}` selects every cluster and says so. */
export const SelectorLabels = ({ selector }: { selector: Record<string, string> | undefined }) => {
  const { t } = useTranslation('plugin__kmm-hub-console-plugin');
  const entries = Object.entries(selector ?? {});
  if (entries.length === 0) {
    return <span>{t('All clusters')}</span>;
  }
  return (
    <LabelGroup numLabels={3} aria-label={t('Cluster selector')}>
      {entries.map(([key, value]) => (
        <Label key={key} isCompact color="blue">
          {key}={value}
        </Label>
      ))}
    </LabelGroup>
  );
};
