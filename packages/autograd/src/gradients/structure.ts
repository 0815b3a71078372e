import {
  add, cast, div, eq, exp, expand, matmul, mul, permute, prod, reshape, sub, sum, sumToShape, type Tensor,
} from '@backprop/tensor';
import { registerGradient } from '../registry.js';

/** Puts back the reduced axes (as size 1) and broadcasts to the input's shape. */
function unreduce(g: Tensor, inputShape: readonly number[], axes: readonly number[]): Tensor {
  const kept = inputShape.map((d, i) => (axes.includes(i) ? 1 : d));
  return expand(reshape(g, kept), inputShape);
}

export function registerStructureGradients(): void {
  registerGradient('sum', (g, { inputs: [x], attrs }) => [unreduce(g, x.shape, attrs.axes as number[])]);
  registerGradient('prod', (g, { inputs: [x], attrs }) => {
    const axes = attrs.axes as number[];
    // ∂Πx/∂xᵢ is the product of the other factors. Dividing Πx by xᵢ fails at zeros, so: with no zero it is
    // Πx/xᵢ; with one zero, the product of the non-zero factors at that zero and 0 elsewhere; with more, 0.
    const zero = cast(eq(x, 0), x.dtype);
    const nonZero = add(mul(x, sub(1, zero)), zero);
    const prodNonZero = unreduce(prod(nonZero, axes), x.shape, axes);
    const zeros = unreduce(sum(zero, axes), x.shape, axes);
    const noZero = cast(eq(zeros, 0), x.dtype);
    const oneZero = mul(cast(eq(zeros, 1), x.dtype), zero);
    const d = add(mul(noZero, div(prodNonZero, nonZero)), mul(oneZero, prodNonZero));
    return [mul(unreduce(g, x.shape, axes), d)];
  });
  const extremum = (g: Tensor, x: Tensor, output: Tensor, axes: number[]): Tensor => {
    // The gradient goes to every element equal to the extremum, shared equally among ties.
    const hit = cast(eq(x, unreduce(output, x.shape, axes)), g.dtype);
    const count = unreduce(sum(hit, axes), x.shape, axes);
    return div(mul(unreduce(g, x.shape, axes), hit), count);
  };
  registerGradient('max', (g, { inputs: [x], output, attrs }) => [extremum(g, x, output, attrs.axes as number[])]);
  registerGradient('min', (g, { inputs: [x], output, attrs }) => [extremum(g, x, output, attrs.axes as number[])]);

  registerGradient('reshape', (g, { inputs: [x] }) => [reshape(g, x.shape)]);
  registerGradient('permute', (g, { attrs }) => {
    const perm = attrs.perm as number[];
    const inverse = new Array<number>(perm.length);
    perm.forEach((p, i) => (inverse[p] = i));
    return [permute(g, inverse)];
  });
  registerGradient('expand', (g, { inputs: [x] }) => [sumToShape(g, x.shape)]);

  // C = op(A)·op(B) with op = identity or transpose: dop(A) = G·op(B)ᵀ and dop(B) = op(A)ᵀ·G, written with
  // the transpose flags so that nothing is materialized. A shared (broadcast) batch is summed back.
  registerGradient('matmul', (g, { inputs: [a, b], attrs, needsGrad }) => {
    const tA = attrs.transA as boolean;
    const tB = attrs.transB as boolean;
    const ga = !needsGrad[0] ? null : tA ? matmul(b, g, tB, true) : matmul(g, b, false, !tB);
    const gb = !needsGrad[1] ? null : tB ? matmul(g, a, true, tA) : matmul(a, g, !tA, false);
    return [ga && sumToShape(ga, a.shape), gb && sumToShape(gb, b.shape)];
  });

  // addmm = bias + op(A)·op(B): the product's gradients as matmul's, and the bias's summed over the rows
  // it was added to.
  registerGradient('addmm', (g, { inputs: [bias, a, b], attrs, needsGrad }) => {
    const tA = attrs.transA as boolean;
    const tB = attrs.transB as boolean;
    const ga = !needsGrad[1] ? null : tA ? matmul(b, g, tB, true) : matmul(g, b, false, !tB);
    const gb = !needsGrad[2] ? null : tB ? matmul(g, a, true, tA) : matmul(a, g, !tA, false);
    return [needsGrad[0] ? sumToShape(g, bias.shape) : null, ga, gb];
  });

  registerGradient('softmax', (g, { output, attrs }) => {
    const axis = attrs.axis as number;
    // dx = y ⊙ (g − Σ g⊙y)
    return [mul(output, sub(g, sum(mul(g, output), axis, true)))];
  });
  registerGradient('logSoftmax', (g, { output, attrs }) => {
    const axis = attrs.axis as number;
    // dx = g − softmax(x)·Σg
    return [sub(g, mul(exp(output), sum(g, axis, true)))];
  });
}
