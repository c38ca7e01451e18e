import type * as Real from '@openshift-console/dynamic-plugin-sdk';
import { useEffect } from 'react';

type SDK = typeof Real;

export const DocumentTitle: SDK['DocumentTitle'] = ({ children }) => {
  useEffect(() => {
    document.title = `${children} · kmm-hub console shell`;
  }, [children]);
  return null;
};
