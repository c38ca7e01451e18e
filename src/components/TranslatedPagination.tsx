import { Pagination, type PaginationProps } from '@patternfly/react-core';
import { usePluginTranslation } from '../utils/i18n';

/** PatternFly's Pagination with every built-in English title translated. */
export const TranslatedPagination = (props: Omit<PaginationProps, 'titles'>) => {
  const { t } = usePluginTranslation();
  return (
    <Pagination
      {...props}
      titles={{
        currPageAriaLabel: t('Current page'),
        items: t('items'),
        itemsPerPage: t('Items per page'),
        ofWord: t('of'),
        optionsToggleAriaLabel: t('Items per page'),
        page: t('page'),
        pages: t('pages'),
        paginationAriaLabel: t('Pagination'),
        perPageSuffix: t('per page'),
        toFirstPageAriaLabel: t('Go to first page'),
        toLastPageAriaLabel: t('Go to last page'),
        toNextPageAriaLabel: t('Go to next page'),
        toPreviousPageAriaLabel: t('Go to previous page'),
      }}
    />
  );
};
