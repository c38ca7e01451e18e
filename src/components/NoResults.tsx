import {
  Button,
  EmptyState,
  EmptyStateActions,
  EmptyStateBody,
  EmptyStateFooter,
} from '@patternfly/react-core';
import { SearchIcon } from '@patternfly/react-icons';
import { usePluginTranslation } from '../utils/i18n';

/**
 * PatternFly's "no results" empty state, for filters that match nothing: it says so where the rows would be and
 * offers the way back, so the user does not have to find which of several filters emptied the list.
 */
export const NoResults = ({
  message,
  onClearFilters,
}: {
  /** what matches nothing, e.g. "No cluster matches the filters." */
  message: string;
  onClearFilters: () => void;
}) => {
  const { t } = usePluginTranslation();
  return (
    <EmptyState titleText={t('No results found')} headingLevel="h2" icon={SearchIcon}>
      <EmptyStateBody>{message}</EmptyStateBody>
      <EmptyStateFooter>
        <EmptyStateActions>
          <Button variant="link" onClick={onClearFilters}>
            {t('Clear all filters')}
          </Button>
        </EmptyStateActions>
      </EmptyStateFooter>
    </EmptyState>
  );
};
