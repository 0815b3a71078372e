import {
  conv2dBackwardWeight, convolution2d, sum, type ConvGeometry, type ConvolutionAttrs, type Tensor,
} from '@backprop/tensor';
import { registerGradient } from '../registry.js';
import { registerPoolGradients } from './pool.js';

const spatial = (t: Tensor): [number, number] => [t.shape[2], t.shape[3]];

/** The geometry with a different result size (the recorded attrs also carry `transposed`, which is dropped). */
function geometry(attrs: Readonly<Record<string, unknown>>, outSize: [number, number]): ConvGeometry {
  const { stride, padding, dilation, groups } = attrs as unknown as ConvGeometry;
  return { stride, padding, dilation, groups, outSize };
}

/**
 * A convolution and its transpose are adjoint linear maps of the input, so each one's input gradient is
 * the other with the same geometry; the weight gradient is `conv2dBackwardWeight` with the roles of input
 * and output gradient swapped for the transpose. `conv2dBackwardWeight` is bilinear, so its gradients are
 * convolutions again, and double backward through any of them stays in this closed set.
 */
export function registerConvGradients(): void {
  registerGradient('convolution2d', (g, { inputs: [x, w, b], attrs, needsGrad }) => {
    const transposed = (attrs as unknown as ConvolutionAttrs).transposed;
    const gx = needsGrad[0]
      ? convolution2d(g, w, null, { ...geometry(attrs, spatial(x)), transposed: !transposed })
      : null;
    const wGeometry = geometry(attrs, spatial(w));
    const gw = !needsGrad[1] ? null : transposed ? conv2dBackwardWeight(g, x, wGeometry) : conv2dBackwardWeight(x, g, wGeometry);
    const gb = b !== undefined && needsGrad[2] ? sum(g, [0, 2, 3]) : null;
    return b === undefined ? [gx, gw] : [gx, gw, gb];
  });
  // dW = B(x, gOut) with ⟨B(x, gOut), V⟩ = ⟨conv(x, V), gOut⟩ = ⟨x, convT(gOut, V)⟩ for any weight-shaped V.
  registerGradient('conv2dBackwardWeight', (g, { inputs: [x, gOut], attrs, needsGrad }) => [
    needsGrad[0] ? convolution2d(gOut, g, null, { ...geometry(attrs, spatial(x)), transposed: true }) : null,
    needsGrad[1] ? convolution2d(x, g, null, { ...geometry(attrs, spatial(gOut)), transposed: false }) : null,
  ]);
  registerPoolGradients();
}
