import {
  gatherPlanes, scatterAddPlanes, windowAverage2d, windowAverage2dBackward, type AxisWindows,
} from '@backprop/tensor';
import { registerGradient } from '../registry.js';

interface WindowAttrs {
  rows: AxisWindows;
  cols: AxisWindows;
  inputSize: [number, number];
}

/**
 * Pooling is built from two linear primitives and their adjoints: a gather from each plane (max pooling
 * through its argmax indices) and separable window averages (average pooling, adaptive pooling, nearest
 * upsampling). Each one's gradient is its adjoint, so higher derivatives come for free.
 */
export function registerPoolGradients(): void {
  registerGradient('gatherPlanes', (g, { inputs: [x, indices] }) => [
    scatterAddPlanes(g, indices, [x.shape[x.rank - 2], x.shape[x.rank - 1]]),
    null,
  ]);
  registerGradient('scatterAddPlanes', (g, { inputs: [, indices] }) => [gatherPlanes(g, indices), null]);
  registerGradient('windowAverage2d', (g, { inputs: [x], attrs }) => {
    const { rows, cols } = attrs as unknown as WindowAttrs;
    return [windowAverage2dBackward(g, rows, cols, [x.shape[x.rank - 2], x.shape[x.rank - 1]])];
  });
  registerGradient('windowAverage2dBackward', (g, { attrs }) => {
    const { rows, cols } = attrs as unknown as WindowAttrs;
    return [windowAverage2d(g, rows, cols)];
  });
}
