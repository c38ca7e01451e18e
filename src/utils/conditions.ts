import type { Condition } from './model';

export const findCondition = (
  conditions: Condition[] | undefined,
  type: string,
): Condition | undefined => conditions?.find((c) => c.type === type);

/** The newest lastTransitionTime among the conditions, if any carries one. */
export const lastTransition = (conditions: Condition[] | undefined): string | undefined =>
  conditions
    ?.map((c) => c.lastTransitionTime)
    .filter((t): t is string => !!t)
    .sort()
    .at(-1);
