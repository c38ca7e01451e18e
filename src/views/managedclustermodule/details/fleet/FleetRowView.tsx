import { Timestamp } from '@openshift-console/dynamic-plugin-sdk';
import { Label, List, ListItem } from '@patternfly/react-core';
import { Td, Tr } from '@patternfly/react-table';
import { type PluginT, usePluginTranslation } from '../../../../utils/i18n';
import { CellStateIcon, cellStateText } from '../../../../components/CellStateIcon';
import { ImageStateLabel } from '../../../../components/ImageStateLabel';
import { ManagedClusterLink } from '../../../../components/ManagedClusterLink';
import { ResolutionProblem } from '../../../../components/ResolutionProblem';
import type { KernelStatus } from '../../../../utils/fleet-status';
import type { SkipCode } from '../../../../utils/model';
import type { FleetRow } from './fleet-rows';

const conditionText = (t: PluginT, status: 'True' | 'False' | 'Unknown' | undefined) =>
  status === 'True' ? t('Yes') : status === 'False' ? t('No') : t('Not reported');

const skipText = (t: PluginT, code: SkipCode): string => {
  switch (code) {
    case 'NoKernelClaim':
      return t('Skipped: the cluster reports no kernel versions.');
    case 'NoKernelMapping':
      return t('Skipped: no kernel mapping matches its kernels.');
    case 'KernelNotMappable':
      return t('Skipped: the matching kernel mapping cannot be used for its kernels.');
    case 'ImageNotReady':
      return t('Waiting: no image of its kernels is ready yet.');
  }
};

const KernelLine = ({ k }: { k: KernelStatus }) => {
  const { t } = usePluginTranslation();
  return (
    <ListItem>
      <CellStateIcon state={k.state} label={cellStateText(t, k.state)} /> <code>{k.kernel}</code>{' '}
      {k.resolution.kind === 'unmapped' ? (
        t('no kernel mapping')
      ) : k.resolution.kind === 'error' || k.resolution.kind === 'invalid' ? (
        <ResolutionProblem outcome={k.resolution} />
      ) : (
        <>
          {k.imageState ? <ImageStateLabel state={k.imageState} /> : null}{' '}
          <Label isCompact color={k.sent ? 'green' : 'grey'}>
            {k.sent ? t('mapping sent') : t('mapping not sent')}
          </Label>
        </>
      )}
    </ListItem>
  );
};

export const FleetRowView = ({
  row,
  acm,
}: {
  row: FleetRow;
  /** link the cluster to ACM's page of it */
  acm: boolean;
}) => {
  const { t } = usePluginTranslation();
  const loaded = row.work?.feedback.moduleLoader ?? row.work?.feedback.devicePlugin;
  return (
    <Tr>
      <Td dataLabel={t('Cluster')} modifier="nowrap">
        <ManagedClusterLink name={row.cluster} acm={acm} />
      </Td>
      <Td dataLabel={t('Availability')}>
        {row.available === 'True'
          ? t('Available')
          : row.available === 'False'
            ? t('Unavailable')
            : t('Unknown')}
      </Td>
      <Td dataLabel={t('Kernels')}>
        {row.skipped ? (
          <div>
            {skipText(t, row.skipped.code)} <small lang="en">({row.skipped.reason})</small>
          </div>
        ) : null}
        {row.kernels?.length ? (
          <List isPlain aria-label={t('Kernels of {{cluster}}', { cluster: row.cluster })}>
            {row.kernels.map((k) => (
              <KernelLine key={k.kernel} k={k} />
            ))}
          </List>
        ) : null}
      </Td>
      <Td dataLabel={t('ManifestWork')}>
        {row.work
          ? t('Applied: {{applied}}, Available: {{available}}', {
              applied: conditionText(t, row.work.applied),
              available: conditionText(t, row.work.available),
            })
          : t('None')}
        {row.work?.degraded ? (
          <div>
            {t('Problem:')} <small lang="en">{row.work.degradedReasons.join('; ')}</small>
          </div>
        ) : null}
      </Td>
      <Td dataLabel={t('Module loaded')}>
        {loaded
          ? t('{{available}} of {{desired}} nodes', {
              available: loaded.availableNumber,
              desired: loaded.desiredNumber,
            })
          : '-'}
      </Td>
      <Td dataLabel={t('Last change')}>
        <Timestamp timestamp={row.workUpdated} />
      </Td>
    </Tr>
  );
};
