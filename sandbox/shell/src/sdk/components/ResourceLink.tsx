import type * as Real from '@openshift-console/dynamic-plugin-sdk';
import { Label } from '@patternfly/react-core';
import { Link } from 'react-router';
import { gvkOf, modelFor, referenceOf } from '../models';

type SDK = typeof Real;

/** The console's resource page URL: `/k8s/cluster/<ref>/<name>` or `/k8s/ns/<ns>/<ref>/<name>`. */
export function resourcePath(ref: string, name?: string, namespace?: string): string {
  const base = namespace ? `/k8s/ns/${namespace}/${ref}` : `/k8s/cluster/${ref}`;
  return name ? `${base}/${encodeURIComponent(name)}` : base;
}

const refFor = (props: { groupVersionKind?: Real.K8sGroupVersionKind; kind?: string }) => {
  const model = modelFor(props.groupVersionKind ?? props.kind);
  if (model) return referenceOf(gvkOf(model));
  return props.groupVersionKind ? referenceOf(props.groupVersionKind) : (props.kind ?? '');
};

export const ResourceIcon: SDK['ResourceIcon'] = ({ groupVersionKind, kind, className }) => {
  const model = modelFor(groupVersionKind ?? kind);
  const abbr = model?.abbr ?? (groupVersionKind?.kind ?? kind ?? '?').slice(0, 2).toUpperCase();
  return (
    <Label
      isCompact
      color="purple"
      className={className}
      title={model?.kind ?? groupVersionKind?.kind ?? kind}
    >
      {abbr}
    </Label>
  );
};

export const ResourceLink: SDK['ResourceLink'] = (props) => {
  const {
    name,
    namespace,
    displayName,
    hideIcon,
    linkTo = true,
    className,
    dataTest,
    children,
    onClick,
  } = props;
  const ref = refFor(props);
  const text = displayName ?? name;
  return (
    <span className={className} data-test={dataTest}>
      {hideIcon ? null : (
        <ResourceIcon groupVersionKind={props.groupVersionKind} kind={props.kind} />
      )}{' '}
      {linkTo && name ? (
        <Link to={resourcePath(ref, name, namespace)} onClick={onClick}>
          {text}
        </Link>
      ) : (
        <span>{text}</span>
      )}
      {props.nameSuffix}
      {children}
    </span>
  );
};
