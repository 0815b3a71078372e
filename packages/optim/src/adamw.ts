import { AdamBase, type AdamGroupOptions, type AdamOptions } from './adam-base.js';
import type { Params } from './optimizer.js';

/**
 * AdamW (Loshchilov & Hutter, 2019): Adam with weight decay decoupled from the gradient, PyTorch 1.13's
 * `torch.optim.AdamW`. For each parameter θ with gradient g, at step t (from 1):
 *
 * ```
 * if maximize: g ← −g
 * θ ← θ·(1 − lr·weightDecay)
 * m ← β₁·m + (1 − β₁)·g
 * v ← β₂·v + (1 − β₂)·g²
 * if amsgrad: v̂ ← max(v̂, v) else v̂ ← v
 * θ ← θ − lr/(1 − β₁ᵗ) · m / (√v̂ / √(1 − β₂ᵗ) + eps)
 * ```
 *
 * Defaults: `lr` 1e-3, `betas` [0.9, 0.999], `eps` 1e-8, `weightDecay` 1e-2, `amsgrad` false, `maximize` false.
 *
 * @example
 * const opt = new AdamW([
 *   { params: weights },
 *   { params: biases, weightDecay: 0 }, // no decay on biases
 * ], { lr: 1e-3, weightDecay: 0.05 });
 */
export class AdamW extends AdamBase {
  constructor(params: Params<AdamGroupOptions>, options: AdamOptions = {}) {
    super('AdamW', params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false, maximize: false }, options, true);
  }
}
