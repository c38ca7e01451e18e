import { Label, type LabelProps } from '@patternfly/react-core';
import {
  CheckCircleIcon,
  ExclamationCircleIcon,
  HourglassHalfIcon,
  InProgressIcon,
  QuestionCircleIcon,
} from '@patternfly/react-icons';
import type { ReactNode } from 'react';
import { type PluginT, usePluginTranslation } from '../utils/i18n';
import type { ImageState } from '../utils/model';

export const imageStateText = (t: PluginT, state: ImageState): string => {
  switch (state) {
    case 'Ready':
      return t('Ready');
    case 'Waiting':
      return t('Waiting');
    case 'Building':
      return t('Building');
    case 'Signing':
      return t('Signing');
    case 'Missing':
      return t('Missing');
    case 'Failed':
      return t('Failed');
    case 'Unknown':
      return t('Unknown');
  }
};

const look: Record<ImageState, { color: LabelProps['color']; icon: ReactNode }> = {
  Ready: { color: 'green', icon: <CheckCircleIcon /> },
  Waiting: { color: 'grey', icon: <HourglassHalfIcon /> },
  Building: { color: 'blue', icon: <InProgressIcon /> },
  Signing: { color: 'blue', icon: <InProgressIcon /> },
  Missing: { color: 'red', icon: <ExclamationCircleIcon /> },
  Failed: { color: 'red', icon: <ExclamationCircleIcon /> },
  Unknown: { color: 'grey', icon: <QuestionCircleIcon /> },
};

export const ImageStateLabel = ({ state, count }: { state: ImageState; count?: number }) => {
  const { t } = usePluginTranslation();
  const text = imageStateText(t, state);
  return (
    <Label isCompact color={look[state].color} icon={look[state].icon}>
      {count === undefined ? text : `${count} ${text}`}
    </Label>
  );
};
