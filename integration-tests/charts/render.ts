// The charts as helm renders them: `helm template` with the real helm 4, parsed into objects.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments, stringify } from 'yaml';
import { helmPath, REPO_ROOT } from '../../scripts/tools';

const exec = promisify(execFile);

export const CHARTS = {
  hub: join(REPO_ROOT, 'charts/kmm-hub'),
  plugin: join(REPO_ROOT, 'charts/kmm-hub-console-plugin'),
};

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  [key: string]: unknown;
}

export interface Rendered {
  yaml: string;
  objects: Manifest[];
}

/** `--set` pairs as helm takes them (`a.b=c`), so every test names the value it changes. */
export async function helmTemplate(
  chart: string,
  { namespace = 'kmm-hub', set = [] as string[], release = 'kmm-hub' } = {},
): Promise<Rendered> {
  const args = ['template', release, chart, '--namespace', namespace];
  for (const s of set) args.push('--set', s);
  const { stdout } = await exec(helmPath(), args, { maxBuffer: 16 << 20 });
  const objects = parseAllDocuments(stdout)
    .map((d) => d.toJS() as Manifest | null)
    .filter((o): o is Manifest => o !== null);
  return { yaml: stdout, objects };
}

/** The one-line reason helm gives for refusing values (exit status non-zero), or undefined if it renders. */
export async function helmTemplateError(chart: string, set: string[], namespace = 'kmm-hub') {
  try {
    await helmTemplate(chart, { set, namespace });
    return undefined;
  } catch (error) {
    return String((error as { stderr?: string }).stderr ?? error);
  }
}

export async function helmLint(chart: string, set: string[] = []): Promise<string> {
  const args = ['lint', '--strict', chart];
  for (const s of set) args.push('--set', s);
  const { stdout } = await exec(helmPath(), args);
  return stdout;
}

export const ofKind = (objects: Manifest[], kind: string) => objects.filter((o) => o.kind === kind);

/**
 * Objects back to a multi-document YAML stream for kubectl, quoting as YAML 1.1 readers (kubectl, go-yaml)
 * need: a label value `yes` must stay a string.
 */
export const toYamlStream = (objects: Manifest[]): string =>
  objects.map((o) => `---\n${stringify(o, { version: '1.1' })}`).join('');
