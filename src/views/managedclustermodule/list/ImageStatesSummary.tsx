import { LabelGroup } from '@patternfly/react-core';
import { usePluginTranslation } from '../../../utils/i18n';
import { ImageStateLabel } from '../../../components/ImageStateLabel';
import type { ImageState, ImageStatus } from '../../../utils/model';

const ORDER: ImageState[] = [
  'Failed',
  'Missing',
  'Building',
  'Signing',
  'Waiting',
  'Unknown',
  'Ready',
];

/** How many of the MCM's images are in each state, problems first. */
export const ImageStatesSummary = ({ images }: { images: ImageStatus[] | undefined }) => {
  const { t } = usePluginTranslation();
  if (!images?.length) return <>-</>;
  const counts = new Map<ImageState, number>();
  for (const image of images) counts.set(image.state, (counts.get(image.state) ?? 0) + 1);
  return (
    <LabelGroup aria-label={t('Image states')} numLabels={ORDER.length}>
      {ORDER.filter((state) => counts.has(state)).map((state) => (
        <ImageStateLabel key={state} state={state} count={counts.get(state)} />
      ))}
    </LabelGroup>
  );
};
