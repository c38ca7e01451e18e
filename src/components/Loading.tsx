import { Bullseye, Spinner } from '@patternfly/react-core';
import { usePluginTranslation } from '../utils/i18n';

/** A centred spinner; `label` says what is loading (its accessible name). */
export const Loading = ({ label }: { label: string }) => {
  const { t } = usePluginTranslation();
  return (
    <Bullseye>
      {/* PatternFly's default aria-valuetext is an English "Loading..." */}
      <Spinner aria-label={label} aria-valuetext={t('Loading...')} />
    </Bullseye>
  );
};
