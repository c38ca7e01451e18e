// kmm-hub-controller/runtime: the generic helpers the controller is built from that other workspaces reuse
// (the sandbox fleet, benchmarks, tests), so that each exists once. Nothing here knows about MCMs.

export { mapLimit, settleAll } from './concurrency';
export { isTransient, withRetry } from './retry';
export { PerKeyBackoff, exponentialDelay } from '../queue/backoff';
export { WorkQueue, type Processor } from '../queue/work-queue';
export { PooledKubeConfig } from '../kube/pooled-kubeconfig';
export { loadKubeConfig } from '../kube/kubeconfig';
export { apiFailure, isConflict, isGone, isNotFound, type ApiFailure } from '../kube/api-errors';
