import { resampleAxis, resampleAxisBackward, type ResampleTaps } from '@backprop/tensor';
import { registerGradient } from '../registry.js';

interface ResampleAttrs {
  axis: number;
  taps: ResampleTaps;
}

/** Resampling along an axis (interpolate's linear and cubic modes) is linear: each direction's gradient is the other. */
export function registerResampleGradients(): void {
  registerGradient('resampleAxis', (g, { attrs }) => {
    const { axis, taps } = attrs as unknown as ResampleAttrs;
    return [resampleAxisBackward(g, axis, taps)];
  });
  registerGradient('resampleAxisBackward', (g, { attrs }) => {
    const { axis, taps } = attrs as unknown as ResampleAttrs;
    return [resampleAxis(g, axis, taps)];
  });
}
