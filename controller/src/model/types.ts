// The API objects kmm-hub reads and writes, typed as far as kmm-hub looks into them. Field names follow the
// upstream CRDs (KMM hub.kmm.sigs.x-k8s.io and kmm.sigs.x-k8s.io, OCM cluster/work) exactly; anything not
// typed here is carried through untouched (index signatures where the upstream schema is open).

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

/** metav1.Condition */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

export interface LocalObjectReference {
  name: string;
}

export interface TLSOptions {
  insecure?: boolean;
  insecureSkipTLSVerify?: boolean;
}

export interface BuildArg {
  name: string;
  value: string;
}

export interface Build {
  dockerfileConfigMap: LocalObjectReference;
  buildArgs?: BuildArg[];
  secrets?: LocalObjectReference[];
  baseImageRegistryTLS?: TLSOptions;
  kanikoParams?: { tag?: string };
  selector?: Record<string, string>;
}

export interface Sign {
  keySecret: LocalObjectReference;
  certSecret: LocalObjectReference;
  unsignedImage?: string;
  unsignedImageRegistryTLS?: TLSOptions;
  filesToSign?: string[];
}

export interface KernelMapping {
  literal?: string;
  regexp?: string;
  containerImage?: string;
  build?: Build;
  sign?: Sign;
  registryTLS?: TLSOptions;
  inTreeModulesToRemove?: string[];
  /** deprecated upstream, still accepted */
  inTreeModuleToRemove?: string;
}

/** Both lists are optional in the CRD (`args` may carry only one of them); `rawArgs` needs both (validation). */
export interface ModprobeArgs {
  load?: string[];
  unload?: string[];
}

export interface ModprobeSpec {
  moduleName?: string;
  dirName?: string;
  parameters?: string[];
  args?: ModprobeArgs;
  rawArgs?: ModprobeArgs;
  firmwarePath?: string;
  modulesLoadingOrder?: string[];
}

export interface ModuleLoaderContainerSpec {
  modprobe: ModprobeSpec;
  kernelMappings: KernelMapping[];
  containerImage?: string;
  imagePullPolicy?: string;
  build?: Build;
  sign?: Sign;
  registryTLS?: TLSOptions;
  version?: string;
  inTreeModulesToRemove?: string[];
  /** deprecated upstream, still accepted */
  inTreeModuleToRemove?: string;
}

