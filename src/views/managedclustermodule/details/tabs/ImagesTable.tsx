import { Timestamp } from '@openshift-console/dynamic-plugin-sdk';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { usePluginTranslation } from '../../../../utils/i18n';
import { ImageStateLabel } from '../../../../components/ImageStateLabel';
import type { ImageStatus } from '../../../../utils/model';

/** status.images as the controller reports them: one row per distinct image of this MCM. */
export const ImagesTable = ({ images }: { images: ImageStatus[] | undefined }) => {
  const { t } = usePluginTranslation();
  if (!images?.length) {
    return <p>{t('The controller has not reported any image yet.')}</p>;
  }
  return (
    <Table aria-label={t('Images')} variant="compact">
      <Thead>
        <Tr>
          <Th>{t('Image')}</Th>
          <Th>{t('Kernels')}</Th>
          <Th modifier="fitContent">{t('Clusters')}</Th>
          <Th modifier="fitContent">{t('State')}</Th>
          <Th modifier="wrap">{t('Build / sign')}</Th>
          <Th>{t('Message')}</Th>
          <Th modifier="wrap">{t('Updated')}</Th>
        </Tr>
      </Thead>
      <Tbody>
        {images.map((image) => (
          <Tr key={image.image}>
            <Td dataLabel={t('Image')} modifier="breakWord">
              {image.image}
              {image.digest ? <div>{image.digest}</div> : null}
            </Td>
            <Td dataLabel={t('Kernels')}>{image.kernelVersions.join(', ')}</Td>
            <Td dataLabel={t('Clusters')}>{image.clusters}</Td>
            <Td dataLabel={t('State')}>
              <ImageStateLabel state={image.state} />
            </Td>
            <Td dataLabel={t('Build / sign')}>
              {[image.build ? t('build') : null, image.sign ? t('sign') : null]
                .filter(Boolean)
                .join(', ') || '-'}
            </Td>
            <Td dataLabel={t('Message')}>
              {image.reason ? `${image.reason}: ` : ''}
              {image.message ?? ''}
            </Td>
            <Td dataLabel={t('Updated')}>
              <Timestamp timestamp={image.lastTransitionTime} />
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
