// The console's perspectives the shell offers, and the navigation sections each defines.
import { createContext, useContext } from 'react';

export interface Perspective {
  id: string;
  name: string;
  sections: { id: string; name: string }[];
  /** the shell's own items, standing in for the console's and other plugins' */
  builtins: { id: string; section: string; name: string; href: string }[];
}

export const PERSPECTIVES: Perspective[] = [
  {
    id: 'admin',
    name: 'Administrator',
    sections: [
      { id: 'home', name: 'Home' },
      { id: 'operators', name: 'Operators' },
    ],
    builtins: [{ id: 'overview', section: 'home', name: 'Overview', href: '/' }],
  },
  {
    // Defined by ACM's and MCE's own plugins in a real console.
    id: 'acm',
    name: 'Fleet Management',
    sections: [{ id: 'mce-infrastructure', name: 'Infrastructure' }],
    builtins: [
      {
        id: 'mce-clusters',
        section: 'mce-infrastructure',
        name: 'Clusters',
        href: '/k8s/cluster/cluster.open-cluster-management.io~v1~ManagedCluster',
      },
    ],
  },
];

export const PerspectiveContext = createContext<{ id: string; set: (id: string) => void }>({
  id: 'admin',
  set: () => undefined,
});

export const usePerspective = () => useContext(PerspectiveContext);
