/** What went wrong when asking a registry, in the classes a person acts on differently. */
export type RegistryErrorKind = 'unauthorized' | 'unreachable' | 'other';

/** A registry check that could not tell whether the image exists; the message says what to check. */
export class RegistryError extends Error {
  constructor(
    readonly kind: RegistryErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

/** Socket, DNS, TLS and timeout failures, as undici and AbortSignal report them. */
export function networkProblem(error: unknown): string {
  const parts: string[] = [];
  let e: unknown = error;
  for (let depth = 0; e && depth < 4; depth++) {
    const { name, code, message } = e as { name?: string; code?: string; message?: string };
    if (name === 'TimeoutError') return 'the request timed out';
    if (code) parts.push(code);
    else if (message && parts.length === 0) parts.push(message);
    e = (e as { cause?: unknown }).cause;
  }
  const text = parts.join(': ') || String(error);
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|TLS|SSL|ERR_SSL/i.test(text))
    return `TLS failed (${text}): give the controller the registry's CA (--registry-ca-file) or set registryTLS.insecureSkipTLSVerify`;
  return text;
}
