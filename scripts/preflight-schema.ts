// The schema parts of kmm-hub's fleet preflight: the KernelPreflight CRD (scripts/generate-preflight-crd.ts)
// and the MCM's status.preflight (scripts/generate-mcm-crd.ts) share them, so the states and limits are
// written once. They follow the model's types (controller/src/model/preflight-types.ts); the CRD tests compare
// them.

import { PREFLIGHT_STATES } from 'kmm-hub-controller/model';

export { PREFLIGHT_STATES };

const str = (description: string) => ({ description, type: 'string' });

/** One entry of an MCM's status.preflight. */
export const preflightStatusItem = {
  properties: {
    digest: str('The resolved digest (sha256:...) of the image, once it is in its registry.'),
    image: str(
      'The image the kernel mapping resolves to for this kernel (templated, not pinned); absent without a ' +
        'usable mapping.',
    ),
    kernelVersion: str('The upcoming kernel, as a KernelPreflight declares it.'),
    lastTransitionTime: {
      description: 'When state last changed.',
      format: 'date-time',
      type: 'string',
    },
    message: str('Details of the state, for people.'),
    reason: str('Why the kernel is in this state, in CamelCase.'),
    release: str("The kernel's release label from the KernelPreflight."),
    state: {
      description:
        'Where the module stands for the kernel: the image state, or NoMapping (no kernel mapping matches ' +
        'it) or MappingError (the matching mapping cannot be resolved for it).',
      enum: [...PREFLIGHT_STATES],
      type: 'string',
    },
  },
  required: ['kernelVersion', 'state'],
  type: 'object',
};

/** An MCM's status.preflight. */
export const mcmPreflightStatusSchema = {
  description:
    'Where this ManagedClusterModule stands for each kernel a KernelPreflight declares as upcoming: the image ' +
    'for it is checked, built and signed ahead of time; nothing is sent to spokes for it.',
  items: preflightStatusItem,
  type: 'array',
  'x-kubernetes-list-map-keys': ['kernelVersion'],
  'x-kubernetes-list-type': 'map',
};
