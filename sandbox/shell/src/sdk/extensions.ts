// The SDK's extension queries over the shell's PluginStore. Only what loaded plugins declare is answered: the
// shell's own Fleet Management perspective stands in for ACM's navigation, not for the MCE plugin's cluster
// pages, so it is not a `console.perspective` extension here, and the plugin links clusters to their resource
// pages, as it would in a console without ACM.
import type * as Real from '@openshift-console/dynamic-plugin-sdk';
import {
  useResolvedExtensions as useStoreResolvedExtensions,
  type Extension,
  type ExtensionPredicate,
} from '@openshift/dynamic-plugin-sdk';
import { useCallback } from 'react';

type SDK = typeof Real;

export const isPerspective: SDK['isPerspective'] = (e): e is Real.Perspective =>
  e.type === 'console.perspective';

export const useResolvedExtensions: SDK['useResolvedExtensions'] = <E extends Extension>(
  ...typeGuards: ExtensionPredicate<E>[]
) => {
  const predicate = useCallback(
    (e: Extension): e is E => typeGuards.some((guard) => guard(e)),
    // The guards are module-level functions (isPerspective, ...): the same identities on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    typeGuards,
  );
  const [extensions, resolved, errors] = useStoreResolvedExtensions(predicate);
  return [extensions, resolved, errors];
};
