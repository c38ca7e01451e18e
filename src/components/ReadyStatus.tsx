import {
  ErrorStatus,
  InfoStatus,
  ProgressStatus,
  SuccessStatus,
} from '@openshift-console/dynamic-plugin-sdk';
import { usePluginTranslation } from '../utils/i18n';
import { findCondition } from '../utils/conditions';
import { DEGRADED, type ManagedClusterModule, PROGRESSING, READY } from '../utils/model';

/**
 * The MCM's readiness as the console's status components show it (Ready, else Degraded before Progressing),
 * with the condition's message in the popover.
 */
export const ReadyStatus = ({ mcm }: { mcm: ManagedClusterModule }) => {
  const { t } = usePluginTranslation();
  const conditions = mcm.status?.conditions;
  const ready = findCondition(conditions, READY);
  const progressing = findCondition(conditions, PROGRESSING);
  const degraded = findCondition(conditions, DEGRADED);
  if (!ready) {
    return <InfoStatus title={t('Not reported yet')} />;
  }
  if (ready.status === 'True') {
    return <SuccessStatus title={t('Ready')}>{ready.message}</SuccessStatus>;
  }
  if (degraded?.status === 'True') {
    return <ErrorStatus title={t('Degraded')}>{degraded.message ?? ready.message}</ErrorStatus>;
  }
  if (progressing?.status === 'True') {
    return (
      <ProgressStatus title={t('Progressing')}>
        {progressing.message ?? ready.message}
      </ProgressStatus>
    );
  }
  return <ErrorStatus title={t('Not ready')}>{ready.message}</ErrorStatus>;
};
