import { Alert, List, ListItem } from '@patternfly/react-core';
import type { FailureCauseGroup } from '../../../../utils/fleet-status';
import { usePluginTranslation } from '../../../../utils/i18n';

/** Names shown per cause; the rest are counted (the table lists them all with "Problem clusters only"). */
const NAMES_SHOWN = 5;

/**
 * Why clusters fail, one line per root cause with the clusters it hits: a fleet-wide mistake (a spokeNamespace
 * that does not exist, KMM missing on the spokes) reads as one line instead of one row per cluster.
 */
export const FailureCausesView = ({ causes }: { causes: readonly FailureCauseGroup[] }) => {
  const { t } = usePluginTranslation();
  if (causes.length === 0) return null;
  return (
    <Alert
      variant="danger"
      isInline
      variantLabel={t('Error:')}
      title={t('Why clusters fail')}
      aria-label={t('Failure causes')}
      style={{ marginBlock: 'var(--pf-t--global--spacer--md)' }}
    >
      <List>
        {causes.map(({ cause, clusters }) => {
          const shown = clusters.slice(0, NAMES_SHOWN).join(', ');
          const more = clusters.length - NAMES_SHOWN;
          return (
            <ListItem key={cause}>
              <strong>
                {clusters.length === 1
                  ? t('1 cluster: {{cause}}', { cause })
                  : t('{{count}} clusters: {{cause}}', { count: clusters.length, cause })}
              </strong>{' '}
              ({more > 0 ? t('{{names}} and {{more}} more', { names: shown, more }) : shown})
            </ListItem>
          );
        })}
      </List>
    </Alert>
  );
};
