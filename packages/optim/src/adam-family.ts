import { ValueError } from '@backprop/tensor';
import { checkNumber, checkOptions } from './options.js';
import type { ParamGroup } from './optimizer.js';

/** Options every Adam-like optimizer shares: a learning rate, `betas`, `eps` and `weightDecay`. */
export interface AdamLikeGroup {
  lr: number;
  betas: readonly [number, number];
  eps: number;
  weightDecay?: number;
}

/** Checks `betas` (a pair in [0, 1)) and the non-negative numbers and flags of an Adam-like group. */
export function checkAdamLikeGroup(
  owner: string,
  group: ParamGroup<AdamLikeGroup>,
  where: string,
  nonNegative: readonly string[],
  flags: readonly string[] = [],
): void {
  if (!Array.isArray(group.betas) || group.betas.length !== 2) {
    throw new ValueError(owner, `betas must be a pair [beta1, beta2]${where}, got ${JSON.stringify(group.betas)}`);
  }
  checkNumber(owner, 'betas[0]', group.betas[0], { min: 0, max: 1, maxOpen: true }, where);
  checkNumber(owner, 'betas[1]', group.betas[1], { min: 0, max: 1, maxOpen: true }, where);
  checkOptions(owner, group, { nonNegative, flags }, where);
}
