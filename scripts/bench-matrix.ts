// Derivation time of the kernel matrix for a fleet of 3,500 clusters x 30 kernels (npm run bench:matrix), from
// the fleet summaries the controller publishes (computed here as it does, outside the timings).
// Baseline, measured in the same process: one pass that only parses every cluster's kernel claim and checks
// every MCM's selector against it, the least any matrix derivation has to do. Rendering is not measured here
// (only one page of rows is rendered; the browser measurement comes with the console shell).
import { devicePlugin, gpuDriver } from '../src/__fixtures__/fleet';
import { largeFleet } from '../src/__fixtures__/large-fleet';
import { kernelVersionsOf, type ManagedClusterModule, selectorMatches } from '../src/utils/model';
import { summariesOf } from '../src/test-utils/fake-controller';
import { buildKernelMatrix, viewKernelMatrix } from '../src/views/kernel-matrix/kernel-matrix';

const RUNS = 7;
const median = (fn: () => unknown): number => {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(RUNS / 2)] as number;
};

// Ten MCMs: the two fixtures (gpu-driver has a ManifestWork on every covered cluster) and eight variants of
// the kernel-module one without ManifestWorks yet, all selecting the whole fleet.
const mcms: ManagedClusterModule[] = [
  devicePlugin,
  gpuDriver,
  ...Array.from({ length: 8 }, (_, i) => ({
    ...gpuDriver,
    metadata: { ...gpuDriver.metadata, name: `gpu-driver-${i}`, uid: `uid-${i}` },
  })),
];
const fleet = largeFleet(3500);

const baseline = median(() => {
  let n = 0;
  for (const c of fleet.clusters) {
    const kernels = kernelVersionsOf(c);
    for (const m of mcms)
      if (selectorMatches(m.spec.selector, c.metadata.labels)) n += kernels?.length ?? 0;
  }
  return n;
});
const summaries = summariesOf(mcms, fleet.clusters, fleet.works);
const build = median(() => buildKernelMatrix(mcms, summaries));
const matrix = buildKernelMatrix(mcms, summaries);
// A watch update of one ManifestWork: its MCM's summary changes, only that MCM is recomputed (objects carry
// resourceVersions here).
let rv = 0;
const stamp = <T extends { metadata: { resourceVersion?: string } }>(o: T): T => ({
  ...o,
  metadata: { ...o.metadata, resourceVersion: String(++rv) },
});
const versioned = {
  mcms: mcms.map(stamp),
  clusters: fleet.clusters.map(stamp),
  works: fleet.works.map(stamp),
};
const settled = buildKernelMatrix(
  versioned.mcms,
  summariesOf(versioned.mcms, versioned.clusters, versioned.works),
);
const oneWorkChanged = summariesOf(
  versioned.mcms,
  versioned.clusters,
  versioned.works.map((w, i) => (i === 0 ? stamp(w) : w)),
);
const rebuild = median(() => buildKernelMatrix(versioned.mcms, oneWorkChanged, settled));
const viewAll = median(() => viewKernelMatrix(matrix, {}));
const viewOne = median(() => viewKernelMatrix(matrix, { mcm: 'gpu-driver', label: 'region=eu' }));

const ms = (x: number) => `${x.toFixed(1)} ms`;
console.log(
  `kernel matrix: ${fleet.clusters.length} clusters, ${viewKernelMatrix(matrix, {}).kernels.length} kernels, ` +
    `${mcms.length} MCMs, ${fleet.works.length} ManifestWorks (median of ${RUNS} runs)`,
);
console.log(`baseline (claims + selectors only)   ${ms(baseline)}`);
console.log(
  `buildKernelMatrix, from scratch      ${ms(build)}  (${(build / baseline).toFixed(1)}x baseline)`,
);
console.log(
  `rebuild, one ManifestWork changed    ${ms(rebuild)}  (${(rebuild / baseline).toFixed(1)}x baseline)`,
);
console.log(
  `viewKernelMatrix, all MCMs           ${ms(viewAll)}  (${(viewAll / baseline).toFixed(1)}x baseline)`,
);
console.log(
  `viewKernelMatrix, one MCM + label    ${ms(viewOne)}  (${(viewOne / baseline).toFixed(1)}x baseline)`,
);
