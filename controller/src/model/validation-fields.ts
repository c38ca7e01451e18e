import { isPlainObject } from './json';

// Shape checks shared by the validation modules. Input comes from YAML, JSON or the API server and is
// only trusted after these checks, so every read goes through a guard that reports the field and the fix.

export interface ValidationProblem {
  /** full path under the MCM, e.g. spec.moduleSpec.moduleLoader.container.kernelMappings[1].regexp */
  field: string;
  /** what is wrong and how to fix it */
  message: string;
}

export class Problems {
  readonly list: ValidationProblem[] = [];

  add(field: string, message: string): void {
    this.list.push({ field, message });
  }

  /** The object at `path`, or undefined (reporting a problem if it is present but not an object, or required). */
  object(
    value: unknown,
    path: string,
    required: string | false,
  ): Record<string, unknown> | undefined {
    if (value === undefined || value === null) {
      if (required) this.add(path, `is required: ${required}`);
      return undefined;
    }
    if (!isPlainObject(value)) {
      this.add(path, `must be an object (a YAML mapping), not ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  /** The string at `path`, or undefined (reporting a problem if it has another type, or is required). */
  string(value: unknown, path: string, required: string | false): string | undefined {
    if (value === undefined || value === null || (required && value === '')) {
      if (required) this.add(path, `is required: ${required}`);
      return undefined;
    }
    if (typeof value !== 'string') {
      this.add(path, `must be a string, not ${describe(value)} (quote it in YAML)`);
      return undefined;
    }
    return value;
  }

  boolean(value: unknown, path: string): void {
    if (value !== undefined && value !== null && typeof value !== 'boolean') {
      this.add(path, `must be true or false, not ${describe(value)}`);
    }
  }

  /** The array at `path` (an empty one when absent), reporting a problem if it is not an array. */
  array(value: unknown, path: string): unknown[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) {
      this.add(path, `must be a list, not ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  /** A list of strings; undefined if absent or malformed. */
  strings(value: unknown, path: string): string[] | undefined {
    const list = this.array(value, path);
    if (!list) return undefined;
    let ok = true;
    list.forEach((v, i) => {
      if (typeof v !== 'string') {
        this.add(`${path}[${i}]`, `must be a string, not ${describe(v)} (quote it in YAML)`);
        ok = false;
      }
    });
    return ok ? (list as string[]) : undefined;
  }

  /** A map of string to string (label selectors); undefined if absent or malformed. */
  stringMap(
    value: unknown,
    path: string,
    required: string | false,
  ): Record<string, string> | undefined {
    const obj = this.object(value, path, required);
    if (!obj) return undefined;
    let ok = true;
    for (const [k, v] of Object.entries(obj)) {
      if (typeof v !== 'string') {
        // A label key has dots and slashes of its own: `[key]`, as kube's field paths write map keys.
        this.add(
          `${path}[${k}]`,
          `must be a string, not ${describe(v)} (quote it in YAML, e.g. "true")`,
        );
        ok = false;
      }
    }
    return ok ? (obj as Record<string, string>) : undefined;
  }

  /** An object with a non-empty `name` (a LocalObjectReference). */
  reference(value: unknown, path: string, required: string | false, what: string): void {
    const obj = this.object(value, path, required);
    if (obj) this.string(obj.name, `${path}.name`, `name the ${what}`);
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}