export interface ModuleLoaderSpec {
  container: ModuleLoaderContainerSpec;
  serviceAccountName?: string;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export interface HostPathVolume {
  name: string;
  hostPath?: { path: string; type?: string };
  [field: string]: unknown;
}

/** devicePlugin and dra: a container plus volumes; the rest is passed through unchanged. */
export interface PluginSpec {
  container: { image: string; [field: string]: unknown };
  initContainer?: { image: string; [field: string]: unknown };
  volumes?: HostPathVolume[];
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  [field: string]: unknown;
}

/** One DeviceClass the DRA driver publishes; its `config` and `selectors` are passed through unchanged. */
export interface DRADeviceClass {
  name: string;
  config?: unknown[];
  selectors?: unknown[];
}

export interface DRASpec extends PluginSpec {
  driverName: string;
  deviceClasses?: DRADeviceClass[];
}

export interface ModuleSpec {
  selector: Record<string, string>;
  moduleLoader?: ModuleLoaderSpec;
  devicePlugin?: PluginSpec;
  dra?: DRASpec;
  imageRepoSecret?: LocalObjectReference;
  tolerations?: Toleration[];
  imageRebuildTriggerGeneration?: number;
}

export interface Module extends KubeObject {
  apiVersion: 'kmm.sigs.x-k8s.io/v1beta1';
  kind: 'Module';
  spec: ModuleSpec;
}

// ---------------------------------------------------------------------------------------------------------
// ManagedClusterModule

export interface ManagedClusterModuleSpec {
  moduleSpec: ModuleSpec;
  spokeNamespace: string;
  selector: Record<string, string>;
}

/**
 * The state of one distinct image an MCM needs, as far as kmm-hub knows it.
 * - Ready: present in its registry (digest set once resolved); may be sent to spokes.
 * - Waiting: needs a build and/or sign that has not started.
 * - Building / Signing: a build or sign Job for it is running.
 * - Missing: not in its registry and the mapping has no build or sign that could produce it.
 * - Failed: its build or sign Job failed.
 * - Unknown: the registry could not be asked (transient error), or the image-state source has no answer
 *   yet; whatever was rolled out stays.
 */
export type ImageState =
  'Ready' | 'Waiting' | 'Building' | 'Signing' | 'Missing' | 'Failed' | 'Unknown';

/**
 * What the controller knows about one image: its state and, once resolved, its digest (`sha256:...`); a plan
 * reads only these two, the MCM's status.images also the reason and message.
 */
export interface ImageStateInfo {
  state: ImageState;
  digest?: string;
  /** short CamelCase cause, for status.images[].reason */
  reason?: string;
  /** what a person should know or do, for status.images[].message */
  message?: string;
}

/**
 * Image states for planning, asked once per distinct (MCM, image) with the image as its kernel mapping
 * resolves it (templated, not pinned). `undefined` means "no answer yet" and counts as `Unknown`.
 */
export type ImageStateLookup = (mcm: string, image: string) => ImageStateInfo | undefined;

/** One entry of status.images: a distinct image of this MCM and who needs it. */
export interface ImageStatus {
  image: string;
  kernelVersions: string[];
  /** how many selected clusters run a kernel that needs this image */
  clusters: number;
  state: ImageState;
  digest?: string;
  build: boolean;
  sign: boolean;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/**
 * Where one MCM stands for one upcoming kernel: the state of the image its kernel mapping resolves to (the
 * image states), or why there is no image:
 * - NoMapping: no kernel mapping matches the kernel; the module would not load on it.
 * - MappingError: the mapping that matches cannot be resolved for it (e.g. a template it lacks components for).
 */
export type PreflightState = ImageState | 'NoMapping' | 'MappingError';

/** One entry of an MCM's status.preflight. */
export interface PreflightStatus {
  kernelVersion: string;
  release?: string;
  /** the image the kernel mapping resolves to (templated, not pinned); absent without a usable mapping */
  image?: string;
  digest?: string;
  state: PreflightState;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface ManagedClusterModuleStatus {
  /** selected clusters that are eligible for a ManifestWork (have a kernel with a mapping, or need none) */
  numberDesired?: number;
  /** ManifestWorks with Applied=True */
  numberApplied?: number;
  /** ManifestWorks with Applied=False, Available=False, or feedback showing fewer available than desired */
  numberDegraded?: number;
  observedGeneration?: number;
  conditions?: Condition[];
  images?: ImageStatus[];
  /** where the MCM stands for each kernel a KernelPreflight declares as upcoming */
  preflight?: PreflightStatus[];
}

export interface ManagedClusterModule extends KubeObject {
  apiVersion: 'hub.kmm.sigs.x-k8s.io/v1beta1';
  kind: 'ManagedClusterModule';
  metadata: ObjectMeta;
  spec: ManagedClusterModuleSpec;
  status?: ManagedClusterModuleStatus;
}

// ---------------------------------------------------------------------------------------------------------
// OCM

export interface ClusterClaim {
  name: string;
  value: string;
}

export interface ManagedCluster extends KubeObject {
  apiVersion: 'cluster.open-cluster-management.io/v1';
  kind: 'ManagedCluster';
  metadata: ObjectMeta;
  spec?: { hubAcceptsClient?: boolean; [field: string]: unknown };
  status?: {
    conditions?: Condition[];
    clusterClaims?: ClusterClaim[];
    version?: { kubernetes?: string };
    [field: string]: unknown;
  };
}

export interface ResourceIdentifier {
  group?: string;
  resource: string;
  name: string;
  namespace?: string;
}

export interface JsonPath {
  name: string;
  path: string;
  version?: string;
}

export interface FeedbackRule {
  type: 'WellKnownStatus' | 'JSONPaths';
  jsonPaths?: JsonPath[];
}

export interface ManifestConfigOption {
  resourceIdentifier: ResourceIdentifier;
  feedbackRules?: FeedbackRule[];
  updateStrategy?: { type: string; [field: string]: unknown };
  feedbackScrapeType?: 'Poll' | 'Watch';
  [field: string]: unknown;
}

export interface FieldValue {
  type: 'Integer' | 'String' | 'Boolean' | 'JsonRaw';
  integer?: number;
  string?: string;
  boolean?: boolean;
  jsonRaw?: string;
}

export interface ManifestCondition {
  resourceMeta: {
    ordinal?: number;
    group?: string;
    version?: string;
    kind?: string;
    resource?: string;
    name?: string;
    namespace?: string;
  };
  statusFeedback?: { values?: { name: string; fieldValue: FieldValue }[] };
  conditions?: Condition[];
}

export interface ManifestWork extends KubeObject {
  apiVersion: 'work.open-cluster-management.io/v1';
  kind: 'ManifestWork';
  metadata: ObjectMeta;
  spec: {
    workload: { manifests: KubeObject[] };
    manifestConfigs?: ManifestConfigOption[];
    deleteOption?: { propagationPolicy?: string; [field: string]: unknown };
    [field: string]: unknown;
  };
  status?: {
    conditions?: Condition[];
    resourceStatus?: { manifests?: ManifestCondition[] };
  };
}
