import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { stringify } from 'yaml';
import { loadKubeConfig } from './kubeconfig';

// KUBECONFIG with several files must mean what it means to kubectl, or the controller would write to another
// cluster than the one `kubectl config current-context` shows.

const dir = mkdtempSync(join(tmpdir(), 'kmm-kubeconfig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Named {
  clusters?: string[];
  users?: string[];
  contexts?: string[];
  current?: string;
  server: string;
}

/** A kubeconfig file whose every cluster points at `server`; each context uses the cluster and user of its name. */
function kubeconfig(
  path: string,
  { clusters = [], users = [], contexts = [], current, server }: Named,
) {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(
    join(dir, path),
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: clusters.map((name) => ({
        name,
        cluster: { server, 'certificate-authority': 'ca.crt' },
      })),
      users: users.map((name) => ({ name, user: { token: `${name}@${server}` } })),
      contexts: contexts.map((name) => ({ name, context: { cluster: name, user: name } })),
      ...(current ? { 'current-context': current } : {}),
    }),
  );
  return join(dir, path);
}

describe('loadKubeConfig with several files', () => {
  const first = kubeconfig('a/config', {
    clusters: ['shared', 'only-a'],
    users: ['shared', 'only-a'],
    contexts: ['shared', 'only-a'],
    current: 'shared',
    server: 'https://a.example:6443',
  });
  const second = kubeconfig('b/config', {
    clusters: ['shared', 'only-b'],
    users: ['shared', 'only-b'],
    contexts: ['shared', 'only-b'],
    current: 'only-b',
    server: 'https://b.example:6443',
  });

  it("takes the first file's current-context, not the last one's", async () => {
    const kc = loadKubeConfig([first, second].join(delimiter));
    try {
      expect(kc.getCurrentContext()).toBe('shared');
      expect(kc.getCurrentCluster()?.server).toBe('https://a.example:6443');
      expect(kc.getCurrentUser()?.token).toBe('shared@https://a.example:6443');
    } finally {
      await kc.close();
    }
  });

  it('merges names defined in both files (the first file wins) and keeps the others', async () => {
    const kc = loadKubeConfig([second, first].join(delimiter));
    try {
      expect(kc.getCurrentContext()).toBe('only-b');
      expect(kc.getClusters().map((c) => [c.name, c.server])).toEqual([
        ['shared', 'https://b.example:6443'],
        ['only-b', 'https://b.example:6443'],
        ['only-a', 'https://a.example:6443'],
      ]);
      expect(kc.getUsers().map((u) => u.name)).toEqual(['shared', 'only-b', 'only-a']);
      expect(kc.getContexts().map((c) => c.name)).toEqual(['shared', 'only-b', 'only-a']);
      expect(kc.getUser('shared')?.token).toBe('shared@https://b.example:6443');
    } finally {
      await kc.close();
    }
  });

  it('takes current-context from the first file that sets it', async () => {
    const none = kubeconfig('c/config', {
      clusters: ['only-c'],
      users: ['only-c'],
      contexts: ['only-c'],
      server: 'https://c.example:6443',
    });
    const kc = loadKubeConfig([none, second, first].join(delimiter));
    try {
      expect(kc.getCurrentContext()).toBe('only-b');
      expect(kc.getCurrentCluster()?.server).toBe('https://b.example:6443');
    } finally {
      await kc.close();
    }
  });

  it("resolves each file's relative certificate paths against its own directory", async () => {
    const kc = loadKubeConfig([first, second].join(delimiter));
    try {
      expect(kc.getCluster('only-a')?.caFile).toBe(join(dir, 'a', 'ca.crt'));
      expect(kc.getCluster('only-b')?.caFile).toBe(join(dir, 'b', 'ca.crt'));
    } finally {
      await kc.close();
    }
  });

  it('names the file it cannot load', () => {
    const missing = join(dir, 'missing');
    expect(() => loadKubeConfig([first, missing].join(delimiter))).toThrow(
      new RegExp(`^cannot load kubeconfig ${missing}: .*ENOENT`),
    );
  });
});
