import { kmmInstallOf, placedClusters, type Cluster, type Policy } from '../../src/fleet/policy';

const subscription = (env: { name: string; value: string }[]) => ({
  complianceType: 'mustonlyhave',
  objectDefinition: {
    apiVersion: 'operators.coreos.com/v1alpha1',
    kind: 'Subscription',
    metadata: { name: 'kernel-module-management' },
    spec: { name: 'kernel-module-management', config: { env } },
  },
});
const role = {
  complianceType: 'mustonlyhave',
  objectDefinition: {
    kind: 'ClusterRole',
    metadata: { name: 'kmm-module-manager' },
    rules: [{ apiGroups: ['kmm.sigs.x-k8s.io'], resources: ['modules'], verbs: ['create'] }],
  },
};
const binding = {
  complianceType: 'mustonlyhave',
  objectDefinition: {
    kind: 'ClusterRoleBinding',
    metadata: { name: 'klusterlet-kmm' },
    roleRef: { name: 'kmm-module-manager' },
    subjects: [
      {
        kind: 'ServiceAccount',
        name: 'klusterlet-work-sa',
        namespace: 'open-cluster-management-agent',
      },
    ],
  },
};
const policy = (templates: unknown[], remediationAction = 'enforce'): Policy => ({
  metadata: { name: 'p', namespace: 'ns' },
  spec: {
    remediationAction,
    'policy-templates': [
      {
        objectDefinition: {
          kind: 'ConfigurationPolicy',
          spec: { 'object-templates': templates as never },
        },
      },
    ],
  },
});
const managed = [{ name: 'KMM_MANAGED', value: '1' }];

test('an enforced Policy with a managed-mode Subscription and the work agent binding installs KMM', () => {
  expect(kmmInstallOf(policy([subscription(managed), role, binding]))).toEqual({ installs: true });
});

test.each([
  [
    'inform only',
    policy([subscription(managed), role, binding], 'inform'),
    /no enforced ConfigurationPolicy/,
  ],
  ['without KMM_MANAGED=1', policy([subscription([]), role, binding]), /KMM_MANAGED=1/],
  ['without the work agent binding', policy([subscription(managed), role]), /klusterlet-work-sa/],
  ['without a KMM Subscription', policy([role, binding]), /kernel-module-management/],
])('%s: installs nothing, and says why', (_name, p, reason) => {
  const result = kmmInstallOf(p);
  expect(result.installs).toBe(false);
  expect(result.reason).toMatch(reason);
});

test('placed clusters: bound Placements in the Policy namespace, predicates ORed', () => {
  const clusters: Cluster[] = [
    { metadata: { name: 'a', labels: { env: 'prod' } } },
    { metadata: { name: 'b', labels: { env: 'dev' } } },
    { metadata: { name: 'c', labels: {} } },
  ];
  const placement = (predicates: unknown[], namespace = 'ns') => ({
    metadata: { name: 'pl', namespace },
    spec: { predicates: predicates as never },
  });
  const bindings = [
    {
      metadata: { name: 'b', namespace: 'ns' },
      placementRef: {
        apiGroup: 'cluster.open-cluster-management.io',
        kind: 'Placement',
        name: 'pl',
      },
      subjects: [{ apiGroup: 'policy.open-cluster-management.io', kind: 'Policy', name: 'p' }],
    },
  ];
  const sel = (matchLabels: Record<string, string>) => ({
    requiredClusterSelector: { labelSelector: { matchLabels } },
  });
  expect(
    placedClusters(policy([]), bindings, [placement([sel({ env: 'prod' })])], clusters),
  ).toEqual(['a']);
  expect(
    placedClusters(
      policy([]),
      bindings,
      [placement([sel({ env: 'prod' }), sel({ env: 'dev' })])],
      clusters,
    ),
  ).toEqual(['a', 'b']);
  expect(placedClusters(policy([]), bindings, [placement([])], clusters)).toEqual(['a', 'b', 'c']);
  expect(placedClusters(policy([]), bindings, [placement([], 'elsewhere')], clusters)).toEqual([]);
  expect(placedClusters(policy([]), [], [placement([])], clusters)).toEqual([]);
});
