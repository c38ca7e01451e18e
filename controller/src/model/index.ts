// The kmm-hub model: pure, browser-safe decisions shared by the controller, the `plan` command and the
// console plugin. No I/O and no Node APIs anywhere below this folder.

export * from './constants';
export type * from './types';
export { kernelVersionsOf, parseKernelVersionsClaim } from './kernels';
export { selectClusters, selectorMatches } from './selection';
export { clusterPlanInputs, samePlanInputs, type ClusterPlanInputs } from './cluster-inputs';
export {
  clusterAvailability,
  clusterChangeMatters,
  isStatusReport,
  mcmOfWork,
  mcmsForClusterChange,
} from './triggers';
export { compileRegexp, type CompiledRegexp } from './regexp';
export {
  TEMPLATE_VARIABLES,
  normalizeKernelVersion,
  parseTemplate,
  substitute,
  templateProblem,
  templateValues,
  type TemplateVariable,
  type TemplateValues,
} from './template';
export {
  hasTagOrDigest,
  imageRepository,
  parseImageReference,
  pinImage,
  type ImageReference,
} from './image';
export { applyBuildArgOverrides, kernelBuildArgs, mergeBuild, mergeSign } from './merge';
export {
  KernelMapper,
  findKernelMapping,
  inTreeModulesToRemove,
  resolveMapping,
  type KernelResolution,
  type MappingMatch,
  type ResolvedMapping,
} from './mapping';
export { validateManagedClusterModule, type ValidationProblem } from './validation';
export {
  ManifestWorkRenderer,
  moduleFeedbackRules,
  moduleOf,
  workMappingsOf,
  type WorkMapping,
} from './manifestwork';
export {
  isWorkOf,
  manifestWorkDiff,
  manifestWorkMatches,
  updatedManifestWork,
  type OwnedWorkPart,
} from './workmatch';
export { workChanges, type WorkChanges, type WorkUpdate } from './work-changes';
export {
  intOrPercent,
  parseDuration,
  resolveStrategy,
  validateRolloutStrategy,
  type ResolvedStrategy,
} from './rollout-strategy';
export { gateRollout, type RolloutGate, type RolloutGateInput } from './rollout-gate';
export { ROLLOUT_HALTED, rolloutEvents, withRolloutStatus } from './rollout-report';
export {
  mcmCounters,
  moduleFeedback,
  workState,
  type FeedbackCounter,
  type FeedbackSection,
  type McmCounters,
  type ModuleCounters,
  type WorkState,
} from './workstatus';
export {
  plan,
  planCoverage,
  planManagedClusterModule,
  type FleetPlan,
  type McmCoverage,
  type McmPlan,
  type PlanError,
  type PlannedImage,
  type PlannedWork,
  type RetainedMapping,
  type SkipCode,
  type Skipped,
} from './plan';
export { planDocument, type PlanDocument } from './plan-document';
export {
  exceedsLimit,
  parseChangeLimit,
  planDiff,
  previewMcm,
  type ChangeLimit,
  type ImageChange,
  type McmDiff,
  type OtherChange,
  type PreviewImage,
  type PreviewInput,
  type PreviewResult,
  type RegistryAnswer,
  type RegistryTarget,
} from './plan-diff';
export { planDiffDocument, type PlanDiffDocument } from './plan-diff-document';
export { applySchemaDefaults, type DefaultingSchema } from './schema-defaults';
export {
  DEGRADED,
  PROGRESSING,
  READY,
  Reasons,
  decideConditions,
  skippedExplanation,
  withTransitionTimes,
  type ClusterNote,
  type StatusFacts,
} from './conditions';
export {
  imageStatuses,
  invalidStatus,
  rolloutStatus,
  statusFacts,
  statusUnchanged,
} from './status';
export { IMAGES_VERIFIED, imagesVerifiedCondition, isRegistryProblem } from './image-condition';
export { count, nameList } from './summary';
export {
  decodeFleetSummary,
  fleetSummaryObject,
  fleetSummaryOf,
  sameFleetSummary,
  type FleetClusterFacts,
  type FleetSummaryClusterRow,
  type FleetSummaryData,
  type FleetSummaryInputs,
  type FleetSummarySkip,
  type FleetSummaryWork,
  type ManagedClusterModuleFleetSummary,
} from './fleet-summary';
export {
  imageProblemEvents,
  statusEvents,
  writeEvents,
  type McmEvent,
  type WorkWriteVerb,
  type WriteOutcome,
} from './events';
export { compareStrings, sortedUnique } from './order';
export { cloneJson, isPlainObject, jsonEqual } from './json';
export {
  IMAGE_JOB_SELECTOR,
  JOB_HASH_LABEL,
  JOB_IMAGE_ANNOTATION,
  JOB_INSECURE_ANNOTATION,
  JOB_MANAGED_BY,
  JOB_MANAGED_BY_LABEL,
  JOB_TYPE_LABEL,
  canonicalInputs,
  imageJobEvent,
  imageJobName,
  jobPhase,
  renderImageJob,
  signDockerfile,
  unsignedImageFor,
  type BuildJobInputs,
  type ImageJobInputs,
  type ImageJobType,
  type JobPhase,
  type SignJobInputs,
} from './image-jobs';
export * from './preflight-types';
export {
  PREFLIGHT_BLOCKED,
  mcmPreflight,
  preflightCondition,
  upcomingKernels,
  validateKernelPreflight,
  withPreflight,
  withPreflightImages,
  type McmPreflight,
} from './preflight';
export {
  kernelPreflightStatus,
  mcmPreflightChanged,
  preflightStatusUnchanged,
} from './preflight-summary';
