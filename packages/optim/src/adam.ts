import { AdamBase, type AdamGroupOptions, type AdamOptions } from './adam-base.js';
import type { Params } from './optimizer.js';

/**
 * Adam (Kingma & Ba, 2015), with the AMSGrad variant: PyTorch 1.13's `torch.optim.Adam`. For each
 * parameter θ with gradient g, at step t (from 1):
 *
 * ```
 * if maximize: g ← −g
 * if weightDecay ≠ 0: g ← g + weightDecay·θ         (L2 penalty; see AdamW for decoupled decay)
 * m ← β₁·m + (1 − β₁)·g
 * v ← β₂·v + (1 − β₂)·g²
 * if amsgrad: v̂ ← max(v̂, v) else v̂ ← v
 * θ ← θ − lr/(1 − β₁ᵗ) · m / (√v̂ / √(1 − β₂ᵗ) + eps)
 * ```
 *
 * Defaults: `lr` 1e-3, `betas` [0.9, 0.999], `eps` 1e-8, `weightDecay` 0, `amsgrad` false, `maximize` false.
 *
 * @example
 * const opt = new Adam(model.parameters(), { lr: 3e-4 });
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
 */
export class Adam extends AdamBase {
  constructor(params: Params<AdamGroupOptions>, options: AdamOptions = {}) {
    super('Adam', params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false }, options, false);
  }
}
