import { ValueError } from '@backprop/tensor';
import type { SchedulableOptimizer } from './lr-scheduler.js';

/** Where a schedule cycles the momentum: SGD/RMSprop's `momentum`, or β₁ of Adam-like `betas`. */
export type MomentumField = 'momentum' | 'betas';

type Group = Record<string, unknown>;

/** The field holding each group's momentum, or an error naming `owner` if the groups have neither. */
export function momentumField(owner: string, optimizer: SchedulableOptimizer, allowBetas: boolean): MomentumField {
  const groups = optimizer.paramGroups as unknown as Group[];
  if (allowBetas && groups.every((g) => Array.isArray(g.betas))) return 'betas';
  if (groups.every((g) => typeof g.momentum === 'number')) return 'momentum';
  const what = allowBetas ? 'a momentum or betas option (SGD, RMSprop, Adam, …)' : 'a momentum option (SGD, RMSprop)';
  throw new ValueError(owner, `cycleMomentum needs an optimizer with ${what}; pass cycleMomentum: false otherwise`);
}

/** Sets group `i`'s momentum (β₁ for `betas`, keeping β₂). */
export function setMomentum(optimizer: SchedulableOptimizer, field: MomentumField, i: number, value: number): void {
  const group = optimizer.paramGroups[i] as unknown as Group;
  if (field === 'momentum') group.momentum = value;
  else group.betas = [value, ...(group.betas as number[]).slice(1)];
}

/** A per-group value: one number for every group, or one per group. */
export function perGroup(owner: string, key: string, value: number | readonly number[], groups: number): number[] {
  if (typeof value === 'number') return new Array<number>(groups).fill(value);
  if (!Array.isArray(value) || value.length !== groups || value.some((v) => typeof v !== 'number' || Number.isNaN(v))) {
    throw new ValueError(owner, `${key} must be a number or an array of ${groups} numbers (one per parameter group), got ${JSON.stringify(value)}`);
  }
  return [...value];
}
