import { k8sPatch, useAccessReview } from '@openshift-console/dynamic-plugin-sdk';
import { useCallback, useState } from 'react';
import { MCM_MODEL, mcmAccess } from '../../../../utils/k8s';
import type { ManagedClusterModule } from '../../../../utils/model';
import { resumePatch, resumeToken } from './rollout-view';

export interface ResumeRollout {
  /** the user may patch this MCM (access review) */
  allowed: boolean;
  /** the access review is still under way */
  checking: boolean;
  busy: boolean;
  error: string | undefined;
  resume: () => Promise<void>;
}

/** Resuming a halted rollout: the resume annotation, set with a patch the user must be allowed to make. */
export function useResumeRollout(mcm: ManagedClusterModule): ResumeRollout {
  const name = mcm.metadata.name ?? '';
  const [allowed, checking] = useAccessReview(mcmAccess('patch', name));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const resume = useCallback(async () => {
    setBusy(true);
    setError(undefined);
    try {
      await k8sPatch({
        model: MCM_MODEL,
        resource: mcm,
        data: resumePatch(mcm, resumeToken(new Date())),
      });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }, [mcm]);
  return { allowed, checking, busy, error, resume };
}
