import { Timestamp } from '@openshift-console/dynamic-plugin-sdk';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { usePluginTranslation } from '../utils/i18n';
import type { Condition } from '../utils/model';

export const ConditionsTable = ({ conditions }: { conditions: Condition[] | undefined }) => {
  const { t } = usePluginTranslation();
  if (!conditions?.length) {
    return <p>{t('No conditions reported yet.')}</p>;
  }
  return (
    <Table aria-label={t('Conditions')} variant="compact">
      <Thead>
        <Tr>
          <Th>{t('Type')}</Th>
          <Th>{t('Status')}</Th>
          <Th>{t('Reason')}</Th>
          <Th>{t('Message')}</Th>
          <Th>{t('Updated')}</Th>
        </Tr>
      </Thead>
      <Tbody>
        {conditions.map((c) => (
          <Tr key={c.type}>
            <Td dataLabel={t('Type')}>{c.type}</Td>
            <Td dataLabel={t('Status')}>{c.status}</Td>
            <Td dataLabel={t('Reason')}>{c.reason ?? '-'}</Td>
            <Td dataLabel={t('Message')}>{c.message ?? '-'}</Td>
            <Td dataLabel={t('Updated')}>
              <Timestamp timestamp={c.lastTransitionTime} />
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
