// The charts support both Helm majors: Helm 3 (3.17, still what most hubs run) must lint them as cleanly, render
// exactly what Helm 4 renders, and refuse inconsistent values with the same message.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { helm3Path, helmPath } from '../../scripts/tools';
import { CHARTS } from './render';

const exec = promisify(execFile);
jest.setTimeout(120_000);

const CASES: { chart: keyof typeof CHARTS; set: string[] }[] = [
  { chart: 'hub', set: [] },
  {
    chart: 'hub',
    set: [
      'spokePolicy.enabled=true',
      'webhook.certificate.source=cert-manager',
      'metrics.serviceMonitor.enabled=true',
    ],
  },
  { chart: 'plugin', set: [] },
  { chart: 'plugin', set: ['enableInConsole.enabled=true'] },
];

const setArgs = (set: string[]) => set.flatMap((s) => ['--set', s]);

async function template(helm: string, chart: string, set: string[], namespace = 'kmm-hub') {
  const args = ['template', 'kmm-hub', chart, '--namespace', namespace, ...setArgs(set)];
  const { stdout } = await exec(helm, args, { maxBuffer: 16 << 20 });
  // Sorted: the two majors order kinds they do not know (cert-manager's, ACM's) differently on output, and
  // install order is theirs to choose; the objects themselves must be the same.
  return parseAllDocuments(stdout)
    .map((d) => d.toJS() as { kind: string; metadata: { name: string; namespace?: string } } | null)
    .filter((o) => o !== null)
    .sort((a, b) => identity(a).localeCompare(identity(b)));
}

const identity = (o: { kind: string; metadata: { name: string; namespace?: string } }) =>
  `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

it('finds an official Helm 3 beside Helm 4', async () => {
  const version = async (helm: string) =>
    (await exec(helm, ['version', '--template', '{{.Version}}'])).stdout.trim();
  expect(await version(helm3Path())).toMatch(/^v3\.\d+\.\d+$/);
  expect(await version(helmPath())).toMatch(/^v4\.\d+\.\d+$/);
});

describe.each(CASES)('$chart with [$set]', ({ chart, set }) => {
  it('passes helm 3 lint --strict', async () => {
    const { stdout } = await exec(helm3Path(), [
      'lint',
      '--strict',
      CHARTS[chart],
      ...setArgs(set),
    ]);
    expect(stdout).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  it('renders with helm 3 exactly what helm 4 renders', async () => {
    const [three, four] = await Promise.all([
      template(helm3Path(), CHARTS[chart], set),
      template(helmPath(), CHARTS[chart], set),
    ]);
    expect(three.length).toBeGreaterThan(2);
    expect(three).toEqual(four);
  });
});

it('refuses a namespace that is not a DNS label under both majors, naming it', async () => {
  const refusal = async (helm: string) => {
    try {
      await template(helm, CHARTS.hub, [], 'Not_A_Label');
      return 'rendered';
    } catch (error) {
      return String((error as { stderr?: string }).stderr);
    }
  };
  const [three, four] = await Promise.all([refusal(helm3Path()), refusal(helmPath())]);
  expect(three).toContain('Not_A_Label');
  expect(four).toContain('Not_A_Label');
});
