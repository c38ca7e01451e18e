import { usePluginTranslation } from '../utils/i18n';
import { KeyValueLabels } from './KeyValueLabels';

/** An equality label selector as a group of labels; `{}` selects everything and says so. */
export const SelectorLabels = ({
  selector,
  label,
}: {
  selector: Record<string, string> | undefined;
  /** accessible name of the group */
  label: string;
}) => {
  const { t } = usePluginTranslation();
  return <KeyValueLabels pairs={selector} label={label} empty={t('All')} color="blue" />;
};
