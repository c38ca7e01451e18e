// RBAC in the sandbox API server, through the real kubectl: tokens of ServiceAccounts and users are
// authorized by the stored Roles, ClusterRoles and bindings, refused with kube-apiserver's 403, and
// `kubectl auth can-i` (a SelfSubjectAccessReview) tells the truth. The administrator's token is unaffected.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubectlPath } from '../../scripts/tools';
import { startKubectlEnv, type KubectlEnv, type KubectlResult } from './harness';

jest.setTimeout(60_000);

let env: KubectlEnv;
let asReader: (args: string[], input?: string) => Promise<KubectlResult>;

beforeAll(async () => {
  env = await startKubectlEnv();
  const { kubeconfig } = env.server.serviceAccountToken('team', 'reader');
  const file = join(env.dir, 'reader.kubeconfig');
  writeFileSync(file, kubeconfig, { mode: 0o600 });
  asReader = (args, input) => env.run(kubectlPath(), ['--kubeconfig', file, ...args], { input });
  await env.ok(['create', 'namespace', 'team']);
  await env.ok(['create', 'namespace', 'other']);
  await env.ok(['create', 'configmap', 'settings', '-n', 'team', '--from-literal=a=1']);
});
afterAll(() => env.stop());

// (kubectl create role/rolebinding send protobuf, which the sandbox decodes only for a few kinds: YAML instead)
const role = (kind: 'Role' | 'ClusterRole', name: string, rules: string, namespace?: string) =>
  env.ok(
    ['apply', '-f', '-'],
    `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata: {name: ${name}${namespace ? `, namespace: ${namespace}` : ''}}
rules: ${rules}
`,
  );
const bind = (
  kind: 'RoleBinding' | 'ClusterRoleBinding',
  name: string,
  roleKind: string,
  namespace?: string,
) =>
  env.ok(
    ['apply', '-f', '-'],
    `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata: {name: ${name}${namespace ? `, namespace: ${namespace}` : ''}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ${roleKind}, name: ${name}}
subjects: [{kind: ServiceAccount, name: reader, namespace: team}]
`,
  );

test('nothing is allowed before a binding, with kube-apiserver message', async () => {
  const list = await asReader(['get', 'configmaps', '-n', 'team']);
  expect(list.code).toBe(1);
  expect(list.stderr).toContain(
    'Error from server (Forbidden): configmaps is forbidden: User "system:serviceaccount:team:reader" cannot list resource "configmaps" in API group "" in the namespace "team"',
  );
  const get = await asReader(['get', 'mcm', 'x']);
  expect(get.stderr).toContain(
    'managedclustermodules.hub.kmm.sigs.x-k8s.io "x" is forbidden: User "system:serviceaccount:team:reader" cannot get resource "managedclustermodules" in API group "hub.kmm.sigs.x-k8s.io" at the cluster scope',
  );
  // discovery is open to every authenticated user, as system:discovery makes it
  expect((await asReader(['api-resources', '-o', 'name'])).code).toBe(0);
});

test('a RoleBinding grants its Role in its namespace only; can-i agrees', async () => {
  await role(
    'Role',
    'cm-reader',
    "[{apiGroups: [''], resources: [configmaps], verbs: [get, list, watch]}]",
    'team',
  );
  await bind('RoleBinding', 'cm-reader', 'Role', 'team');
  expect(
    (await asReader(['get', 'configmap', 'settings', '-n', 'team', '-o', 'name'])).stdout.trim(),
  ).toBe('configmap/settings');
  const create = await asReader(['create', 'configmap', 'new', '-n', 'team']);
  expect(create.stderr).toContain(
    'cannot create resource "configmaps" in API group "" in the namespace "team"',
  );
  expect((await asReader(['get', 'configmaps', '-n', 'other'])).stderr).toContain(
    'in the namespace "other"',
  );
  const canI = async (...args: string[]) =>
    (await asReader(['auth', 'can-i', ...args])).stdout.trim();
  expect(await canI('list', 'configmaps', '-n', 'team')).toBe('yes');
  expect(await canI('delete', 'configmaps', '-n', 'team')).toBe('no');
  expect(await canI('list', 'configmaps', '-n', 'other')).toBe('no');
});

test('a ClusterRoleBinding grants everywhere; subresources and resourceNames are their own rules', async () => {
  await role(
    'ClusterRole',
    'mcm-status',
    '[{apiGroups: [hub.kmm.sigs.x-k8s.io], resources: [managedclustermodules, managedclustermodules/status], verbs: [list, update]}]',
  );
  await bind('ClusterRoleBinding', 'mcm-status', 'ClusterRole');
  const canI = async (...args: string[]) =>
    (await asReader(['auth', 'can-i', ...args])).stdout.trim();
  expect(await canI('list', 'managedclustermodules.hub.kmm.sigs.x-k8s.io')).toBe('yes');
  expect(
    await canI('update', 'managedclustermodules.hub.kmm.sigs.x-k8s.io', '--subresource=status'),
  ).toBe('yes');
  expect(await canI('get', 'managedclustermodules.hub.kmm.sigs.x-k8s.io')).toBe('no');
  await role(
    'ClusterRole',
    'one-ns',
    "[{apiGroups: [''], resources: [namespaces], resourceNames: [team], verbs: [get]}]",
  );
  await bind('ClusterRoleBinding', 'one-ns', 'ClusterRole');
  expect(await canI('get', 'namespaces/team')).toBe('yes');
  expect(await canI('get', 'namespaces/other')).toBe('no');
  expect(env.server.denials().map((d) => d.user)).toContain('system:serviceaccount:team:reader');
});

test('the administrator token may still do anything', async () => {
  expect((await env.kubectl(['auth', 'can-i', '*', '*'])).stdout.trim()).toBe('yes');
  await env.ok(['create', 'configmap', 'admin-made', '-n', 'other']);
});
