import { Tensor, ValueError, clampInPlace_, copy_, div, minimum, scalar, scaleInPlace_, stack, vectorNorm } from '@backprop/tensor';
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
 * avoids dividing by zero. Parameters without a gradient are skipped; with none, the result is 0. It reads
 * the norm synchronously: on webgpu use `clipGradNormAsync`.
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
  const { grads, p } = clipArguments('clipGradNorm', params, maxNorm, normType);
  if (grads.length === 0) return 0;
  return scaleToNorm('clipGradNorm', grads, totalNorm(grads, p).item(), maxNorm, p, errorIfNonfinite);
}

/**
 * `clipGradNorm` on every backend, a GPU's included: the total norm is read back with `await`, since a GPU
 * cannot be read synchronously (`clipGradNorm` can only where the gradients live on the host or a backend
 * that reads synchronously). Resolves to the total norm before clipping, after scaling the gradients in
 * place; the same arguments and results as `clipGradNorm`.
 *
 * @example
 * loss.backward();
 * const norm = await clipGradNormAsync(model.parameters(), 1.0); // on webgpu too
 * opt.step();
 */
export async function clipGradNormAsync(
  params: Tensor | Iterable<Tensor>,
  maxNorm: number,
  normType: number | 'inf' = 2,
  { errorIfNonfinite = false }: { errorIfNonfinite?: boolean } = {},
): Promise<number> {
  const { grads, p } = clipArguments('clipGradNormAsync', params, maxNorm, normType);
  if (grads.length === 0) return 0;
  const [total] = await totalNorm(grads, p).read();
  return scaleToNorm('clipGradNormAsync', grads, total, maxNorm, p, errorIfNonfinite);
}

/**
 * `clipGradNorm` without reading anything back: the total norm stays a 0-d tensor (as PyTorch's
 * `clip_grad_norm_` returns it) and the gradients are scaled by min(1, maxNorm / (total + 1e-6)) as a
 * tensor, where they live. The form for a GPU inside a synchronous step, such as a wrapped optimizer's
 * `step()` under `fit`; read the norm with `await norm.read()` when it is wanted. Without gradients the
 * result is a 0-d 0. (`errorIfNonfinite` needs the value on the host: use `clipGradNormAsync` for it.)
 *
 * @example
 * loss.backward();
 * const norm = clipGradNormTensor(model.parameters(), 1.0); // nothing waits for the GPU
 * opt.step();
 */
export function clipGradNormTensor(params: Tensor | Iterable<Tensor>, maxNorm: number, normType: number | 'inf' = 2): Tensor {
  const { grads, p } = clipArguments('clipGradNormTensor', params, maxNorm, normType);
  if (grads.length === 0) return scalar(0);
  const total = totalNorm(grads, p);
  const coef = minimum(div(maxNorm, total.add(1e-6)), 1);
  for (const g of grads) copy_(g, g.mul(coef.astype(g.dtype)));
  return total;
}

function clipArguments(op: string, params: Tensor | Iterable<Tensor>, maxNorm: number, normType: number | 'inf'): { grads: Tensor[]; p: number } {
  const p = normType === 'inf' ? Infinity : normType;
  checkNumber(op, 'maxNorm', maxNorm, { min: 0 });
  checkNumber(op, 'normType', p, { min: 0, minOpen: true });
  return { grads: gradsOf(params), p };
}

/**
 * As PyTorch: the norm of the per-tensor norms, each computed by a kernel where the gradient lives. Host
 * norms are combined in float64; norms on a device keep their dtype (a GPU has no float64).
 */
function totalNorm(grads: Tensor[], p: number): Tensor {
  return vectorNorm(stack(grads.map((g) => {
    const norm = vectorNorm(g, p);
    return norm.storage.isHost ? norm.astype('float64') : norm;
  })), p);
}

/** Scales `grads` in place by min(1, maxNorm / (total + 1e-6)); returns `total`. */
function scaleToNorm(op: string, grads: Tensor[], total: number, maxNorm: number, p: number, errorIfNonfinite: boolean): number {
  if (errorIfNonfinite && !Number.isFinite(total)) {
    throw new ValueError(op, `the total norm of order ${p} of the gradients is ${total}, so it cannot be clipped`);
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
