// OpenShift z-streams and the RHEL CoreOS kernel each ships. The pairs are plausible rather than copied from
// release notes (the exact z-stream of a kernel does not matter to kmm-hub), but the shapes are real: RHCOS 4.14
// and 4.15 run RHEL 9.2 kernels (5.14.0-284.*.el9_2), 4.16 to 4.18 RHEL 9.4 (427.*.el9_4), 4.19 and 4.20 RHEL 9.6
// (570.*.el9_6); the node's kernelVersion is that base plus the architecture (`.x86_64`, `.aarch64`).

export interface OpenShiftRelease {
  /** e.g. `4.16.8` */
  version: string;
  /** the Kubernetes minor it is built on, e.g. `1.29` */
  kubernetesMinor: string;
  /** the RHCOS kernel without architecture, e.g. `5.14.0-427.31.1.el9_4` */
  kernel: string;
}

type Minor = {
  minor: string;
  kubernetesMinor: string;
  weight: number;
  zstreams: [number, string][];
};

const MINORS: Minor[] = [
  {
    minor: '4.14',
    kubernetesMinor: '1.27',
    weight: 5,
    zstreams: [
      [10, '5.14.0-284.48.1.el9_2'],
      [25, '5.14.0-284.64.1.el9_2'],
      [38, '5.14.0-284.88.1.el9_2'],
      [45, '5.14.0-284.100.1.el9_2'],
    ],
  },
  {
    minor: '4.15',
    kubernetesMinor: '1.28',
    weight: 5,
    zstreams: [
      [3, '5.14.0-284.55.1.el9_2'],
      [21, '5.14.0-284.73.1.el9_2'],
      [39, '5.14.0-284.96.1.el9_2'],
    ],
  },
  {
    minor: '4.16',
    kubernetesMinor: '1.29',
    weight: 20,
    zstreams: [
      [0, '5.14.0-427.13.1.el9_4'],
      [8, '5.14.0-427.31.1.el9_4'],
      [20, '5.14.0-427.42.1.el9_4'],
      [36, '5.14.0-427.57.1.el9_4'],
    ],
  },
  {
    minor: '4.17',
    kubernetesMinor: '1.30',
    weight: 20,
    zstreams: [
      [0, '5.14.0-427.37.1.el9_4'],
      [10, '5.14.0-427.50.1.el9_4'],
      [23, '5.14.0-427.60.1.el9_4'],
      [30, '5.14.0-427.68.1.el9_4'],
    ],
  },
  {
    minor: '4.18',
    kubernetesMinor: '1.31',
    weight: 25,
    zstreams: [
      [1, '5.14.0-427.52.1.el9_4'],
      [10, '5.14.0-427.65.1.el9_4'],
      [17, '5.14.0-427.72.1.el9_4'],
      [22, '5.14.0-427.79.1.el9_4'],
    ],
  },
  {
    minor: '4.19',
    kubernetesMinor: '1.32',
    weight: 15,
    zstreams: [
      [0, '5.14.0-570.12.1.el9_6'],
      [9, '5.14.0-570.35.1.el9_6'],
      [17, '5.14.0-570.49.1.el9_6'],
    ],
  },
  {
    minor: '4.20',
    kubernetesMinor: '1.33',
    weight: 10,
    zstreams: [
      [0, '5.14.0-570.51.1.el9_6'],
      [4, '5.14.0-570.60.1.el9_6'],
    ],
  },
];

/** Every release, oldest first: the order upgrades follow. */
export const RELEASES: readonly OpenShiftRelease[] = MINORS.flatMap((m) =>
  m.zstreams.map(([z, kernel]) => ({
    version: `${m.minor}.${z}`,
    kubernetesMinor: m.kubernetesMinor,
    kernel,
  })),
);

/** `[release, weight]` pairs: a fleet is mostly on 4.16 to 4.19, spread evenly over each minor's z-streams. */
export const RELEASE_WEIGHTS: readonly (readonly [OpenShiftRelease, number])[] = MINORS.flatMap(
  (m) =>
    m.zstreams.map(([z]) => [releaseOf(`${m.minor}.${z}`), m.weight / m.zstreams.length] as const),
);

export function releaseOf(version: string): OpenShiftRelease {
  const release = RELEASES.find((r) => r.version === version);
  if (!release) throw new Error(`unknown OpenShift release ${version}`);
  return release;
}

/** The release an upgrade from `release` goes to: the next z-stream, or the next minor's first. */
export function nextRelease(release: OpenShiftRelease): OpenShiftRelease | undefined {
  return RELEASES[RELEASES.indexOf(release) + 1];
}

export type Arch = 'amd64' | 'arm64';

/** The node kernelVersion string for a kernel base and a node architecture. */
export function nodeKernel(kernel: string, arch: Arch): string {
  return `${kernel}.${arch === 'amd64' ? 'x86_64' : 'aarch64'}`;
}

/** Every distinct node kernel the generator can produce (both architectures). */
export const KERNEL_POOL: readonly string[] = [
  ...new Set(
    RELEASES.flatMap((r) => [nodeKernel(r.kernel, 'amd64'), nodeKernel(r.kernel, 'arm64')]),
  ),
].sort();
