import { RegistryClient } from '../images/registry/client';
import { RegistryError } from '../images/registry/errors';
import { parseImageReference, type RegistryAnswer, type RegistryTarget } from '../model';
import { mapLimit } from '../runtime/concurrency';

const CONCURRENCY = 8;

/** Asks each target's registry whether it has the image (a manifest HEAD); distinct targets asked once. */
export class RegistryCheck {
  private readonly client: RegistryClient;
  private readonly answers = new Map<string, RegistryAnswer>();

  constructor(timeoutMs: number, caFile?: string) {
    this.client = new RegistryClient({ timeoutMs, caFile });
  }

  /**
   * Anonymous: the MCM's imageRepoSecret lives in the controller's namespace, which a reviewer or a CI identity
   * should not read; a registry that wants credentials answers with an error, reported as not checked.
   */
  async answer(targets: readonly RegistryTarget[]): Promise<Map<string, RegistryAnswer>> {
    const todo = [...new Map(targets.map((t) => [key(t), t])).values()].filter(
      (t) => !this.answers.has(key(t)),
    );
    await mapLimit(todo, CONCURRENCY, async (t) => {
      this.answers.set(key(t), await this.ask(t));
    });
    return new Map(targets.map((t) => [t.image, this.answers.get(key(t)) as RegistryAnswer]));
  }

  close(): Promise<void> {
    return this.client.close();
  }

  private async ask(t: RegistryTarget): Promise<RegistryAnswer> {
    const ref = parseImageReference(t.image);
    if ('error' in ref) return { kind: 'error', message: ref.error };
    try {
      return await this.client.resolve(t.image, ref, {
        insecure: t.insecure,
        insecureSkipTLSVerify: t.insecureSkipTLSVerify,
      });
    } catch (error) {
      return {
        kind: 'error',
        message: error instanceof RegistryError ? error.message : String(error),
      };
    }
  }
}

const key = (t: RegistryTarget) =>
  `${t.image}\n${t.insecure ? 'http' : 'https'}\n${t.insecureSkipTLSVerify ? 'skip' : 'verify'}`;
