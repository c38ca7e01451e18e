// The console shell's `@openshift-console/dynamic-plugin-sdk`: what the console supplies at run time under that
// shared key, written for the shell. Every export is typed as the real SDK's (`typeof Real[...]`), so the
// plugin's build and this module agree on each API; `sdk-exports.test.ts` checks the plugin needs no other.
export { consoleFetch, consoleFetchJSON } from './api';
export {
  useK8sWatchResource,
  useK8sWatchResources,
  useAccessReview,
  useFlag,
  useK8sModel,
  useActiveNamespace,
} from './hooks';
export { k8sGet, k8sCreate, k8sUpdate, k8sPatch, k8sDelete, k8sListItems } from './resources';
export { ResourceLink, ResourceIcon } from './components/ResourceLink';
export {
  ListPageHeader,
  ListPageBody,
  ListPageCreate,
  ListPageFilter,
  useListPageFilter,
} from './components/ListPage';
export { HorizontalNav } from './components/HorizontalNav';
export { ResourceYAMLEditor } from './components/ResourceYAMLEditor';
export { ResourceEventStream } from './components/ResourceEventStream';
export { Timestamp } from './components/Timestamp';
export { SuccessStatus, ErrorStatus, InfoStatus, ProgressStatus } from './components/status';
export { DocumentTitle } from './components/DocumentTitle';
export { useLabelsModal, useDeleteModal } from './components/modals';
export { isPerspective, useResolvedExtensions } from './extensions';
