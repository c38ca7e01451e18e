import type { FieldError } from '../schema';
import * as fe from '../schema/field-errors';
import type { KubeObject } from './types';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

const LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_VALUE_MESSAGE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const QUALIFIED_NAME_MESSAGE =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

function validateKey(path: string, key: string): FieldError[] {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : '';
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const errors: FieldError[] = [];
  if (slash >= 0 && (!DNS1123_SUBDOMAIN.test(prefix) || prefix.length > 253)) {
    errors.push(fe.invalid(path, key, `prefix part ${SUBDOMAIN_MESSAGE}`));
  }
  if (!QUALIFIED_NAME.test(name) || name.length > 63) {
    errors.push(fe.invalid(path, key, QUALIFIED_NAME_MESSAGE));
  }
  return errors;
}

/** ObjectMeta validation as kube-apiserver does it for every kind (names, labels, annotations). */
export function validateObjectMeta(object: KubeObject, dnsLabelName: boolean): FieldError[] {
  const meta = object.metadata;
  const errors: FieldError[] = [];
  const name = meta.name ?? '';
  if (!name) {
    errors.push(fe.required('metadata.name', 'name or generateName is required'));
  } else if (dnsLabelName) {
    if (!DNS1123_LABEL.test(name)) errors.push(fe.invalid('metadata.name', name, LABEL_MESSAGE));
    if (name.length > 63) errors.push(fe.tooLong('metadata.name', 63));
  } else {
    if (!DNS1123_SUBDOMAIN.test(name))
      errors.push(fe.invalid('metadata.name', name, SUBDOMAIN_MESSAGE));
    if (name.length > 253) errors.push(fe.tooLong('metadata.name', 253));
  }
  for (const [key, value] of Object.entries(meta.labels ?? {})) {
    errors.push(...validateKey('metadata.labels', key));
    if (typeof value !== 'string' || !LABEL_VALUE.test(value) || value.length > 63) {
      errors.push(fe.invalid('metadata.labels', value, LABEL_VALUE_MESSAGE));
    }
  }
  for (const [key, value] of Object.entries(meta.annotations ?? {})) {
    errors.push(...validateKey('metadata.annotations', key));
    if (typeof value !== 'string') {
      errors.push(fe.invalid(`metadata.annotations`, value, 'annotation values must be strings'));
    }
  }
  (meta.ownerReferences ?? []).forEach((ref, i) => {
    for (const field of ['apiVersion', 'kind', 'name', 'uid'] as const) {
      if (!ref[field])
        errors.push(
          fe.invalid(
            `metadata.ownerReferences[${i}].${field}`,
            ref[field] ?? '',
            `${field} must not be empty`,
          ),
        );
    }
  });
  return errors;
}

const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** `generateName` + 5 characters from the alphabet kube-apiserver uses. */
export function generateName(prefix: string): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) {
    suffix += GENERATE_ALPHABET[Math.floor(Math.random() * GENERATE_ALPHABET.length)];
  }
  return `${prefix.slice(0, 58)}${suffix}`;
}
