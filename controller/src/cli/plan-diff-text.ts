import type { McmDiff, PlanDiffDocument } from '../model';

/** Names shown per list in the text output; -o json/yaml always lists every cluster. */
export const TEXT_NAME_LIMIT = 50;

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

function names(list: readonly string[]): string {
  const shown = list.slice(0, TEXT_NAME_LIMIT).join(', ');
  return list.length > TEXT_NAME_LIMIT
    ? `${shown}, and ${list.length - TEXT_NAME_LIMIT} more (-o json lists all)`
    : shown;
}

/** The preview for a person: only what changes, one block per MCM, then the count and the limit. */
export function planDiffText(doc: PlanDiffDocument): string {
  const lines: string[] = [];
  for (const m of doc.mcms) lines.push(...mcmLines(m));
  for (const e of doc.errors)
    lines.push(`ManagedClusterModule ${e.mcm}: invalid, not compared: ${e.field}: ${e.message}`);
  const of = `${plural(doc.changedClusters, 'cluster')} of ${doc.fleetClusters}`;
  lines.push(
    '',
    doc.changed
      ? `${of} would change.`
      : 'No changes: applying these ManagedClusterModules would change no ManifestWork.',
  );
  if (doc.limit)
    lines.push(
      `--max-changed-clusters ${doc.limit.maxChangedClusters}: ${doc.limit.exceeded ? 'EXCEEDED' : 'within the limit'}.`,
    );
  return `${lines.join('\n')}\n`;
}

function mcmLines(m: McmDiff): string[] {
  const head = `ManagedClusterModule ${m.mcm}${m.onHub ? '' : ' (new: not on the hub)'}`;
  if (!m.changed) return [`${head}: no changes`];
  const n = m.changedClusters.length;
  const out = [`${head}: ${plural(n, 'cluster')} change${n === 1 ? 's' : ''}`];
  if (m.clustersGained.length > 0)
    out.push(`  + gains the module (${m.clustersGained.length}): ${names(m.clustersGained)}`);
  if (m.clustersLost.length > 0)
    out.push(`  - loses the module (${m.clustersLost.length}): ${names(m.clustersLost)}`);
  for (const c of m.imageChanges) {
    out.push(
      `  ~ kernel ${c.kernelVersion}: ${c.from ?? '(no mapping)'} -> ${c.to ?? '(no mapping)'}`,
      `      on ${plural(c.clusters.length, 'cluster')}: ${names(c.clusters)}`,
    );
  }
  for (const c of m.otherChanges) {
    out.push(
      `  ~ ${c.fields.join(', ')}`,
      `      on ${plural(c.clusters.length, 'cluster')}: ${names(c.clusters)}`,
    );
  }
  if (m.images.length > 0) {
    out.push('  images new to their clusters:');
    for (const i of m.images)
      out.push(
        `    ${i.image}: ${i.state}, ${i.note}`,
        `      for ${plural(i.clusters.length, 'cluster')} (kernels ${i.kernelVersions.join(', ')})`,
      );
  }
  return out;
}
