// Console perspectives as useResolvedExtensions returns them: ACM's Fleet Management perspective (defined by the
// MCE console plugin, with the cluster pages) and the developer perspective of a console without ACM.
import type { Perspective, ResolvedExtension } from '@openshift-console/dynamic-plugin-sdk';

const perspective = (
  pluginName: string,
  id: string,
  name: string,
): ResolvedExtension<Perspective> => ({
  type: 'console.perspective',
  pluginName,
  uid: `${pluginName}-${id}`,
  properties: {
    id,
    name,
    icon: null,
    landingPageURL: () => '/',
    importRedirectURL: (namespace) => `/k8s/cluster/projects/${namespace}`,
  },
});

export const fleetManagementPerspective = perspective('mce', 'acm', 'Fleet Management');
export const developerPerspective = perspective('console', 'dev', 'Developer');
