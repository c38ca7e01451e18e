// How the generators write what they make, or (with --check, as the tests and CI run them) say that the
// committed file is out of date.
import { readFileSync, writeFileSync } from 'node:fs';

/** Writes `produced` to `file`; with `check`, writes nothing and fails unless the file holds it already. */
export function writeOrCheck(
  file: string,
  produced: string,
  regenerate: string,
  check: boolean,
): number {
  if (!check) {
    writeFileSync(file, produced);
    return 0;
  }
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    // a missing file is out of date too
  }
  if (current === produced) return 0;
  process.stderr.write(`${file} is out of date: run ${regenerate}\n`);
  return 1;
}
