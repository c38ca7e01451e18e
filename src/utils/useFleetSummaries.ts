import { useK8sWatchResource } from '@openshift-console/dynamic-plugin-sdk';
import { useMemo } from 'react';
import { FLEET_SUMMARY_GVK } from './k8s';
import {
  decodeFleetSummary,
  type FleetClusterFacts,
  type ManagedClusterModuleFleetSummary,
} from './model';

const NO_SUMMARIES: ManagedClusterModuleFleetSummary[] = [];

const isNotFound = (error: unknown): boolean => {
  const e = error as { code?: number; json?: { code?: number }; response?: { status?: number } };
  return e?.code === 404 || e?.json?.code === 404 || e?.response?.status === 404;
};

/**
 * One MCM's fleet summary, decoded: one row per cluster it selects. The controller writes the summary after its
 * first reconcile of the MCM; until then `published` is false (not an error: a new MCM has none yet).
 */
export const useFleetSummary = (
  name: string,
): { facts: FleetClusterFacts[]; published: boolean; loaded: boolean; loadError: unknown } => {
  const [summary, loaded, error] = useK8sWatchResource<ManagedClusterModuleFleetSummary>({
    groupVersionKind: FLEET_SUMMARY_GVK,
    name,
  });
  const missing = isNotFound(error);
  const facts = useMemo(
    () => (summary?.fleet && !missing ? decodeFleetSummary(summary.fleet) : []),
    [summary, missing],
  );
  return {
    facts,
    published: !!summary?.fleet && !missing,
    loaded: loaded || missing,
    loadError: missing ? undefined : error,
  };
};

/** Every MCM's fleet summary (the kernel matrix), as the watch returns the list. */
export const useFleetSummaries = (): {
  summaries: ManagedClusterModuleFleetSummary[];
  loaded: boolean;
  loadError: unknown;
} => {
  const [summaries, loaded, loadError] = useK8sWatchResource<ManagedClusterModuleFleetSummary[]>({
    groupVersionKind: FLEET_SUMMARY_GVK,
    isList: true,
  });
  return { summaries: summaries ?? NO_SUMMARIES, loaded, loadError };
};
