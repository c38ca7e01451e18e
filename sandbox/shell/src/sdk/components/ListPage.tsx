import type * as Real from '@openshift-console/dynamic-plugin-sdk';
import {
  Button,
  PageSection,
  SearchInput,
  Title,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from '@patternfly/react-core';
import { type ReactNode, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useAccessReview } from '../hooks';
import { gvkOf, modelFor, referenceOf } from '../models';
import { resourcePath } from './ResourceLink';

type SDK = typeof Real;

export const ListPageHeader: SDK['ListPageHeader'] = ({ title, helpText, badge, children }) => (
  <PageSection>
    <div className="pf-v6-u-display-flex pf-v6-u-justify-content-space-between pf-v6-u-align-items-center">
      <Title headingLevel="h1">
        {title} {badge}
      </Title>
      <div>{children}</div>
    </div>
    {helpText ? <p className="pf-v6-u-mt-sm">{helpText}</p> : null}
  </PageSection>
);

export const ListPageBody: SDK['ListPageBody'] = ({ children }) => (
  <PageSection>{children}</PageSection>
);

const CreateLink = ({ to, children }: { to: string; children?: ReactNode }) => (
  <Button variant="primary" component={(props: object) => <Link {...props} to={to} />}>
    {children}
  </Button>
);

const CreateIfAllowed = ({
  model,
  to,
  children,
}: {
  model: Real.K8sModel;
  to: string;
  children?: ReactNode;
}) => {
  const [allowed, loading] = useAccessReview({
    group: model.apiGroup ?? '',
    resource: model.plural,
    verb: 'create',
  });
  return loading || !allowed ? null : <CreateLink to={to}>{children}</CreateLink>;
};

/** With `createAccessReview`, shown only to users the API server allows to create. */
export const ListPageCreate: SDK['ListPageCreate'] = ({
  groupVersionKind,
  createAccessReview,
  children,
}) => {
  const model = modelFor(groupVersionKind);
  const ref = model
    ? referenceOf(gvkOf(model))
    : typeof groupVersionKind === 'string'
      ? groupVersionKind
      : referenceOf(groupVersionKind);
  const to = `${resourcePath(ref)}/~new`;
  if (createAccessReview && model) {
    return (
      <CreateIfAllowed model={model} to={to}>
        {children}
      </CreateIfAllowed>
    );
  }
  return <CreateLink to={to}>{children}</CreateLink>;
};

/** The console's name and label filters: `name` (substring) and `labels` (every `key=value`). */
export const ListPageFilter: SDK['ListPageFilter'] = ({
  onFilterChange,
  hideNameLabelFilters,
  hideLabelFilter,
  nameFilterPlaceholder,
  labelFilterPlaceholder,
}) => {
  const [name, setName] = useState('');
  const [labels, setLabels] = useState('');
  if (hideNameLabelFilters) return null;
  return (
    <Toolbar>
      <ToolbarContent>
        <ToolbarItem>
          <SearchInput
            aria-label="Filter by name"
            placeholder={nameFilterPlaceholder ?? 'Filter by name...'}
            value={name}
            onChange={(_e, value) => {
              setName(value);
              onFilterChange('name', { selected: [value] });
            }}
            onClear={() => {
              setName('');
              onFilterChange('name', { selected: [] });
            }}
          />
        </ToolbarItem>
        {hideLabelFilter ? null : (
          <ToolbarItem>
            <SearchInput
              aria-label="Filter by label"
              placeholder={labelFilterPlaceholder ?? 'app=frontend'}
              value={labels}
              onChange={(_e, value) => {
                setLabels(value);
                const all = value
                  .split(',')
                  .map((l) => l.trim())
                  .filter(Boolean);
                onFilterChange('labels', { all });
              }}
              onClear={() => {
                setLabels('');
                onFilterChange('labels', { all: [] });
              }}
            />
          </ToolbarItem>
        )}
      </ToolbarContent>
    </Toolbar>
  );
};

type Filters = Record<string, Real.FilterValue>;

function matches(item: unknown, filters: Filters, rowFilters: Real.AnyRowFilter[]): boolean {
  const meta = (item as Real.K8sResourceCommon).metadata;
  const name = filters.name?.selected?.[0] ?? '';
  if (name && !(meta?.name ?? '').toLowerCase().includes(name.toLowerCase())) return false;
  const own = meta?.labels ?? {};
  for (const label of filters.labels?.all ?? []) {
    const [k = '', v] = label.split('=');
    if (v === undefined ? !(k in own) : own[k] !== v) return false;
  }
  for (const rf of rowFilters) {
    const value = filters[rf.type];
    if (!value) continue;
    if ('items' in rf && (value.selected?.length ?? 0) === 0) continue;
    if (!rf.filter(value, item)) return false;
  }
  return true;
}

export const useListPageFilter: SDK['useListPageFilter'] = <D, R>(
  data: D[],
  rowFilters: Real.AnyRowFilter<R>[] = [],
  staticFilters: Filters = {},
) => {
  const [filters, setFilters] = useState<Filters>({});
  const filtered = useMemo(() => {
    const all = { ...filters, ...staticFilters };
    return data.filter((item) => matches(item, all, rowFilters as Real.AnyRowFilter[]));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- row filters are passed inline by pages
  }, [data, filters]);
  const onFilterChange = (type: string, value: Real.FilterValue) =>
    setFilters((f) => ({ ...f, [type]: value }));
  return [data, filtered, onFilterChange];
};
