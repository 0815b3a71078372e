import type { AffineModule } from '@backprop/layers';
import { attr } from '../attributes.js';
import type { OnnxExportContext } from '../context.js';

/**
 * z = x·Wᵀ + b for `weight [units, in]` over the last axis of the input: one Gemm (transB = 1) for a
 * 2-D input, which every runtime fuses well; MatMul by the transposed weight plus Add otherwise, since
 * Gemm only takes matrices. The weight stays stored as `[units, in]` under its stateDict name either way.
 */
export function exportAffine(layer: AffineModule, ctx: OnnxExportContext): string {
  const weight = ctx.param('weight', layer.weight);
  const bias = layer.bias ? ctx.param('bias', layer.bias) : undefined;
  if (ctx.input.shape.length === 2) {
    return ctx.node('Gemm', bias ? [ctx.input.name, weight, bias] : [ctx.input.name, weight], { transB: attr.int(1) })[0];
  }
  const [weightT] = ctx.node('Transpose', [weight], { perm: attr.ints([1, 0]) });
  const [product] = ctx.node('MatMul', [ctx.input.name, weightT]);
  return bias ? ctx.node('Add', [product, bias])[0] : product;
}
