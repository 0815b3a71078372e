import { add, div, eq, gt, log, mul, neg, pow, sub, sumToShape, cast, type Tensor } from '@backprop/tensor';
import { registerGradient, registerNonDifferentiable } from '../registry.js';

const asFloat = (mask: Tensor, like: Tensor): Tensor => cast(mask, like.dtype);

// Binary ops broadcast, so each input's gradient is summed back down to that input's shape.
export function registerArithmeticGradients(): void {
  registerGradient('add', (g, { inputs: [a, b] }) => [sumToShape(g, a.shape), sumToShape(g, b.shape)]);
  registerGradient('sub', (g, { inputs: [a, b], needsGrad }) => [
    sumToShape(g, a.shape),
    needsGrad[1] ? sumToShape(neg(g), b.shape) : null,
  ]);
  registerGradient('mul', (g, { inputs: [a, b], needsGrad }) => [
    needsGrad[0] ? sumToShape(mul(g, b), a.shape) : null,
    needsGrad[1] ? sumToShape(mul(g, a), b.shape) : null,
  ]);
  registerGradient('div', (g, { inputs: [a, b], needsGrad }) => [
    needsGrad[0] ? sumToShape(div(g, b), a.shape) : null,
    // d(a/b)/db = -a/b²
    needsGrad[1] ? sumToShape(neg(div(mul(g, a), mul(b, b))), b.shape) : null,
  ]);
  registerGradient('pow', (g, { inputs: [a, b], output, needsGrad }) => [
    // b·a^(b−1), with the exponent nudged to 0 where b = 0 so that 0·0⁻¹ cannot make a NaN (torch gives 0).
    needsGrad[0] ? sumToShape(mul(g, mul(b, pow(a, add(sub(b, 1), asFloat(eq(b, 0), b))))), a.shape) : null,
    // d(aᵇ)/db = aᵇ·ln a, taken as 0 where a = 0 (as PyTorch) so 0ᵇ does not poison the gradient with NaN.
    needsGrad[1] ? sumToShape(mul(g, mul(output, log(add(a, asFloat(eq(a, 0), a))))), b.shape) : null,
  ]);
  // Ties split the gradient equally between the two operands, as torch.maximum does.
  const split = (g: Tensor, x: Tensor, y: Tensor): Tensor =>
    mul(g, add(asFloat(gt(x, y), g), mul(asFloat(eq(x, y), g), 0.5)));
  registerGradient('maximum', (g, { inputs: [a, b] }) => [sumToShape(split(g, a, b), a.shape), sumToShape(split(g, b, a), b.shape)]);
  registerGradient('minimum', (g, { inputs: [a, b] }) => [sumToShape(split(g, b, a), a.shape), sumToShape(split(g, a, b), b.shape)]);
  for (const op of ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'argmax', 'argmin', 'logicalNot']) {
    registerNonDifferentiable(op);
  }
  registerGradient('cast', (g, { inputs: [x] }) => [cast(g, x.dtype)]);
  registerGradient('clone', (g) => [g]);
}
