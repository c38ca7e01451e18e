// kmm-hub-controller: the controller's building blocks for programs and suites that run it in-process (the
// integration tests and benchmarks against the sandbox hub). The pure model is `kmm-hub-controller/model`; the
// generic helpers are `kmm-hub-controller/runtime`; the command line is bin/kmm-hub-controller.js.

export { Controller, type ControllerOptions } from './controller';
export type { ControllerConfig, LeaderElectionConfig, LogLevel } from './config';
export { createLogger, type Logger } from './logging';
export { createMetrics, type ControllerMetrics } from './metrics';
export type { ImageQuery, ImageStateAnswer, ImageStates } from './images/image-states';
export {
  MANAGED_CLUSTER_RESOURCE,
  MANIFEST_WORK_RESOURCE,
  MCM_RESOURCE,
  PREFLIGHT_RESOURCE,
  collectionPath,
  type ResourceRef,
} from './kube/resources';
export { Informer, dropManagedFields, type InformerOptions } from './kube/informer';
export { heapEnv, heapFlags, heapSizeMiB, DEFAULT_HEAP_FRACTION } from './heap/heap-size';
export { WriteGate, NotLeaderError } from './kube/write-gate';
export { EventRecorder, type EventInput } from './events/event-recorder';
export { LeaseLeaderElector, AlwaysLeader, type Leadership } from './leader/leader-elector';
export {
  RegistryClient,
  MANIFEST_ACCEPT,
  type RegistryAccess,
  type ManifestAnswer,
} from './images/registry/client';
export { RegistryError, type RegistryErrorKind } from './images/registry/errors';
export { credentialsFor, type RegistryCredentials } from './images/registry/docker-config';
export { startWebhookServer, WEBHOOK_PATH, type WebhookServer } from './webhook/server';
export { reviewManagedClusterModule } from './webhook/review';
