export {
  OciPusher,
  OCI_INDEX,
  OCI_MANIFEST,
  type PushTarget,
  type PushedManifest,
} from './oci-push';
export { startBuildExecutor, type BuildExecutor, type BuildExecutorOptions } from './executor';
