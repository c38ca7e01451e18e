// Template substitution in kernel-mapping images and sign fields, with upstream's envsubst syntax: `$VAR`,
// `${VAR}`, `${VAR:-word}` / `${VAR-word}` / `${VAR:=word}` / `${VAR=word}` / `${VAR:+word}` / `${VAR+word}`,
// and `$$` for a literal `$`. kmm-hub differs from upstream in two ways, both so a typo cannot silently
// produce a wrong image name: a variable outside the fixed set below is an error (upstream substitutes an
// empty string), and sign fields get the same variables as images (upstream leaves MOD_NAME and
// MOD_NAMESPACE empty there).

export const TEMPLATE_VARIABLES = [
  'KERNEL_FULL_VERSION',
  'KERNEL_VERSION',
  'KERNEL_XYZ',
  'KERNEL_X',
  'KERNEL_Y',
  'KERNEL_Z',
  'MOD_NAME',
  'MOD_NAMESPACE',
] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

const KERNEL_COMPONENT_VARIABLES: ReadonlySet<string> = new Set([
  'KERNEL_XYZ',
  'KERNEL_X',
  'KERNEL_Y',
  'KERNEL_Z',
]);
const KNOWN: ReadonlySet<string> = new Set(TEMPLATE_VARIABLES);

type Operator = '-' | '=' | '+' | ':-' | ':=' | ':+';
type Part = string | { variable: string; operator?: Operator; word?: Part[] };

export interface Template {
  parts: Part[];
  /** every variable the template refers to, including inside `${VAR:-word}` words */
  variables: string[];
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

const LITERAL_DOLLAR_HINT = 'write $$ for a literal $';

const cache = new Map<string, Result<Template>>();
const CACHE_LIMIT = 4096;

/** Parses a template once (cached per string); a malformed one is an error naming what to fix. */
export function parseTemplate(source: string): Result<Template> {
  const hit = cache.get(source);
  if (hit) return hit;
  let result: Result<Template>;
  try {
    const parts = parseParts(source, source);
    result = { ok: true, value: { parts, variables: [...new Set(collectVariables(parts))] } };
  } catch (e) {
    result = { ok: false, error: (e as Error).message };
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(source, result);
  return result;
}

/** What is wrong with a template independently of the kernel: malformed syntax or unknown variables. */
export function templateProblem(source: string): string | undefined {
  const parsed = parseTemplate(source);
  if (!parsed.ok) return parsed.error;
  const unknown = parsed.value.variables.filter((v) => !KNOWN.has(v));
  if (unknown.length === 0) return undefined;
  return (
    `unknown template variable ${unknown.map((v) => `$${v}`).join(', ')}; ` +
    `the variables are ${TEMPLATE_VARIABLES.join(', ')} (${LITERAL_DOLLAR_HINT})`
  );
}

/** The values for one kernel; the component variables are absent when the kernel has too few components. */
export interface TemplateValues {
  values: Partial<Record<TemplateVariable, string>>;
  /** why KERNEL_XYZ/X/Y/Z are unavailable, if they are */
  componentsError?: string;
}

/** Upstream's normalisation: every character outside `[A-Za-z0-9._-]` becomes `_`. */
export function normalizeKernelVersion(kernel: string): string {
  return kernel.replace(/[^A-Za-z0-9._-]/g, '_');
}

export function templateValues(
  kernel: string,
  modName: string,
  modNamespace: string,
): TemplateValues {
  const normalized = normalizeKernelVersion(kernel);
  const values: TemplateValues['values'] = {
    KERNEL_FULL_VERSION: normalized,
    KERNEL_VERSION: normalized,
    MOD_NAME: modName,
    MOD_NAMESPACE: modNamespace,
  };
  const components = normalized.split(/[.,-]/);
  const [x, y, z] = components;
  if (x === undefined || y === undefined || z === undefined) {
    return {
      values,
      componentsError:
        `kernel version "${kernel}" has fewer than three components separated by ".", "," or "-", so ` +
        `KERNEL_XYZ, KERNEL_X, KERNEL_Y and KERNEL_Z have no value; map this kernel to an image that does ` +
        `not use them`,
    };
  }
  return {
    values: { ...values, KERNEL_XYZ: `${x}.${y}.${z}`, KERNEL_X: x, KERNEL_Y: y, KERNEL_Z: z },
  };
}

/** Substitutes a template; errors for malformed templates, unknown variables and unusable kernels. */
export function substitute(source: string, tv: TemplateValues): Result<string> {
  if (!source.includes('$')) return { ok: true, value: source };
  const problem = templateProblem(source);
  if (problem) return { ok: false, error: problem };
  const parsed = parseTemplate(source);
  if (!parsed.ok) return parsed;
  if (tv.componentsError && parsed.value.variables.some((v) => KERNEL_COMPONENT_VARIABLES.has(v))) {
    return { ok: false, error: tv.componentsError };
  }
  return { ok: true, value: render(parsed.value.parts, tv.values) };
}

function render(parts: Part[], values: Record<string, string | undefined>): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const value = values[part.variable] ?? '';
    const word = part.word ? render(part.word, values) : '';
    switch (part.operator) {
      case ':-':
      case ':=':
        out += value !== '' ? value : word;
        break;
      case '+':
      case ':+':
        // every known variable is set, so the alternative always applies (as in upstream's envsubst)
        out += word;
        break;
      default:
        out += value;
    }
  }
  return out;
}

