// The cost of the progressive rollout gate at fleet scale: 3,500 clusters of one MCM whose image changed,
// at three points of a rollout (its start, half the fleet moved and moving, all moved), against the
// comparison the controller makes without a strategy (workChanges) in the same process. The gate runs in
// every reconcile of an MCM whose rollout is under way (the plan is not reused then), so its cost adds to
// the per-MCM plan that `npm run bench:plan` measures.
//
//   npm run -w kmm-hub-controller bench:rollout
import {
  ManifestWorkRenderer,
  ROLLOUT_WRITTEN_AT_ANNOTATION,
  gateRollout,
  workChanges,
  type ManagedClusterModule,
  type ManifestWork,
} from '../src/model';

const CLUSTERS = 3500;
const RUNS = 11;
const WARMUP = 3;
const KERNEL = '5.14.0-570.12.1.el9_6.x86_64';
const T0 = Date.parse('2026-12-04T10:00:00Z');

const mcm: ManagedClusterModule = {
  apiVersion: 'hub.kmm.sigs.x-k8s.io/v1beta1',
  kind: 'ManagedClusterModule',
  metadata: { name: 'drv', uid: 'u', generation: 2 },
  spec: {
    spokeNamespace: 'openshift-kmm',
    selector: {},
    moduleSpec: {
      selector: {},
      moduleLoader: { container: { modprobe: { moduleName: 'drv' }, kernelMappings: [] } },
    },
    rolloutStrategy: {
      type: 'Progressive',
      maxConcurrency: '5%',
      minSuccessTime: '1m',
      progressDeadline: '10m',
      maxFailures: '2%',
      mandatoryDecisionGroups: [{ groupName: 'canary', clusterSelector: { ring: 'canary' } }],
    },
  },
};
const names = Array.from({ length: CLUSTERS }, (_, i) => `cluster-${String(i).padStart(4, '0')}`);
const labels = new Map<string, Record<string, string>>();
names.forEach((n, i) => labels.set(n, i % 100 === 0 ? { ring: 'canary' } : {}));
const renderer = new ManifestWorkRenderer(mcm);
const render = (c: string, tag: string) =>
  renderer.render(c, [{ literal: KERNEL, containerImage: `quay.io/acme/drv:${tag}` }]);

/** The works as served: `moved` of them already on v2 (stamped), healthy and reported. */
function served(moved: number): ManifestWork[] {
  return names.map((c, i) => {
    const w = render(c, i < moved ? 'v2' : 'v1');
    w.metadata.generation = 1;
    if (i < moved)
      w.metadata.annotations = {
        [ROLLOUT_WRITTEN_AT_ANNOTATION]: new Date(T0 + i * 10).toISOString(),
      };
    w.status = {
      conditions: [
        {
          type: 'Applied',
          status: 'True',
          observedGeneration: 1,
          lastTransitionTime: '2026-12-04T09:00:00Z',
        },
        {
          type: 'Available',
          status: 'True',
          observedGeneration: 1,
          lastTransitionTime: '2026-12-04T09:00:00Z',
        },
      ],
    };
    return w;
  });
}

function median(f: () => void): number {
  for (let i = 0; i < WARMUP; i++) f();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    f();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

const desired = names.map((c) => render(c, 'v2'));
const status = (moved: number) => ({
  phase: 'Progressing' as const,
  startedAt: new Date(T0 - 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  observedGeneration: 2,
  countFailuresSince: new Date(T0 - 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  currentWave: 1,
  totalWaves: 21,
  clusters: CLUSTERS,
  succeeded: moved,
  progressing: 0,
  failed: 0,
  pending: CLUSTERS - moved,
  groups: [],
});

console.log(`clusters: ${CLUSTERS}, median of ${RUNS} runs after ${WARMUP} warm-up runs`);
for (const moved of [0, CLUSTERS / 2, CLUSTERS]) {
  const current = served(moved);
  const m: ManagedClusterModule = { ...mcm, status: moved === 0 ? {} : { rollout: status(moved) } };
  const now = T0 + 3_600_000;
  const baseline = median(() => workChanges(desired, current));
  const gate = median(() =>
    gateRollout({ mcm: m, desired, current, labelsOf: (c) => labels.get(c), now }),
  );
  console.log(
    `${String(moved).padStart(4)} moved: workChanges ${baseline.toFixed(1)} ms, gateRollout ` +
      `${gate.toFixed(1)} ms (${(gate / baseline).toFixed(2)}x)`,
  );
}
