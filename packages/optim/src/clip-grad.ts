import { Tensor, ValueError, clampInPlace_, scaleInPlace_, stack, vectorNorm } from '@backprop/tensor';
import { checkNumber } from './options.js';

function gradsOf(params: Tensor | Iterable<Tensor>): Tensor[] {
  const list = params instanceof Tensor ? [params] : [...params];
  return list.flatMap((p) => (p.grad ? [p.grad] : []));
}

/**
 * Scales the gradients of `params` in place so that their total norm is at most `maxNorm`, as PyTorch's
 * `torch.nn.utils.clip_grad_norm_`; returns the total norm before clipping. The total norm is the
 * `normType`-norm of the per-tensor norms (the norm of all gradients as one vector), and every gradient is
 * multiplied by min(1, maxNorm / (total + 1e-6)): the 1e-6 keeps the result just under `maxNorm` and
 * avoids dividing by zero. Parameters without a gradient are skipped; with none, the result is 0.
 *
 * @example
 * loss.backward();
 * const norm = clipGradNorm(model.parameters(), 1.0);
 * opt.step();
 */
export function clipGradNorm(
  params: Tensor | Iterable<Tensor>,
  maxNorm: number,
  normType: number | 'inf' = 2,
  { errorIfNonfinite = false }: { errorIfNonfinite?: boolean } = {},
): number {
  const p = normType === 'inf' ? Infinity : normType;
  checkNumber('clipGradNorm', 'maxNorm', maxNorm, { min: 0 });
  checkNumber('clipGradNorm', 'normType', p, { min: 0, minOpen: true });
  const grads = gradsOf(params);
  if (grads.length === 0) return 0;
  // As PyTorch: the norm of the per-tensor norms, each computed by a kernel where the gradient lives.
  const total = vectorNorm(stack(grads.map((g) => vectorNorm(g, p).astype('float64'))), p).item();
  if (errorIfNonfinite && !Number.isFinite(total)) {
    throw new ValueError('clipGradNorm', `the total norm of order ${p} of the gradients is ${total}, so it cannot be clipped`);
  }
  const coef = Math.min(maxNorm / (total + 1e-6), 1);
  // Multiplying by 1 changes nothing, so skip that pass; a NaN coefficient still spreads, as in PyTorch.
  if (!(coef >= 1)) for (const g of grads) scaleInPlace_(g, coef);
  return total;
}

/**
 * Clamps every gradient element of `params` into [−clipValue, clipValue] in place, as PyTorch's
 * `torch.nn.utils.clip_grad_value_`.
 *
 * @example
 * loss.backward();
 * clipGradValue(model.parameters(), 0.5);
 */
export function clipGradValue(params: Tensor | Iterable<Tensor>, clipValue: number): void {
  checkNumber('clipGradValue', 'clipValue', clipValue, { min: 0 });
  for (const g of gradsOf(params)) clampInPlace_(g, -clipValue, clipValue);
}
