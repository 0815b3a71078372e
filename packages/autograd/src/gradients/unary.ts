import {
  add, cast, cos, div, eq, erf, exp, ge, gt, isGradEnabled, le, lt, mul, neg, runKernel, sigmoid, sign, sin, square, sub, tanh,
  wrap, type Tensor,
} from '@backprop/tensor';
import { registerGradient } from '../registry.js';

const mask = (m: Tensor, like: Tensor): Tensor => cast(m, like.dtype);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * The fused kernel `kernel(g, v)` when the backward pass is not being recorded (no createGraph), else null
 * and the rule composes differentiable ops. Both give the same values (see cpu/activation-grad-fast.ts).
 */
function fused(kernel: string, g: Tensor, v: Tensor): Tensor | null {
  if (isGradEnabled() || g.dtype !== v.dtype) return null;
  return wrap(runKernel(kernel, [g, v], {}));
}

// Where the output already holds what the derivative needs (exp, sigmoid, tanh, sqrt), the rule reuses it.
export function registerUnaryGradients(): void {
  registerGradient('neg', (g) => [neg(g)]);
  registerGradient('abs', (g, { inputs: [x] }) => [mul(g, sign(x))]);
  registerGradient('sign', (g) => [mul(g, 0)]);
  registerGradient('square', (g, { inputs: [x] }) => [mul(g, mul(x, 2))]);
  registerGradient('exp', (g, { output }) => [mul(g, output)]);
  registerGradient('log', (g, { inputs: [x] }) => [div(g, x)]);
  registerGradient('log1p', (g, { inputs: [x] }) => [div(g, add(x, 1))]);
  registerGradient('sqrt', (g, { output }) => [div(g, mul(output, 2))]);
  registerGradient('rsqrt', (g, { output }) => [mul(g, mul(mul(output, square(output)), -0.5))]);
  registerGradient('reciprocal', (g, { output }) => [neg(mul(g, square(output)))]);
  registerGradient('erf', (g, { inputs: [x] }) => [mul(g, mul(exp(neg(square(x))), 2 / Math.sqrt(Math.PI)))]);
  registerGradient('sin', (g, { inputs: [x] }) => [mul(g, cos(x))]);
  registerGradient('cos', (g, { inputs: [x] }) => [neg(mul(g, sin(x)))]);
  registerGradient('sigmoid', (g, { output }) => [fused('sigmoidGrad', g, output) ?? mul(g, mul(output, sub(1, output)))]);
  registerGradient('tanh', (g, { output }) => [fused('tanhGrad', g, output) ?? mul(g, sub(1, square(output)))]);
  registerGradient('relu', (g, { inputs: [x] }) => [fused('reluGrad', g, x) ?? mul(g, mask(gt(x, 0), g))]);
  registerGradient('leakyRelu', (g, { inputs: [x], attrs }) => {
    const pos = mask(gt(x, 0), g);
    const slope = add(pos, mul(sub(1, pos), attrs.alpha as number));
    return [mul(g, slope)];
  });
  registerGradient('elu', (g, { inputs: [x], attrs }) => {
    const pos = mask(gt(x, 0), g);
    // For x ≤ 0 the derivative is alpha·eˣ, written with x (not the output) so second derivatives hold.
    const negPart = mul(exp(x), attrs.alpha as number);
    return [mul(g, add(pos, mul(sub(1, pos), negPart)))];
  });
  registerGradient('gelu', (g, { inputs: [x], attrs }) => {
    if (attrs.approximate === 'tanh') {
      const x3 = mul(mul(x, x), x);
      const inner = mul(add(x, mul(x3, 0.044715)), SQRT_2_OVER_PI);
      const t = tanh(inner);
      const dInner = mul(add(1, mul(mul(x, x), 3 * 0.044715)), SQRT_2_OVER_PI);
      const d = add(mul(add(t, 1), 0.5), mul(mul(mul(x, 0.5), sub(1, square(t))), dInner));
      return [mul(g, d)];
    }
    // d/dx x·Φ(x) = Φ(x) + x·φ(x), with Φ(x) = ½(1 + erf(x/√2)).
    const pdf = mul(exp(mul(square(x), -0.5)), INV_SQRT_2PI);
    const cdf = mul(add(erf(mul(x, Math.SQRT1_2)), 1), 0.5);
    return [mul(g, add(cdf, mul(x, pdf)))];
  });
  registerGradient('softplus', (g, { inputs: [x], attrs }) => {
    const beta = attrs.beta as number;
    const threshold = attrs.threshold as number;
    const linear = mask(gt(mul(x, beta), threshold), g);
    const s = sigmoid(mul(x, beta));
    return [mul(g, add(linear, mul(sub(1, linear), s)))];
  });
  registerGradient('hardTanh', (g, { inputs: [x], attrs }) => {
    const inside = mul(mask(gt(x, attrs.min as number), g), mask(lt(x, attrs.max as number), g));
    return [mul(g, inside)];
  });
  registerGradient('stdFromVariance', (g, { output }) => {
    // d√v/dv = 1/(2√v), taken as 0 where √v = 0 so a constant input does not give NaN.
    const zero = mask(eq(output, 0), g);
    return [mul(div(g, add(mul(output, 2), zero)), sub(1, zero))];
  });
  registerGradient('clamp', (g, { inputs: [x], attrs }) => {
    const inside = mul(mask(ge(x, attrs.min as number), g), mask(le(x, attrs.max as number), g));
    return [mul(g, inside)];
  });
}

