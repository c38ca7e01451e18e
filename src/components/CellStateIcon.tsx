import { Icon } from '@patternfly/react-core';
import {
  BanIcon,
  CheckCircleIcon,
  ExclamationCircleIcon,
  HourglassHalfIcon,
  InProgressIcon,
  QuestionCircleIcon,
  SyncAltIcon,
} from '@patternfly/react-icons';
import type { ComponentType } from 'react';
import type { CellState } from '../utils/fleet-status';
import type { PluginT } from '../utils/i18n';

export const cellStateText = (t: PluginT, state: CellState): string => {
  switch (state) {
    case 'loaded':
      return t('Loaded');
    case 'applied':
      return t('Applied, not loaded on every node yet');
    case 'pending':
      return t('Image ready, rollout pending');
    case 'waiting':
      return t('Waiting for build or sign');
    case 'noMapping':
      return t('No kernel mapping');
    case 'noClaim':
      return t('Cluster has no kernel claim');
    case 'failed':
      return t('Failed');
  }
};

export const cellStateShortText = (t: PluginT, state: CellState): string => {
  switch (state) {
    case 'loaded':
      return t('Loaded');
    case 'applied':
      return t('Applied');
    case 'pending':
      return t('Pending');
    case 'waiting':
      return t('Waiting');
    case 'noMapping':
      return t('No mapping');
    case 'noClaim':
      return t('No claim');
    case 'failed':
      return t('Failed');
  }
};

const LOOK: Record<
  CellState,
  { icon: ComponentType; status?: 'success' | 'danger' | 'warning' | 'info' | 'custom' }
> = {
  loaded: { icon: CheckCircleIcon, status: 'success' },
  applied: { icon: InProgressIcon, status: 'info' },
  pending: { icon: SyncAltIcon, status: 'info' },
  waiting: { icon: HourglassHalfIcon, status: 'custom' },
  noMapping: { icon: BanIcon, status: 'warning' },
  noClaim: { icon: QuestionCircleIcon },
  failed: { icon: ExclamationCircleIcon, status: 'danger' },
};

/**
 * The state's icon in its PatternFly status colour. With a label, the label is its accessible name; without,
 * it is decoration next to text that says the same.
 */
export const CellStateIcon = ({ state, label }: { state: CellState; label?: string }) => {
  const { icon: StateIcon, status } = LOOK[state];
  const a11y = label ? { role: 'img', 'aria-label': label } : { 'aria-hidden': true };
  return (
    <Icon status={status} isInline {...a11y}>
      <StateIcon />
    </Icon>
  );
};
