import { Label, LabelGroup } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

/** An equality label selector as a group of labels; `{}` selects everything and says so. */
export const SelectorLabels = ({
  selector,
  label,
}: {
  selector: Record<string, string> | undefined;
  /** accessible name of the group */
  label: string;
}) => {
  const { t } = useTranslation('plugin__kmm-hub-console-plugin');
  const entries = Object.entries(selector ?? {});
  if (entries.length === 0) {
    return <span>{t('All')}</span>;
  }
  return (
    <LabelGroup
      numLabels={3}
      aria-label={label}
      collapsedText={t('${remaining} more')}
      expandedText={t('Show less')}
    >
      {entries.map(([key, value]) => (
        <Label key={key} isCompact color="blue">
          {key}={value}
        </Label>
      ))}
    </LabelGroup>
  );
};