function collectVariables(parts: Part[]): string[] {
  return parts.flatMap((p) =>
    typeof p === 'string' ? [] : [p.variable, ...(p.word ? collectVariables(p.word) : [])],
  );
}

const NAME_CHAR = /[A-Za-z0-9_]/;
const OPERATORS: readonly Operator[] = [':-', ':=', ':+', '-', '=', '+'];

function readName(s: string, from: number): string {
  let end = from;
  while (end < s.length && NAME_CHAR.test(s[end] as string)) end++;
  return s.slice(from, end);
}

function parseParts(s: string, whole: string): Part[] {
  const parts: Part[] = [];
  let text = '';
  const flush = () => {
    if (text) parts.push(text);
    text = '';
  };
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    const next = s[i + 1];
    if (c !== '$') {
      text += c;
      i++;
    } else if (next === '$') {
      text += '$';
      i += 2;
    } else if (next === '{') {
      flush();
      const { part, end } = parseBraced(s, i, whole);
      parts.push(part);
      i = end;
    } else if (next !== undefined && NAME_CHAR.test(next)) {
      const name = readName(s, i + 1);
      if (name === '_') {
        text += '$_';
      } else {
        flush();
        parts.push({ variable: name });
      }
      i += 1 + name.length;
    } else {
      text += '$';
      i++;
    }
  }
  flush();
  return parts;
}

/** Parses `${...}` starting at `start` (the `$`); returns the part and the index after the `}`. */
function parseBraced(s: string, start: number, whole: string): { part: Part; end: number } {
  const name = readName(s, start + 2);
  const opening = s.slice(start, start + 2 + name.length);
  if (name === '') {
    throw new Error(
      `malformed template "${whole}": "\${" must be followed by a variable name (${LITERAL_DOLLAR_HINT})`,
    );
  }
  let i = start + 2 + name.length;
  if (s[i] === '}') return { part: { variable: name }, end: i + 1 };
  const operator = OPERATORS.find((op) => s.startsWith(op, i));
  if (!operator) {
    if (i >= s.length || s[i] === '\n' || s[i] === '\r') {
      throw new Error(`malformed template "${whole}": "${opening}" has no closing "}"; add it`);
    }
    throw new Error(
      `malformed template "${whole}": unexpected "${s[i]}" after "${opening}"; ` +
        `write "${opening}}" (or \${VAR:-default})`,
    );
  }
  i += operator.length;
  const close = s.indexOf('}', i);
  const lineEnd = s.slice(i).search(/[\r\n]/);
  if (close < 0 || (lineEnd >= 0 && i + lineEnd < close)) {
    throw new Error(
      `malformed template "${whole}": "${opening}${operator}" has no closing "}"; add it`,
    );
  }
  const word = parseParts(s.slice(i, close), whole);
  return { part: { variable: name, operator, word }, end: close + 1 };
}
