import {
  FormSelect,
  FormSelectOption,
  type PaginationProps,
  SearchInput,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from '@patternfly/react-core';
import { cellStateText } from '../../components/CellStateIcon';
import { TranslatedPagination } from '../../components/TranslatedPagination';
import { CELL_STATE_URGENCY, type CellState } from '../../utils/fleet-status';
import { usePluginTranslation } from '../../utils/i18n';
import type { KernelMatrixFilters } from './useKernelMatrixView';

const PER_PAGE = [25, 50, 100].map((n) => ({ title: String(n), value: n }));

/** The MCM, cluster label and state filters, and the pagination of the rows they select. */
export const KernelMatrixToolbar = ({
  mcms,
  filters,
  pagination,
}: {
  mcms: readonly string[];
  filters: KernelMatrixFilters;
  pagination: Omit<PaginationProps, 'titles'>;
}) => {
  const { t } = usePluginTranslation();
  return (
    <Toolbar>
      <ToolbarContent>
        <ToolbarItem>
          <FormSelect
            aria-label={t('ManagedClusterModule')}
            value={filters.mcm ?? ''}
            onChange={(_e, value) => filters.setMcm(value || undefined)}
          >
            <FormSelectOption value="" label={t('All ManagedClusterModules')} />
            {mcms.map((name) => (
              <FormSelectOption key={name} value={name} label={name} />
            ))}
          </FormSelect>
        </ToolbarItem>
        <ToolbarItem>
          <SearchInput
            aria-label={t('Filter by cluster label')}
            placeholder={t('Cluster label, e.g. region=eu')}
            value={filters.label}
            onChange={(_e, value) => filters.setLabel(value)}
            resetButtonLabel={t('Clear the label filter')}
            onClear={() => filters.setLabel('')}
          />
        </ToolbarItem>
        <ToolbarItem>
          <FormSelect
            aria-label={t('Filter by state')}
            value={filters.state ?? ''}
            onChange={(_e, value) =>
              filters.setState((value || undefined) as CellState | undefined)
            }
          >
            <FormSelectOption value="" label={t('Any state')} />
            {CELL_STATE_URGENCY.map((s) => (
              <FormSelectOption key={s} value={s} label={cellStateText(t, s)} />
            ))}
          </FormSelect>
        </ToolbarItem>
        <ToolbarItem variant="pagination">
          <TranslatedPagination {...pagination} perPageOptions={PER_PAGE} isCompact />
        </ToolbarItem>
      </ToolbarContent>
    </Toolbar>
  );
};
