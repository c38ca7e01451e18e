import { createContext, useContext } from 'react';
import type { ManagedClusterModule } from '../../../utils/model';

// HorizontalNav renders tab components by type; the watched MCM reaches them through this context, so a
// watch update re-renders the open tab without remounting it (filters and pagination keep their state).
export const McmContext = createContext<ManagedClusterModule | undefined>(undefined);

export const useMcm = (): ManagedClusterModule => {
  const mcm = useContext(McmContext);
  if (!mcm) throw new Error('useMcm must be used inside the ManagedClusterModule details page');
  return mcm;
};
