import { ResourceLink, Timestamp } from '@openshift-console/dynamic-plugin-sdk';
import { Table, Tbody, Td, Th, Thead, Tr, type ThProps } from '@patternfly/react-table';
import { usePluginTranslation } from '../../../utils/i18n';
import { ActionsMenu } from '../../../components/ActionsMenu';
import { ReadyStatus } from '../../../components/ReadyStatus';
import { SelectorLabels } from '../../../components/SelectorLabels';
import { MCM_GVK } from '../../../utils/k8s';
import type { ManagedClusterModule } from '../../../utils/model';
import { useManagedClusterModuleActions } from '../hooks/useManagedClusterModuleActions';
import { ImageStatesSummary } from './ImageStatesSummary';
import type { SortColumn } from './sort';

// Short numeric columns keep their full header instead of being truncated by the table layout.
const NUMERIC: ReadonlySet<string> = new Set(['selected', 'applied', 'degraded']);

type Sort = { column: SortColumn; direction: 'asc' | 'desc' };

const RowActions = ({ mcm }: { mcm: ManagedClusterModule }) => {
  const { t } = usePluginTranslation();
  const [actions] = useManagedClusterModuleActions(mcm);
  return (
    <ActionsMenu
      actions={actions}
      variant="kebab"
      label={t('Actions for {{name}}', { name: mcm.metadata.name })}
    />
  );
};

export const ManagedClusterModuleTable = ({
  mcms,
  sort,
  onSort,
}: {
  mcms: ManagedClusterModule[];
  sort: Sort;
  onSort: (sort: Sort) => void;
}) => {
  const { t } = usePluginTranslation();
  const columns: { id: SortColumn | 'selector' | 'images'; title: string }[] = [
    { id: 'name', title: t('Name') },
    { id: 'selector', title: t('Cluster selector') },
    { id: 'spokeNamespace', title: t('Spoke namespace') },
    { id: 'selected', title: t('Selected') },
    { id: 'applied', title: t('Applied') },
    { id: 'degraded', title: t('Degraded') },
    { id: 'images', title: t('Images') },
    { id: 'ready', title: t('Ready') },
    { id: 'age', title: t('Created') },
  ];
  const sortable = (column: SortColumn): ThProps['sort'] => {
    const index = columns.findIndex((c) => c.id === column);
    return {
      columnIndex: index,
      sortBy: {
        index: columns.findIndex((c) => c.id === sort.column),
        direction: sort.direction,
      },
      onSort: (_event, _index, direction) => onSort({ column, direction }),
    };
  };
  const isSortable = (id: string): id is SortColumn => id !== 'selector' && id !== 'images';

  return (
    <Table aria-label={t('ManagedClusterModules')} variant="compact">
      <Thead>
        <Tr>
          {columns.map((c) => (
            <Th
              key={c.id}
              sort={isSortable(c.id) ? sortable(c.id) : undefined}
              modifier={NUMERIC.has(c.id) ? 'fitContent' : 'wrap'}
            >
              {c.title}
            </Th>
          ))}
          <Th screenReaderText={t('Actions')} />
        </Tr>
      </Thead>
      <Tbody>
        {mcms.map((mcm) => (
          <Tr key={mcm.metadata.uid ?? mcm.metadata.name}>
            <Td dataLabel={t('Name')} modifier="nowrap">
              <ResourceLink groupVersionKind={MCM_GVK} name={mcm.metadata.name} />
            </Td>
            <Td dataLabel={t('Cluster selector')}>
              <SelectorLabels selector={mcm.spec?.selector} label={t('Cluster selector')} />
            </Td>
            <Td dataLabel={t('Spoke namespace')}>{mcm.spec?.spokeNamespace}</Td>
            <Td dataLabel={t('Selected')}>{mcm.status?.numberDesired ?? 0}</Td>
            <Td dataLabel={t('Applied')}>{mcm.status?.numberApplied ?? 0}</Td>
            <Td dataLabel={t('Degraded')}>{mcm.status?.numberDegraded ?? 0}</Td>
            <Td dataLabel={t('Images')}>
              <ImageStatesSummary images={mcm.status?.images} />
            </Td>
            <Td dataLabel={t('Ready')}>
              <ReadyStatus mcm={mcm} />
            </Td>
            <Td dataLabel={t('Created')}>
              <Timestamp timestamp={mcm.metadata.creationTimestamp} />
            </Td>
            <Td isActionCell>
              <RowActions mcm={mcm} />
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
