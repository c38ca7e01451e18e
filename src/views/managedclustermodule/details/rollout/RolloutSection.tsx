import { Alert, Button, Label, Progress, Stack, StackItem, Title } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useMemo } from 'react';
import { usePluginTranslation } from '../../../../utils/i18n';
import type { ManagedClusterModule } from '../../../../utils/model';
import { rolloutView, type RolloutView } from './rollout-view';
import { useResumeRollout } from './useResumeRollout';

/** The MCM's progressive rollout: where it stands, its groups, why it halted, and the resume action. */
export const RolloutSection = ({ mcm }: { mcm: ManagedClusterModule }) => {
  const view = useMemo(() => rolloutView(mcm), [mcm]);
  if (!view) return null;
  return <Rollout mcm={mcm} view={view} />;
};

const Rollout = ({ mcm, view }: { mcm: ManagedClusterModule; view: RolloutView }) => {
  const { t } = usePluginTranslation();
  const phaseLabel = {
    Progressing: t('Progressing'),
    Halted: t('Halted'),
    Complete: t('Complete'),
  };
  return (
    <Stack hasGutter>
      <StackItem>
        <Title headingLevel="h2">{t('Rollout')}</Title>
      </StackItem>
      <StackItem>
        {view.phase ? (
          <Label
            color={view.phase === 'Halted' ? 'red' : view.phase === 'Complete' ? 'green' : 'blue'}
          >
            {phaseLabel[view.phase]}
          </Label>
        ) : (
          <p>{t('The controller has not reported the rollout yet.')}</p>
        )}{' '}
        {t('{{type}}: wave {{current}} of {{total}}', {
          type: view.type,
          current: view.currentWave,
          total: view.totalWaves,
        })}
      </StackItem>
      <StackItem>
        <Progress
          value={view.percentDone}
          title={t('Clusters done')}
          label={t(
            '{{succeeded}} succeeded, {{failed}} failed, {{progressing}} moving, {{pending}} waiting, of {{clusters}}',
            {
              succeeded: view.succeeded,
              failed: view.failed,
              progressing: view.progressing,
              pending: view.pending,
              clusters: view.clusters,
            },
          )}
        />
      </StackItem>
      {view.stale ? (
        <StackItem>
          {t('The controller has not decided the rollout for the current spec yet.')}
        </StackItem>
      ) : null}
      {view.phase === 'Halted' ? (
        <StackItem>
          <HaltedAlert mcm={mcm} view={view} />
        </StackItem>
      ) : null}
      {view.moving.length > 0 ? (
        <StackItem>{t('Moving now: {{clusters}}', { clusters: view.moving.join(', ') })}</StackItem>
      ) : null}
      <StackItem>
        <Table aria-label={t('Rollout groups')} variant="compact">
          <Thead>
            <Tr>
              <Th>{t('Group')}</Th>
              <Th modifier="fitContent">{t('Waves')}</Th>
              <Th modifier="fitContent">{t('Clusters')}</Th>
              <Th modifier="fitContent">{t('Succeeded')}</Th>
              <Th modifier="fitContent">{t('Moving')}</Th>
              <Th modifier="fitContent">{t('Failed')}</Th>
              <Th modifier="fitContent">{t('Waiting')}</Th>
            </Tr>
          </Thead>
          <Tbody>
            {view.groups.map((g) => (
              <Tr key={g.name}>
                <Td dataLabel={t('Group')}>{g.name}</Td>
                <Td dataLabel={t('Waves')}>{g.waves}</Td>
                <Td dataLabel={t('Clusters')}>{g.clusters}</Td>
                <Td dataLabel={t('Succeeded')}>{g.succeeded}</Td>
                <Td dataLabel={t('Moving')}>{g.progressing}</Td>
                <Td dataLabel={t('Failed')}>{g.failed}</Td>
                <Td dataLabel={t('Waiting')}>{g.pending}</Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      </StackItem>
      {view.failures.length > 0 ? (
        <StackItem>
          <Table aria-label={t('Failed clusters')} variant="compact">
            <Thead>
              <Tr>
                <Th>{t('Cluster')}</Th>
                <Th modifier="fitContent">{t('Reason')}</Th>
                <Th>{t('Message')}</Th>
              </Tr>
            </Thead>
            <Tbody>
              {view.failures.map((f) => (
                <Tr key={f.cluster}>
                  <Td dataLabel={t('Cluster')}>{f.cluster}</Td>
                  <Td dataLabel={t('Reason')}>{f.reason}</Td>
                  <Td dataLabel={t('Message')}>{f.message}</Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        </StackItem>
      ) : null}
    </Stack>
  );
};

const HaltedAlert = ({ mcm, view }: { mcm: ManagedClusterModule; view: RolloutView }) => {
  const { t } = usePluginTranslation();
  const { allowed, checking, busy, error, resume } = useResumeRollout(mcm);
  return (
    <Alert
      variant="danger"
      isInline
      title={t('Rollout halted: {{reason}}', { reason: view.haltedReason ?? '' })}
      actionLinks={
        <Button
          variant="primary"
          onClick={() => void resume()}
          isDisabled={!allowed || checking || busy}
          isLoading={busy}
        >
          {t('Resume rollout')}
        </Button>
      }
    >
      <p>{view.message}</p>
      {!allowed && !checking ? (
        <p>{t('You are not allowed to resume it: resuming patches the ManagedClusterModule.')}</p>
      ) : null}
      {error ? <p>{t('Resuming failed: {{error}}', { error })}</p> : null}
    </Alert>
  );
};
