import { BatchV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { Counter } from 'prom-client';
import type { ImagesConfig } from '../config';
import type { EventRecorder } from '../events/event-recorder';
import { apiFailure, isConflict, isNotFound } from '../kube/api-errors';
import { PerKeyBackoff } from '../queue/backoff';
import { Informer, dropManagedFields } from '../kube/informer';
import { JOB_RESOURCE } from '../kube/resources';
import { NotLeaderError, type WriteGate } from '../kube/write-gate';
import type { Logger } from '../logging';
import type { ControllerMetrics } from '../metrics';
import { MCM_API_VERSION, MCM_KIND } from '../model/constants';
import {
  IMAGE_JOB_SELECTOR,
  imageJobEvent,
  imageJobName,
  jobPhase,
  renderImageJob,
  unsignedImageFor,
  type ImageJobType,
} from '../model/image-jobs';
import type { KubeObject } from '../model/types';
import type { ImageQuery, ImageStateAnswer, ImageStates } from './image-states';
import { JobInputsReader, type JobRecipe, type PreparedJob } from './job-inputs';
import { RegistryChecks, type CheckTarget } from './registry-checks';
import { RegistryClient } from './registry/client';

/** The `run` command's image settings (see ImagesConfig), plus what the controller wires in. */
export interface RegistryImageStatesOptions extends ImagesConfig {
  kubeConfig: KubeConfig;
  /** the controller's namespace: Jobs, Dockerfile ConfigMaps and Secrets live there */
  namespace: string;
  gate: WriteGate;
  events: EventRecorder;
  logger: Logger;
  metrics: ControllerMetrics;
}

type Job = KubeObject & {
  spec?: unknown;
  status?: { completionTime?: string; conditions?: unknown };
};

interface Tracked {
  query: ImageQuery;
  /** check keys this image's answer reads */
  checks: string[];
  /** the Job step it needs now, if any, and what preparing it gave */
  step?: { key: string; recipe: JobRecipe; prepared?: PreparedJob; preparing: boolean };
  answer?: ImageStateAnswer;
}

/**
 * Image states from the registries, with hub builds and signs: each distinct image is checked once for the
 * whole fleet (RegistryChecks); an image that is missing and has a build or sign recipe gets one Job, named
 * from a hash of its inputs, shared by every MCM and cluster that needs it. The reconciler reads answers
 * synchronously; a check result or a Job's progress re-plans the MCMs concerned through `onChange`.
 *
 * Nothing rolled out is withdrawn or unpinned for registry trouble: an image with a known digest stays Ready
 * with that digest (the status says what is wrong) until the registry answers again.
 */
export class RegistryImageStates implements ImageStates {
  private readonly byMcm = new Map<string, Map<string, Tracked>>();
  private readonly listeners = new Set<(mcms: string[]) => void>();
  private readonly client: RegistryClient;
  private readonly checks: RegistryChecks;
  private readonly reader: JobInputsReader;
  private readonly jobs: Informer<Job>;
  private readonly batch: BatchV1Api;
  private readonly creating = new Set<string>();
  /** Job creates that failed: not tried again before this time (backoff, or the server's Retry-After) */
  private readonly createAfter = new Map<string, number>();
  private readonly createBackoff = new PerKeyBackoff(500, 60_000);
  private readonly jobCounter: Counter<'type' | 'event'>;
  private readonly requestCounter: Counter<'registry' | 'code'>;
  private readonly dirty = new Set<string>();
  private flushScheduled = false;
  private gcTimer?: NodeJS.Timeout;
  private readonly startedAt = Date.now();
  private stopped = false;

  constructor(private readonly options: RegistryImageStatesOptions) {
    const { metrics } = options;
    this.requestCounter = metrics.registryRequests;
    this.jobCounter = metrics.imageJobs;
    this.client = new RegistryClient({
      timeoutMs: options.registryTimeoutMs,
      caFile: options.registryCaFile,
      onRequest: (registry, status) => {
        this.requestCounter.inc({ registry, code: String(status) });
      },
    });
    this.checks = new RegistryChecks({
      client: this.client,
      kubeConfig: options.kubeConfig,
      namespace: options.namespace,
      logger: options.logger,
      concurrency: options.registryConcurrency,
      recheckIntervalMs: options.recheckIntervalMs,
      onResult: (key) => this.checkChanged(key),
    });
    this.reader = new JobInputsReader(options.kubeConfig, {
      namespace: options.namespace,
      builderImage: options.builderImage,
      signerImage: options.signerImage,
    });
    this.batch = options.kubeConfig.makeApiClient(BatchV1Api);
    this.jobs = new Informer<Job>({
      kubeConfig: options.kubeConfig,
      resource: JOB_RESOURCE,
      namespace: options.namespace,
      labelSelector: IMAGE_JOB_SELECTOR,
      logger: options.logger.child({ informer: 'jobs' }),
      metrics,
      transform: dropManagedFields,
    });
    this.jobs.on({
      add: (j) => this.jobChanged(undefined, j),
      update: (o, j) => this.jobChanged(o, j),
      delete: (j) => this.jobChanged(j, undefined),
    });
    this.jobs.start();
    this.scheduleGc();
  }

  lookup(mcm: string, image: string): ImageStateAnswer | undefined {
    return this.byMcm.get(mcm)?.get(image)?.answer;
  }

  track(mcm: string, queries: readonly ImageQuery[]): boolean {
    const previous = this.byMcm.get(mcm) ?? new Map<string, Tracked>();
    const next = new Map<string, Tracked>();
    let changed = false;
    for (const query of queries) {
      const old = previous.get(query.image);
      // the written status (lastKnown) changes with every answer: it is no new recipe
      const same = old && recipeKey(old.query) === recipeKey(query);
      const t: Tracked = same ? old : { query, checks: [] };
      t.query = query;
      next.set(query.image, t);
      // what lookup said before this call: nothing for an image not tracked yet
      const before = old?.answer;
      this.evaluate(mcm, t);
      if (!sameAnswer(before, t.answer)) changed = true;
    }
    this.byMcm.set(mcm, next);
    this.pruneChecks();
    return changed;
  }

  forget(mcm: string): void {
    this.byMcm.delete(mcm);
    this.pruneChecks();
  }

  onChange(listener: (mcmNames: string[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.gcTimer);
    this.checks.stop();
    await this.jobs.stop();
    await this.client.close();
  }

  /** The answer for one image of one MCM, from the checks and Jobs as they are; starts what is missing. */
  private evaluate(mcm: string, t: Tracked): void {
    const { query } = t;
    const r = query.recipe?.resolved;
    const tls = r?.registryTLS;
    const target: CheckTarget = {
      image: query.image,
      insecure: tls?.insecure,
      insecureSkipTLSVerify: tls?.insecureSkipTLSVerify,
      pullSecret: query.recipe?.pullSecret,
    };
    const key = this.checks.ensure(target);
    t.checks = [key];
    const result = this.checks.result(key);
    const pin = (digest: string | undefined) => (this.options.pinDigests ? digest : undefined);
    const lastKnown = query.recipe?.lastKnown;
    if (!result) {
      // not checked yet (a controller just started): keep saying what the status says
      t.answer = lastKnown && lastKnown.state !== 'Unknown' ? lastKnown : undefined;
      return;
    }
    if (result.kind === 'found') {
      t.step = undefined;
      t.answer = withDigest({ state: 'Ready' }, pin(result.digest));
      return;
    }
    if (result.kind === 'error') {
      const last =
        this.checks.lastDigest(key) ??
        (lastKnown?.state === 'Ready' ? lastKnown.digest : undefined);
      t.answer = last
        ? withDigest(
            {
              state: 'Ready',
              reason: result.reason,
              message: `${result.message}; the last digest seen stays rolled out`,
            },
            pin(last),
          )
        : { state: 'Unknown', reason: result.reason, message: result.message };
      return;
    }
    if (!query.build && !query.sign) {
      t.step = undefined;
      t.answer = {
        state: 'Missing',
        reason: 'ImageMissing',
        message:
          `${query.image} is not in its registry: push it, or give its kernel mapping a build ` +
          '(and sign) so that kmm-hub builds it',
      };
      return;
    }
    if (!r) {
      t.answer = {
        state: 'Waiting',
        reason: 'NoRecipe',
        message: `${query.image} needs a build or sign`,
      };
      return;
    }
    // Missing, and kmm-hub can make it: which step comes next?
    let recipe: JobRecipe;
    const base = {
      destination: query.image,
      resolved: r,
      pullSecret: query.recipe?.pullSecret,
      tolerations: query.recipe?.tolerations,
      rebuildTrigger: query.recipe?.rebuildTrigger,
    };
    if (query.sign) {
      const unsigned = query.build ? unsignedImageFor(query.image) : r.sign?.unsignedImage;
      if (!unsigned) {
        t.answer = {
          state: 'Failed',
          reason: 'SignConfigInvalid',
          message: `${query.image} is signed on the hub without a build: set sign.unsignedImage to the image to sign`,
        };
        return;
      }
      const utls = query.build ? tls : (r.sign?.unsignedImageRegistryTLS ?? tls);
      const ukey = this.checks.ensure({
        image: unsigned,
        insecure: utls?.insecure,
        insecureSkipTLSVerify: utls?.insecureSkipTLSVerify,
        pullSecret: query.recipe?.pullSecret,
      });
      t.checks.push(ukey);
      const u = this.checks.result(ukey);
      if (!u) {
        t.answer = meanwhile(t, {
          state: 'Waiting',
          reason: 'CheckingUnsignedImage',
          message: `checking ${unsigned}`,
        });
        return;
      }
      if (u.kind === 'error') {
        t.answer = { state: 'Unknown', reason: u.reason, message: u.message };
        return;
      }
      if (u.kind === 'missing' && !query.build) {
        t.answer = {
          state: 'Missing',
          reason: 'UnsignedImageMissing',
          message: `${query.image} is to be signed from ${unsigned}, which is not in its registry: push it`,
        };
        return;
      }
      recipe =
        u.kind === 'missing'
          ? { ...base, type: 'build', destination: unsigned }
          : { ...base, type: 'sign', unsignedImage: unsigned };
    } else {
      recipe = { ...base, type: 'build' };
    }
    const stepKey = JSON.stringify(recipe);
    if (t.step?.key !== stepKey) t.step = { key: stepKey, recipe, preparing: false };
    t.answer = this.stepAnswer(mcm, t, query.image);
  }

  private stepAnswer(mcm: string, t: Tracked, image: string): ImageStateAnswer {
    const step = t.step!;
    const type = step.recipe.type;
    const running: ImageStateAnswer['state'] = type === 'build' ? 'Building' : 'Signing';
    const prepared = step.prepared;
    if (!prepared) {
      this.prepare(mcm, t);
      return meanwhile(t, {
        state: 'Waiting',
        reason: 'PreparingJob',
        message: `reading the ${type} inputs of ${image}`,
      });
    }
    if (!prepared.ok) {
      return prepared.retry
        ? { state: 'Unknown', reason: prepared.reason, message: prepared.message }
        : { state: 'Failed', reason: prepared.reason, message: prepared.message };
    }
    const conflict = this.conflictFor(mcm, step.recipe.destination, type, prepared.hash);
    if (conflict === 'pending') {
      return meanwhile(t, {
        state: 'Waiting',
        reason: 'PreparingJob',
        message: `reading the ${type} inputs of ${image}`,
      });
    }
    if (conflict)
      return {
        state: 'Failed',
        reason: 'ConflictingBuildInputs',
        message:
          `${step.recipe.destination} is also to be ${type === 'build' ? 'built' : 'signed'} by ManagedClusterModule ` +
          `${conflict.with} with different inputs: one image cannot have two recipes; give one of them another image name`,
      };
    const name = imageJobName(type, prepared.hash);
    const job = this.jobs.store.get(`${this.options.namespace}/${name}`);
    if (!job) {
      this.createJob(name, step, prepared);
      return {
        state: running,
        reason: `${cap(type)}JobCreating`,
        message: `Job ${name} is being created`,
      };
    }
    const phase = jobPhase(job);
    if (phase.phase === 'Failed')
      return {
        state: 'Failed',
        reason: `${cap(type)}Failed`,
        message:
          `Job ${name} failed${phase.message ? ` (${phase.message})` : ''}: see kubectl logs -n ` +
          `${this.options.namespace} job/${name}; it runs again when its inputs change`,
      };
    if (phase.phase === 'Succeeded')
      return {
        state: running,
        reason: `${cap(type)}Succeeded`,
        message: `Job ${name} succeeded; checking ${step.recipe.destination} in its registry`,
      };
    return { state: running, reason: `${cap(type)}Running`, message: `Job ${name} is running` };
  }

  /** Another MCM that needs the same destination with different inputs, if any. */
  private conflictFor(
    mcm: string,
    destination: string,
    type: ImageJobType,
    hash: string,
  ): { with: string } | 'pending' | undefined {
    let pending = false;
    for (const [other, images] of this.byMcm) {
      if (other === mcm) continue;
      for (const t of images.values()) {
        if (t.step?.recipe.destination !== destination || t.step.recipe.type !== type) continue;
        const p = t.step.prepared;
        if (p?.ok && p.hash !== hash) return { with: other };
        if (!p) pending = true;
      }
    }
    // another MCM's inputs for the same image are still being read: a Job started now could be the wrong one
    return pending ? 'pending' : undefined;
  }

  /** The MCMs whose next step makes `destination`: they decide together whether their inputs agree. */
  private mcmsMaking(destination: string): string[] {
    const out: string[] = [];
    for (const [mcm, images] of this.byMcm)
      for (const t of images.values())
        if (t.step?.recipe.destination === destination) {
          out.push(mcm);
          break;
        }
    return out;
  }

  private prepare(mcm: string, t: Tracked): void {
    const step = t.step!;
    if (step.preparing || this.stopped) return;
    step.preparing = true;
    void this.reader.prepare(step.recipe).then((prepared) => {
      step.preparing = false;
      step.prepared = prepared;
      // Read the inputs again later: an edited Dockerfile or a rotated key is a new Job, and a fixed ConfigMap
      // clears a failure. The answer keeps the last reading meanwhile, so the status does not flap.
      const again = !prepared.ok && prepared.retry ? 5000 : this.options.recheckIntervalMs;
      const timer = setTimeout(() => {
        if (this.byMcm.get(mcm)?.get(t.query.image) === t && t.step === step) this.prepare(mcm, t);
      }, again);
      timer.unref();
      this.markDirty(mcm);
      for (const other of this.mcmsMaking(step.recipe.destination)) this.markDirty(other);
    });
  }

  private createJob(
    name: string,
    step: NonNullable<Tracked['step']>,
    prepared: PreparedJob & { ok: true },
  ): void {
    const { gate, namespace, logger } = this.options;
    if (this.creating.has(name) || !gate.canWrite || this.stopped) return;
    if ((this.createAfter.get(name) ?? 0) > Date.now()) return;
    this.creating.add(name);
    const job = renderImageJob(prepared.inputs, {
      namespace,
      hash: prepared.hash,
      dockerfileConfigMap: prepared.dockerfileConfigMap,
    });
    const type = step.recipe.type;
    void gate
      .write('create', 'jobs', () =>
        this.batch.createNamespacedJob({ namespace, body: job as never }),
      )
      .then(
        (created) => {
          this.createAfter.delete(name);
          this.createBackoff.forget(name);
          this.jobCounter.inc({ type, event: 'created' });
          this.jobs.recordWrite(created as Job);
          logger.info({ job: name, image: step.recipe.destination }, `${type} Job created`);
          this.recordEvent(name, type, 'Created', step.recipe.destination);
        },
        (error: unknown) => {
          // another replica or an earlier run created it: the informer brings it
          if (isConflict(error) || error instanceof NotLeaderError) return;
          // Every reconcile of the MCM would try again at once: wait, and at least the Retry-After asked for.
          const failure = apiFailure(error);
          const retryInMs = Math.max(this.createBackoff.next(name), failure.retryAfterMs ?? 0);
          this.createAfter.set(name, Date.now() + retryInMs);
          const timer = setTimeout(() => {
            for (const mcm of this.mcmsUsingJob(name)) this.markDirty(mcm);
          }, retryInMs);
          timer.unref();
          logger.warn({ job: name, err: failure.message, retryInMs }, `cannot create ${type} Job`);
        },
      )
      .finally(() => {
        this.creating.delete(name);
        for (const mcm of this.mcmsUsingJob(name)) this.markDirty(mcm);
      });
  }

  private jobChanged(old: Job | undefined, job: Job | undefined): void {
    const j = job ?? old!;
    const name = j.metadata?.name ?? '';
    const type = (j.metadata?.labels?.['kmm-hub.io/image-job'] ?? 'build') as ImageJobType;
    const before = old ? jobPhase(old).phase : undefined;
    const now = job ? jobPhase(job) : undefined;
    if (now && before !== now.phase && before !== undefined) {
      const image = j.metadata?.annotations?.['kmm-hub.io/image'] ?? '';
      if (now.phase === 'Succeeded' || now.phase === 'Failed') {
        this.jobCounter.inc({ type, event: now.phase.toLowerCase() });
        this.recordEvent(name, type, now.phase, image, now.message);
      }
    }
    if (now?.phase === 'Succeeded') {
      // the image was just pushed: look at it now rather than at the next interval
      for (const t of this.allTracked())
        if (
          t.step &&
          imageJobName(t.step.recipe.type, (t.step.prepared as { hash?: string })?.hash ?? '') ===
            name
        )
          for (const key of t.checks) this.checks.recheck(key);
    }
    for (const mcm of this.mcmsUsingJob(name)) this.markDirty(mcm);
  }

  private recordEvent(
    name: string,
    type: ImageJobType,
    step: 'Created' | 'Succeeded' | 'Failed',
    image: string,
    detail?: string,
  ): void {
    const e = imageJobEvent(type, step, image, name, detail);
    for (const mcm of this.mcmsUsingJob(name)) {
      const uid = [...(this.byMcm.get(mcm)?.values() ?? [])][0]?.query.recipe?.mcmUid ?? '';
      this.options.events.record({
        regarding: { apiVersion: MCM_API_VERSION, kind: MCM_KIND, name: mcm, uid },
        ...e,
      });
    }
  }

  private mcmsUsingJob(name: string): string[] {
    const out: string[] = [];
    for (const [mcm, images] of this.byMcm)
      for (const t of images.values()) {
        const p = t.step?.prepared;
        if (t.step && p?.ok && imageJobName(t.step.recipe.type, p.hash) === name) {
          out.push(mcm);
          break;
        }
      }
    return out;
  }

  private checkChanged(key: string): void {
    for (const [mcm, images] of this.byMcm)
      for (const t of images.values())
        if (t.checks.includes(key)) {
          this.markDirty(mcm);
          break;
        }
  }

  private *allTracked(): Iterable<Tracked> {
    for (const images of this.byMcm.values()) yield* images.values();
  }

  /** Re-evaluates the MCM soon (coalesced) and tells the listeners when an answer changed. */
  private markDirty(mcm: string): void {
    if (this.stopped) return;
    this.dirty.add(mcm);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      const changed: string[] = [];
      for (const name of [...this.dirty]) {
        this.dirty.delete(name);
        const images = this.byMcm.get(name);
        if (!images) continue;
        let any = false;
        for (const t of images.values()) {
          const before = t.answer;
          this.evaluate(name, t);
          if (!sameAnswer(before, t.answer)) any = true;
        }
        if (any) changed.push(name);
      }
      if (changed.length > 0) for (const l of this.listeners) l(changed);
    });
  }

  private pruneChecks(): void {
    const keys = new Set<string>();
    for (const t of this.allTracked()) for (const k of t.checks) keys.add(k);
    this.checks.retain(keys);
  }

  /**
   * Removes succeeded Jobs after their TTL, and running or failed Jobs no MCM needs any more (a failed Job
   * stays while its inputs are still wanted, for inspection). Waits one interval after start so that every MCM has been
   * tracked before deciding what is not needed.
   */
  private scheduleGc(): void {
    const every = Math.min(
      this.options.recheckIntervalMs,
      Math.max(1000, this.options.succeededJobTtlMs),
    );
    this.gcTimer = setTimeout(() => {
      void this.collectJobs().finally(() => {
        if (!this.stopped) this.scheduleGc();
      });
    }, every);
    this.gcTimer.unref();
  }

  private async collectJobs(): Promise<void> {
    const { gate, namespace, succeededJobTtlMs, recheckIntervalMs } = this.options;
    if (!gate.canWrite || !this.jobs.hasSynced) return;
    const wanted = new Set<string>();
    for (const t of this.allTracked()) {
      const p = t.step?.prepared;
      if (t.step && p?.ok) wanted.add(imageJobName(t.step.recipe.type, p.hash));
    }
    const settled = Date.now() - this.startedAt > recheckIntervalMs;
    for (const job of this.jobs.store.list()) {
      const name = job.metadata?.name ?? '';
      const { phase } = jobPhase(job);
      const done = Date.parse(job.status?.completionTime ?? '') || 0;
      const expired = phase === 'Succeeded' && Date.now() - done >= succeededJobTtlMs;
      // a Job whose inputs no MCM needs any more (superseded or failed); succeeded ones wait for their TTL
      const unwanted = settled && phase !== 'Succeeded' && !wanted.has(name);
      if (!expired && !unwanted) continue;
      try {
        await gate.write('delete', 'jobs', () =>
          this.batch.deleteNamespacedJob({ name, namespace, propagationPolicy: 'Background' }),
        );
        this.jobs.recordDelete(job);
      } catch (error) {
        if (!isNotFound(error) && !(error instanceof NotLeaderError))
          this.options.logger.warn(
            { job: name, err: apiFailure(error).message },
            'cannot delete Job',
          );
      }
    }
  }
}

/**
 * A transient answer (something is being read or checked), unless the written status has a settled one for the
 * image: after a restart that one stands until the new answer is known, so the status does not flap.
 */
function meanwhile(t: Tracked, transient: ImageStateAnswer): ImageStateAnswer {
  const last = t.query.recipe?.lastKnown;
  return last && last.state !== 'Ready' && last.state !== 'Unknown' && last.state !== 'Waiting'
    ? last
    : transient;
}

function recipeKey(q: ImageQuery): string {
  if (!q.recipe?.lastKnown) return JSON.stringify(q);
  const { lastKnown: _ignored, ...recipe } = q.recipe;
  return JSON.stringify({ ...q, recipe });
}

function withDigest(a: ImageStateAnswer, digest: string | undefined): ImageStateAnswer {
  return digest ? { ...a, digest } : a;
}

function sameAnswer(a: ImageStateAnswer | undefined, b: ImageStateAnswer | undefined): boolean {
  return (
    a?.state === b?.state &&
    a?.digest === b?.digest &&
    a?.reason === b?.reason &&
    a?.message === b?.message
  );
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
