import { usePluginTranslation } from '../utils/i18n';
import type { KernelOutcome } from '../utils/fleet-status';

/**
 * Why a kernel cannot be rolled out: its mapping cannot be used for it, or the MCM itself is invalid. The
 * model's own words are English, as the controller reports them.
 */
export const ResolutionProblem = ({
  outcome,
}: {
  outcome: Extract<KernelOutcome, { kind: 'error' | 'invalid' }>;
}) => {
  const { t } = usePluginTranslation();
  if (outcome.kind === 'error') return <span lang="en">{outcome.error}</span>;
  return (
    <>
      {t('Invalid ManagedClusterModule:')} <code>{outcome.problem.field}</code>:{' '}
      <span lang="en">{outcome.problem.message}</span>
    </>
  );
};
