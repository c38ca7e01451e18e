import { startApiServer, type ApiServerHandle, type KubeObject } from '../../src/server';

jest.setTimeout(30_000);

let server: ApiServerHandle;
beforeAll(async () => {
  server = await startApiServer({ crdFiles: [] });
});
afterAll(() => server.stop());

const api = async (
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
) => {
  const response = await fetch(`${server.httpUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': contentType },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

const waitFor = async (check: () => boolean) => {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

const widgetCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'] },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: { type: 'object', properties: { size: { type: 'integer', default: 1 } } },
              status: { type: 'object', properties: { ready: { type: 'boolean' } } },
            },
          },
        },
      },
    ],
  },
};

describe('CRDs created through the API', () => {
  it('are served at once (discovery, CRUD with defaulting) and removed with their objects', async () => {
    expect(
      (await api('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', widgetCrd))
        .status,
    ).toBe(201);
    const discovery = await api('GET', '/apis/example.com/v1');
    expect(discovery.body.resources).toEqual([
      expect.objectContaining({
        name: 'widgets',
        kind: 'Widget',
        namespaced: true,
        shortNames: ['wd'],
      }),
      expect.objectContaining({ name: 'widgets/status' }),
    ]);
    const created = await api('POST', '/apis/example.com/v1/namespaces/default/widgets', {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w1' },
      spec: {},
      status: { ready: true },
    });
    expect(created.status).toBe(201);
    expect(created.body.spec).toEqual({ size: 1 });
    // Creating ignores status when the status subresource is on.
    expect(created.body.status).toBeUndefined();
    const crd = await api(
      'GET',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com',
    );
    expect(
      (crd.body.status as { conditions: { type: string }[] }).conditions.map((c) => c.type),
    ).toContain('Established');
    expect(
      (
        await api(
          'DELETE',
          '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com',
        )
      ).status,
    ).toBe(200);
    expect((await api('GET', '/apis/example.com/v1')).status).toBe(404);
    expect((await api('GET', '/apis/example.com/v1/namespaces/default/widgets/w1')).status).toBe(
      404,
    );
  });
});

describe('writes', () => {
  it('keeps the resourceVersion on a no-op update and bumps generation only on spec changes', () => {
    server.objects.create(job('g1'));
    const first = server.objects.get<KubeObject>('batch/v1', 'Job', 'g1', 'default')!;
    const same = server.objects.update(first);
    expect(same.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    const labelled = server.objects.update<KubeObject>({
      ...same,
      metadata: { ...same.metadata, labels: { a: 'b' } },
    });
    expect(labelled.metadata.generation).toBe(1);
    expect(Number(labelled.metadata.resourceVersion)).toBeGreaterThan(
      Number(same.metadata.resourceVersion),
    );
    const changed = server.objects.update({
      ...labelled,
      spec: { ...(labelled.spec as object), backoffLimit: 2 },
    });
    expect(changed.metadata.generation).toBe(2);
    const status = server.objects.updateStatus<KubeObject>({
      ...changed,
      status: { succeeded: 1 },
      spec: { template: {} },
    });
    expect(status.status).toEqual({ succeeded: 1 });
    expect((status.spec as { backoffLimit: number }).backoffLimit).toBe(2);
    expect(status.metadata.generation).toBe(2);
  });

  it('404s an update of a missing object, 400s a body namespace that differs from the URL, 404s a missing namespace', async () => {
    const missing = await api('PUT', '/api/v1/namespaces/default/configmaps/nope', {
      metadata: { name: 'nope' },
    });
    expect(missing.status).toBe(404);
    const wrongNs = await api('POST', '/api/v1/namespaces/default/configmaps', {
      metadata: { name: 'x', namespace: 'other' },
    });
    expect(wrongNs.status).toBe(400);
    const missingNs = await api('POST', '/api/v1/namespaces/absent/configmaps', {
      metadata: { name: 'x' },
    });
    expect(missingNs).toMatchObject({
      status: 404,
      body: { message: 'namespaces "absent" not found' },
    });
  });

  it('deletes with preconditions and reports mismatches as conflicts', async () => {
    const cm = server.objects.create<KubeObject>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'pre', namespace: 'default' },
    });
    const wrong = await api('DELETE', '/api/v1/namespaces/default/configmaps/pre', {
      preconditions: { uid: 'not-the-uid' },
    });
    expect(wrong.status).toBe(409);
    const right = await api('DELETE', '/api/v1/namespaces/default/configmaps/pre', {
      preconditions: { uid: cm.metadata.uid, resourceVersion: cm.metadata.resourceVersion },
    });
    expect(right.status).toBe(200);
  });

  it('keeps equality label selectors in step with label changes, and with writes that keep the labels', async () => {
    const path = '/api/v1/namespaces/default/configmaps';
    const selected = async (selector: string) =>
      (
        (await api('GET', `${path}?labelSelector=${encodeURIComponent(selector)}`)).body
          .items as KubeObject[]
      ).map((c) => c.metadata.name);
    server.objects.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'lx', namespace: 'default', labels: { stage: 'one', keep: 'yes' } },
    });
    const merge = 'application/merge-patch+json';
    expect((await api('PATCH', `${path}/lx`, { data: { a: '1' } }, merge)).status).toBe(200);
    expect(await selected('stage=one')).toEqual(['lx']);
    expect(
      (await api('PATCH', `${path}/lx`, { metadata: { labels: { stage: 'two' } } }, merge)).status,
    ).toBe(200);
    expect(await selected('stage=one')).toEqual([]);
    expect(await selected('stage=two,keep=yes')).toEqual(['lx']);
    expect(
      (await api('PATCH', `${path}/lx`, { metadata: { labels: { keep: null } } }, merge)).status,
    ).toBe(200);
    expect(await selected('keep=yes')).toEqual([]);
    expect(await selected('stage=two')).toEqual(['lx']);
  });

  it('deletecollection removes what the selector matches', async () => {
    for (const [name, team] of [
      ['dc1', 'a'],
      ['dc2', 'a'],
      ['dc3', 'b'],
    ] as const) {
      server.objects.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace: 'default', labels: { team } },
      });
    }
    const result = await api(
      'DELETE',
      '/api/v1/namespaces/default/configmaps?labelSelector=team%3Da',
    );
    expect(result.status).toBe(200);
    const left = server.objects
      .list<KubeObject>('v1', 'ConfigMap', 'default')
      .map((c) => c.metadata.name);
    expect(left).toContain('dc3');
    expect(left).not.toContain('dc1');
    expect(left).not.toContain('dc2');
  });
});

describe('garbage collection', () => {
  const owned = (name: string, owner: KubeObject, block = false): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace: 'default',
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          name: owner.metadata.name ?? '',
          uid: owner.metadata.uid ?? '',
          blockOwnerDeletion: block,
        },
      ],
    },
  });

  it('orphan propagation strips the owner reference and keeps the dependent', async () => {
    const owner = server.objects.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'owner-o', namespace: 'default' },
    });
    server.objects.create(owned('dep-o', owner));
    const result = await api('DELETE', '/api/v1/namespaces/default/configmaps/owner-o', {
      propagationPolicy: 'Orphan',
    });
    expect(result.status).toBe(200);
    await waitFor(() => !server.objects.get('v1', 'ConfigMap', 'owner-o', 'default'));
    expect(
      server.objects.get<KubeObject>('v1', 'ConfigMap', 'dep-o', 'default')?.metadata
        .ownerReferences,
    ).toBeUndefined();
  });

  it('foreground deletion waits for blocking dependents that have finalizers', async () => {
    const owner = server.objects.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'owner-f', namespace: 'default' },
    });
    const dependent = owned('dep-f', owner, true);
    dependent.metadata.finalizers = ['example.com/slow'];
    server.objects.create(dependent);
    await api('DELETE', '/api/v1/namespaces/default/configmaps/owner-f', {
      propagationPolicy: 'Foreground',
    });
    await waitFor(
      () =>
        !!server.objects.get<KubeObject>('v1', 'ConfigMap', 'dep-f', 'default')?.metadata
          .deletionTimestamp,
    );
    const waiting = server.objects.get<KubeObject>('v1', 'ConfigMap', 'owner-f', 'default');
    expect(waiting?.metadata.finalizers).toEqual(['foregroundDeletion']);
    const dep = server.objects.get<KubeObject>('v1', 'ConfigMap', 'dep-f', 'default')!;
    server.objects.update({ ...dep, metadata: { ...dep.metadata, finalizers: [] } });
    await waitFor(() => !server.objects.get('v1', 'ConfigMap', 'owner-f', 'default'));
  });

  it('deletes a dependent created after its owner is gone', async () => {
    const owner = server.objects.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'gone', namespace: 'default' },
    });
    server.objects.delete('v1', 'ConfigMap', 'gone', 'default');
    server.objects.create(owned('late', owner));
    await waitFor(() => !server.objects.get('v1', 'ConfigMap', 'late', 'default'));
  });
});

function job(name: string): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: { template: { spec: { containers: [{ name: 'c', image: 'i' }] } } },
  };
}

describe('verbs', () => {
  it('answers SelfSubjectAccessReviews without storing them, and refuses verbs a resource does not serve', async () => {
    const review = await api('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: {
        resourceAttributes: {
          verb: 'create',
          group: 'hub.kmm.sigs.x-k8s.io',
          resource: 'managedclustermodules',
        },
      },
    });
    expect(review.status).toBe(201);
    expect(review.body.status).toMatchObject({ allowed: true });
    expect(
      (await api('GET', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews')).status,
    ).toBe(405);
    expect((await api('DELETE', '/api/v1/namespaces')).status).toBe(405);
  });
});

describe('server-side apply over HTTP', () => {
  it('creates an absent object in one write, owned by the applying manager', async () => {
    const before = server.resourceVersion();
    const result = await api(
      'PATCH',
      '/api/v1/namespaces/default/configmaps/applied?fieldManager=tester',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied' }, data: { a: '1' } },
      'application/apply-patch+yaml',
    );
    expect(result.status).toBe(201);
    const metadata = result.body.metadata as KubeObject['metadata'];
    expect(Number(metadata.resourceVersion)).toBe(before + 1);
    expect(metadata.managedFields).toEqual([
      expect.objectContaining({
        manager: 'tester',
        operation: 'Apply',
        fieldsV1: { 'f:data': { 'f:a': {} } },
      }),
    ]);
    const missingManager = await api(
      'PATCH',
      '/api/v1/namespaces/default/configmaps/applied',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied' } },
      'application/apply-patch+yaml',
    );
    expect(missingManager.status).toBe(400);
  });
});
