import type { Softplus } from '@backprop/layers';
import type { OnnxExportRule } from '../registry.js';

/**
 * Below this threshold PyTorch's switch to y = x where βx > threshold is written out with Greater +
 * Where. At or above it the switch is left out: there softplus(βx)/β and x differ by log(1 + e^(−βx))/β,
 * a relative difference under e^(−threshold)/threshold ≈ 2·10⁻⁸, below float32 resolution (6·10⁻⁸).
 */
const EXACT_BELOW = 15;

/**
 * `Softplus(beta, threshold)`: ONNX's Softplus computes log(1 + eˣ) with no β and no threshold. β = 1
 * is that op alone; another β is Softplus(β·x)/β (Mul, Softplus, Div). PyTorch's threshold is exported
 * only when it is small enough to change float32 results (see `EXACT_BELOW`).
 */
export const exportSoftplus: OnnxExportRule = (layer, ctx) => {
  const { beta, threshold } = layer as Softplus;
  const x = ctx.input.name;
  const betaConst = beta === 1 ? undefined : ctx.constant('beta', [beta], []);
  const [betaX] = betaConst ? ctx.node('Mul', [x, betaConst]) : [x];
  const [soft] = ctx.node('Softplus', [betaX]);
  const [y] = betaConst ? ctx.node('Div', [soft, betaConst]) : [soft];
  if (threshold >= EXACT_BELOW) return y;
  const [above] = ctx.node('Greater', [betaX, ctx.constant('threshold', [threshold], [])]);
  return ctx.node('Where', [above, x, y])[0];
};
