import { registerKernel } from '../backend.js';
import { conv2dBackwardWeightKernel, conv2dKernel, convTranspose2dKernel } from './conv-kernels.js';
import { gatherPlanesKernel, maxPool2dIndicesKernel, scatterAddPlanesKernel } from './pool-max.js';
import { windowAverage2dBackwardKernel, windowAverage2dKernel } from './pool-window.js';

/** Registers the convolution, pooling and resampling kernels on the `cpu` backend. */
export function registerConvKernels(): void {
  registerKernel('cpu', 'conv2d', conv2dKernel);
  registerKernel('cpu', 'convTranspose2d', convTranspose2dKernel);
  registerKernel('cpu', 'conv2dBackwardWeight', conv2dBackwardWeightKernel);
  registerKernel('cpu', 'maxPool2dIndices', maxPool2dIndicesKernel);
  registerKernel('cpu', 'gatherPlanes', gatherPlanesKernel);
  registerKernel('cpu', 'scatterAddPlanes', scatterAddPlanesKernel);
  registerKernel('cpu', 'windowAverage2d', windowAverage2dKernel);
  registerKernel('cpu', 'windowAverage2dBackward', windowAverage2dBackwardKernel);
}
