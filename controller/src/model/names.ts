// Kubernetes name rules (k8s.io/apimachinery/pkg/util/validation), as messages that say how to comply.

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** undefined when `value` is a DNS-1123 label, else what is wrong. */
export function dnsLabelProblem(value: string): string | undefined {
  if (value.length > 63) return `must be at most 63 characters (it has ${value.length})`;
  if (!DNS_LABEL.test(value)) {
    return 'must be a DNS label: lower-case letters, digits and "-", starting and ending with a letter or digit';
  }
  return undefined;
}

/** undefined when `value` is a DNS-1123 subdomain, else what is wrong. */
export function dnsSubdomainProblem(value: string): string | undefined {
  if (value.length > 253) return `must be at most 253 characters (it has ${value.length})`;
  if (!DNS_SUBDOMAIN.test(value)) {
    return (
      'must be a DNS subdomain: lower-case letters, digits, "-" and ".", each dot-separated part starting ' +
      'and ending with a letter or digit'
    );
  }
  return undefined;
}

/** undefined when `value` is a qualified name (`[prefix/]name`, as label and taint keys are), else what is wrong. */
export function qualifiedNameProblem(value: string): string | undefined {
  const parts = value.split('/');
  if (parts.length > 2)
    return 'must be a name with at most one "/" (an optional DNS-subdomain prefix and a name)';
  const name = parts[parts.length - 1] as string;
  if (parts.length === 2) {
    const prefix = parts[0] as string;
    if (prefix === '') return 'must not have an empty prefix before "/"';
    const p = dnsSubdomainProblem(prefix);
    if (p) return `prefix "${prefix}" ${p}`;
  }
  if (name === '') return 'must have a name after the prefix';
  if (name.length > 63) return `name part must be at most 63 characters (it has ${name.length})`;
  if (!QUALIFIED_NAME_PART.test(name)) {
    return 'name part must consist of letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
  }
  return undefined;
}

/** undefined when `value` is a valid label value (empty allowed), else what is wrong. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return `must be at most 63 characters (it has ${value.length})`;
  if (!LABEL_VALUE.test(value)) {
    return 'must be empty or consist of letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
  }
  return undefined;
}
