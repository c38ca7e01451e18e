import { workState, type ManifestWork, type WorkState } from '../model';

// The informer cache never changes a ManifestWork in place (a change replaces the object), so a work's state
// can live with the object: each reconcile reads anew only the works that changed since the one before,
// instead of parsing the feedback of thousands of unchanged works again.
const states = new WeakMap<ManifestWork, WorkState>();

/** The model's workState of a cached ManifestWork, computed once per object. */
export function cachedWorkState(work: ManifestWork): WorkState {
  let state = states.get(work);
  if (!state) {
    state = workState(work);
    states.set(work, state);
  }
  return state;
}
