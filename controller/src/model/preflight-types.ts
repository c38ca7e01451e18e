import { MCM_GROUP } from './constants';
import type { Condition, KubeObject, ObjectMeta, PreflightState } from './types';

// The KernelPreflight API: kernels a platform team expects the fleet to run soon (the RHCOS kernel of the next
// OpenShift release, say), so that every MCM's image for them is built and signed before any spoke upgrades.

export const PREFLIGHT_VERSION = 'v1alpha1';
export const PREFLIGHT_KIND = 'KernelPreflight';
export const PREFLIGHT_PLURAL = 'kernelpreflights';
export const PREFLIGHT_API_VERSION = `${MCM_GROUP}/${PREFLIGHT_VERSION}` as const;

/** The condition on an MCM that says whether its images for every upcoming kernel are ready. */
export const PREFLIGHT_READY = 'PreflightReady';

/** At most this many kernels per KernelPreflight (the CRD's maxItems): each costs a check and maybe a build. */
export const MAX_UPCOMING_KERNELS = 64;

/** One kernel declared as upcoming. */
export interface UpcomingKernel {
  /** the full kernel version as spokes will report it (uname -r), e.g. 5.14.0-570.19.1.el9_6.x86_64 */
  version: string;
  /** a label for people, e.g. "OpenShift 4.19.3" */
  release?: string;
}

/** Every PreflightState, in the order the CRD lists them. */
export const PREFLIGHT_STATES: readonly PreflightState[] = [
  'Ready',
  'Waiting',
  'Building',
  'Signing',
  'Missing',
  'Failed',
  'Unknown',
  'NoMapping',
  'MappingError',
];

/** One MCM's state for one kernel in a KernelPreflight's summary. */
export interface PreflightModuleStatus {
  name: string;
  /** Pending: the MCM has not reported on this kernel yet */
  state: PreflightState | 'Pending';
  image?: string;
  message?: string;
}

/** A KernelPreflight's status.kernels entry: every MCM's state for one declared kernel. */
export interface PreflightKernelSummary {
  version: string;
  release?: string;
  /** MCMs whose image for the kernel is Ready */
  ready: number;
  /** MCMs whose image is still being checked, built or signed (or that have not reported yet) */
  inProgress: number;
  /** MCMs that cannot load on the kernel as they are: no mapping, a mapping error, a failed or missing image */
  failed: number;
  /** every MCM with a module loader, sorted by name */
  modules: PreflightModuleStatus[];
}

export interface KernelPreflightStatus {
  observedGeneration?: number;
  /** Ready: every MCM has a Ready image for every declared kernel */
  conditions?: Condition[];
  kernels?: PreflightKernelSummary[];
}

export interface KernelPreflightSpec {
  kernels: UpcomingKernel[];
}

export interface KernelPreflight extends KubeObject {
  apiVersion: typeof PREFLIGHT_API_VERSION;
  kind: typeof PREFLIGHT_KIND;
  metadata: ObjectMeta;
  spec: KernelPreflightSpec;
  status?: KernelPreflightStatus;
}
