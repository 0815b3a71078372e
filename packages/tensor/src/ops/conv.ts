// Convolution, pooling and resampling ops (the package index re-exports this file).
export { type SpatialArg, type ConvGeometry } from './conv-geometry.js';
export { type ConvolutionAttrs, convolution2d, conv2dBackwardWeight } from './conv-primitives.js';
export { type ConvOptions, type ConvTransposeOptions, conv1d, conv2d, convTranspose1d, convTranspose2d } from './conv-ops.js';
export { type PoolOptions } from './pool-shape.js';
export { gatherPlanes, scatterAddPlanes } from './pool-planes.js';
export {
  type MaxPoolOptions, type MaxPoolResult, maxPool1d, maxPool2d, maxPool1dWithIndices, maxPool2dWithIndices,
} from './pool-max.js';
export { type AxisWindows, windowAverage2d, windowAverage2dBackward } from './pool-window.js';
export { type AvgPoolOptions, avgPool2d, adaptiveAvgPool2d } from './pool-average.js';
export { type UpsampleOptions, upsampleNearest2d } from './pool-upsample.js';
