import { Label, LabelGroup, type LabelProps } from '@patternfly/react-core';
import { usePluginTranslation } from '../utils/i18n';

/**
 * `key=value` pairs (labels, a selector) as a group of compact labels, with PatternFly's English overflow
 * texts translated; `empty` says what no pairs mean here.
 */
export const KeyValueLabels = ({
  pairs,
  label,
  empty,
  color,
}: {
  pairs: Record<string, string> | undefined;
  /** accessible name of the group */
  label: string;
  empty: string;
  color?: LabelProps['color'];
}) => {
  const { t } = usePluginTranslation();
  const entries = Object.entries(pairs ?? {});
  if (entries.length === 0) {
    return <span>{empty}</span>;
  }
  return (
    <LabelGroup
      numLabels={3}
      aria-label={label}
      collapsedText={t('${remaining} more')}
      expandedText={t('Show less')}
    >
      {entries.map(([key, value]) => (
        <Label key={key} isCompact color={color}>
          {key}={value}
        </Label>
      ))}
    </LabelGroup>
  );
};
