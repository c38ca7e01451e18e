import { ResourceIcon, ResourceLink } from '@openshift-console/dynamic-plugin-sdk';
import { Link } from 'react-router';
import { acmClusterPath, MANAGED_CLUSTER_GVK } from '../utils/k8s';

/**
 * A ManagedCluster's name, linking to ACM's page of the cluster when the console has it (`acm`, from
 * useAcmClusterPages, asked once per table rather than once per row): ACM's page shows the cluster's nodes,
 * add-ons and status, where the resource page only has the raw object. Otherwise the console's resource page.
 */
export const ManagedClusterLink = ({ name, acm }: { name: string; acm: boolean }) =>
  acm ? (
    <span>
      <ResourceIcon groupVersionKind={MANAGED_CLUSTER_GVK} />
      <Link to={acmClusterPath(name)}>{name}</Link>
    </span>
  ) : (
    <ResourceLink groupVersionKind={MANAGED_CLUSTER_GVK} name={name} />
  );
