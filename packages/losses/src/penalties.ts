import { abs, add, mul, scalar, square, sum, type Tensor } from '@backprop/tensor';
import { checkFloat, checkIsTensor } from './checks.js';

function penalty(name: string, params: Iterable<Tensor>, term: (p: Tensor) => Tensor): Tensor {
  let total: Tensor | null = null;
  let index = 0;
  for (const param of params) {
    const p = checkIsTensor(name, `parameter ${index}`, param);
    checkFloat(name, `parameter ${index}`, p);
    total = total === null ? term(p) : add(total, term(p));
    index++;
  }
  return total ?? scalar(0);
}

/**
 * The L1 penalty Σ|w| over every element of every parameter (lasso). Its gradient is sign(w); scale it
 * yourself: `loss.add(l1Penalty(model.parameters()).mul(lambda))`. No parameters give 0.
 *
 * @example
 * l1Penalty([tensor([1, -2]), tensor([[3]])]).item(); // 6
 */
export function l1Penalty(params: Iterable<Tensor>): Tensor {
  return penalty('l1Penalty', params, (p) => sum(abs(p)));
}

/**
 * The L2 penalty ½Σw² over every element of every parameter. The ½ makes its gradient w, so
 * `loss.add(l2Penalty(params).mul(lambda))` shrinks weights exactly as PyTorch's `weight_decay=lambda` does
 * in SGD (not in Adam, whose decay is scaled by the adaptive step; AdamW decouples it). No parameters give 0.
 *
 * @example
 * l2Penalty([tensor([1, -2]), tensor([[3]])]).item(); // (1 + 4 + 9)/2 = 7
 */
export function l2Penalty(params: Iterable<Tensor>): Tensor {
  return penalty('l2Penalty', params, (p) => mul(sum(square(p)), 0.5));
}
