import {
  isPerspective,
  type Perspective,
  useResolvedExtensions,
} from '@openshift-console/dynamic-plugin-sdk';

/** The id of ACM's Fleet Management perspective, where this plugin also adds its navigation items. */
export const ACM_PERSPECTIVE = 'acm';

/**
 * Whether the console has ACM's cluster pages (/multicloud/infrastructure/clusters/...). They come from the
 * MCE console plugin, which ACM installs (and multicluster engine alone does too); that same plugin defines the
 * `acm` perspective, so the perspective's presence is what says the pages are there. Not a console flag: neither
 * ACM's nor MCE's plugin sets one for its presence (their flags switch features on, e.g.
 * ACM_ACCESS_CONTROL_MANAGEMENT, and are unset on a default install), and a `console.flag/model` on an ACM API
 * would tell that the API exists, not that its console plugin is enabled. The console itself sends users on an
 * `acm` route to that perspective, so links work from the admin perspective too.
 */
export const useAcmClusterPages = (): boolean => {
  // Until resolution completes the list is empty: links start as resource links and switch once, early.
  const [perspectives] = useResolvedExtensions<Perspective>(isPerspective);
  return perspectives.some((p) => p.properties.id === ACM_PERSPECTIVE);
};
