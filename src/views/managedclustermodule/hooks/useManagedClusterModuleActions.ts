// Actions on one MCM (edit YAML, edit labels, delete), contributed through console.action/resource-provider
// and also used by the plugin's own details header and list kebabs. Each is gated by an access review.
import {
  type Action,
  useAccessReview,
  useDeleteModal,
  useLabelsModal,
} from '@openshift-console/dynamic-plugin-sdk';
import { useMemo } from 'react';
import { usePluginTranslation } from '../../../utils/i18n';
import { mcmAccess, mcmDetailsPath, mcmListPath } from '../../../utils/k8s';
import type { ManagedClusterModule } from '../../../utils/model';

export const useManagedClusterModuleActions = (
  mcm: ManagedClusterModule,
): [Action[], boolean, unknown] => {
  const { t } = usePluginTranslation();
  const name = mcm?.metadata?.name ?? '';
  const [canUpdate, updateLoading] = useAccessReview(mcmAccess('update', name));
  const [canPatch, patchLoading] = useAccessReview(mcmAccess('patch', name));
  const [canDelete, deleteLoading] = useAccessReview(mcmAccess('delete', name));
  const launchLabelsModal = useLabelsModal(mcm);
  const launchDeleteModal = useDeleteModal(mcm, mcmListPath());
  const noAccess = t('You are not allowed to do this.');

  const actions = useMemo<Action[]>(
    () => [
      {
        id: 'kmm-hub-edit-mcm',
        label: t('Edit ManagedClusterModule'),
        cta: { href: `${mcmDetailsPath(name)}/yaml` },
        disabled: !canUpdate,
        disabledTooltip: noAccess,
        accessReview: mcmAccess('update', name),
      },
      {
        id: 'kmm-hub-edit-labels',
        label: t('Edit labels'),
        cta: launchLabelsModal,
        disabled: !canPatch,
        disabledTooltip: noAccess,
        accessReview: mcmAccess('patch', name),
      },
      {
        id: 'kmm-hub-delete-mcm',
        label: t('Delete ManagedClusterModule'),
        description: t(
          'Its ManifestWorks are deleted and the module is unloaded on every cluster.',
        ),
        cta: launchDeleteModal,
        disabled: !canDelete,
        disabledTooltip: noAccess,
        accessReview: mcmAccess('delete', name),
      },
    ],
    [t, name, canUpdate, canPatch, canDelete, launchLabelsModal, launchDeleteModal, noAccess],
  );
  return [actions, !(updateLoading || patchLoading || deleteLoading), undefined];
};

export default useManagedClusterModuleActions;
