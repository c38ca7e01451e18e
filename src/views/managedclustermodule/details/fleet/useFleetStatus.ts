import { useMemo } from 'react';
import { type ManagedClusterModule, MCM_NAME_LABEL } from '../../../../utils/model';
import { useFleetWatch } from '../../../../utils/useFleetWatch';
import { buildFleetRows, type FleetRow } from './fleet-rows';

/** Watches the fleet and this MCM's ManifestWorks (in every cluster namespace, by label). */
export const useFleetStatus = (
  mcm: ManagedClusterModule,
): { rows: FleetRow[]; loaded: boolean; loadError: unknown } => {
  const { clusters, works, loaded, loadError } = useFleetWatch({
    matchLabels: { [MCM_NAME_LABEL]: mcm.metadata.name ?? '' },
  });
  const rows = useMemo(
    () => (loaded ? buildFleetRows(mcm, clusters, works) : []),
    [loaded, mcm, clusters, works],
  );
  return { rows, loaded, loadError };
};
