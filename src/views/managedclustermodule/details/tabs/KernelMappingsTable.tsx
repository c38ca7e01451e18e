import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { usePluginTranslation } from '../../../../utils/i18n';
import type { ModuleLoaderContainerSpec } from '../../../../utils/model';

/**
 * The mappings as written, in the order they are tried. A mapping without its own image uses the
 * container-level default image, shown as such.
 */
export const KernelMappingsTable = ({
  container,
}: {
  container: ModuleLoaderContainerSpec | undefined;
}) => {
  const { t } = usePluginTranslation();
  // The details page also shows invalid MCMs (with their validation problems): trust no shape here.
  const mappings = Array.isArray(container?.kernelMappings) ? container.kernelMappings : [];
  if (mappings.length === 0) {
    return <p>{t('No kernel mappings: this ManagedClusterModule only runs a device plugin.')}</p>;
  }
  return (
    <Table aria-label={t('Kernel mappings')} variant="compact">
      <Thead>
        <Tr>
          <Th>{t('Order')}</Th>
          <Th>{t('Kernel match')}</Th>
          <Th>{t('Image')}</Th>
          <Th>{t('Build')}</Th>
          <Th>{t('Sign')}</Th>
        </Tr>
      </Thead>
      <Tbody>
        {mappings.map((m, i) => (
          <Tr key={i}>
            <Td dataLabel={t('Order')}>{i + 1}</Td>
            <Td dataLabel={t('Kernel match')}>
              {m.literal !== undefined
                ? t('equals {{kernel}}', { kernel: m.literal })
                : t('matches {{regexp}}', { regexp: m.regexp ?? '' })}
            </Td>
            <Td dataLabel={t('Image')}>
              {m.containerImage ||
                t('{{image}} (default image)', { image: container?.containerImage ?? '-' })}
            </Td>
            <Td dataLabel={t('Build')}>{m.build || container?.build ? t('Yes') : t('No')}</Td>
            <Td dataLabel={t('Sign')}>{m.sign || container?.sign ? t('Yes') : t('No')}</Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
