// A label selector object as the API server's `labelSelector` query string.
import type * as Real from '@openshift-console/dynamic-plugin-sdk';

export function selectorString(selector: Real.Selector | undefined): string {
  if (!selector) return '';
  const parts = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    switch (operator) {
      case 'Exists':
        parts.push(key);
        break;
      case 'DoesNotExist':
        parts.push(`!${key}`);
        break;
      case 'In':
        parts.push(`${key} in (${values.join(',')})`);
        break;
      case 'NotIn':
        parts.push(`${key} notin (${values.join(',')})`);
        break;
      case 'Equals':
        parts.push(`${key}=${values[0] ?? ''}`);
        break;
      case 'NotEquals':
        parts.push(`${key}!=${values[0] ?? ''}`);
        break;
      default:
        throw new Error(`selector: unsupported operator "${operator}" for key "${key}"`);
    }
  }
  return parts.join(',');
}
