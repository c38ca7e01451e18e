import { Bullseye, Spinner } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

/** A centred spinner; `label` says what is loading (its accessible name). */
export const Loading = ({ label }: { label: string }) => {
  const { t } = useTranslation('plugin__kmm-hub-console-plugin');
  return (
    <Bullseye>
      {/* PatternFly's default aria-valuetext is an English "Loading..." */}
      <Spinner aria-label={label} aria-valuetext={t('Loading...')} />
    </Bullseye>
  );
};
