/**
 * @backprop/tensor: n-dimensional arrays with NumPy/PyTorch broadcasting, seeded random numbers and a
 * registry of backend kernels. See the package README for a tour.
 *
 * @packageDocumentation
 */
import { registerCpuBackend } from './cpu/index.js';
import { rememberBuiltinKernels } from './compile/fuse.js';

registerCpuBackend();
rememberBuiltinKernels();

export { Tensor, type NestedArray } from './tensor.js';
export { type DType, type TypedArray, DTYPES, isFloat, promoteTypes, floatType } from './dtype.js';
export { TensorError, ShapeError, DTypeError, ValueError, fmtShape } from './errors.js';
export {
  type Shape,
  sizeOf,
  stridesOf,
  shapesEqual,
  broadcastShapes,
  broadcastStrides,
  normalizeAxis,
  normalizeAxes,
} from './shape.js';
export {
  type Backend,
  type Kernel,
  type KernelAttrs,
  type TensorData,
  type DeviceTensorData,
  type DeviceKernel,
  type KernelInput,
  registerKernel,
  registerDeviceKernel,
  runKernel,
  runCpuKernel,
  setBackend,
  getBackend,
  listBackends,
  listFallbacks,
  hasKernel,
  kernelBackend,
} from './backend.js';
export { Storage, type DeviceMemory, registerDeviceMemory, liveDeviceMemory } from './storage.js';
export { awaitUnscoped, beginDeviceScope, endDeviceScope, withDeviceScope, type DeviceScope, type DeviceScopeEnd } from './device-scope.js';
export { checkedValues } from './compile/hooks.js';
export { compile, type CompileOptions, type CompiledFunction, type CompiledCall } from './compile/compile.js';
export { type PlanSummary } from './compile/plan.js';
export { addInPlace_, sliceAddInPlace_, fill_, scaleInPlace_, clampInPlace_, copy_, toBackend_ } from './ops/in-place.js';
export {
  type SgdStepOptions,
  type AdamStepOptions,
  type RmspropStepOptions,
  type AdagradStepOptions,
  type AdadeltaStepOptions,
  sgdStep_,
  adamStep_,
  rmspropStep_,
  adagradStep_,
  adadeltaStep_,
} from './ops/optimizer-steps.js';
export {
  type NadamStepOptions,
  type RadamStepOptions,
  type AdamaxStepOptions,
  type SparseAdamStepOptions,
  nadamStep_,
  radamStep_,
  adamaxStep_,
  sparseAdamStep_,
} from './ops/adam-variant-steps.js';
export {
  type OpRecorder,
  type BackwardEngine,
  type BackwardOptions,
  installAutograd,
  isGradEnabled,
  setGradEnabled,
  recordOp,
} from './grad-hook.js';
export { Generator, type GeneratorState, getDefaultGenerator, manualSeed } from './random.js';
export { type RandomOptions, rand, randn, randint, bernoulli, permutation } from './random-ops.js';
export {
  type CreationOptions,
  tensor,
  full,
  zeros,
  ones,
  zerosLike,
  onesLike,
  fullLike,
  arange,
  linspace,
  eye,
} from './creation.js';
export { scalar, wrap } from './make.js';
export { cast } from './ops/cast.js';
export { type Operand } from './ops/operand.js';
export {
  add,
  sub,
  mul,
  div,
  pow,
  maximum,
  minimum,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  neg,
  abs,
  sign,
  square,
  exp,
  log,
  log1p,
  sqrt,
  rsqrt,
  reciprocal,
  erf,
  sin,
  cos,
  floor,
  ceil,
  round,
  sigmoid,
  tanh,
  relu,
  leakyRelu,
  elu,
  gelu,
  softplus,
  clamp,
  hardTanh,
  logicalNot,
} from './ops/elementwise.js';
export { sum, prod, max, min, amax, amin, mean, variance, std, logSumExp, argmax, argmin } from './ops/reduce.js';
export { reshape, flatten, permute, transpose, squeeze, unsqueeze, expand, clone } from './ops/shape-ops.js';
export { matmul } from './ops/matmul.js';
export { addmm } from './ops/addmm.js';
export { softmax, logSoftmax } from './ops/softmax.js';
export { sumToShape } from './ops/sum-to-shape.js';
export * from './ops/indexing.js';
export * from './ops/conv.js';
export { type AvgPool1dOptions, avgPool1d } from './ops/pool-average-1d.js';
export {
  adaptiveMaxPool1d, adaptiveMaxPool2d, adaptiveMaxPool1dWithIndices, adaptiveMaxPool2dWithIndices,
} from './ops/pool-adaptive-max.js';
export { type InterpolateMode, type InterpolateOptions, interpolate } from './ops/interpolate.js';
export { type ResampleTaps, resampleAxis, resampleAxisBackward } from './ops/resample.js';
export { type CdistComputeMode, cdist, cosineSimilarity } from './ops/distance.js';
export { lstmCell } from './ops/lstm-cell.js';
export { type LstmSequenceOptions, lstmSequence } from './ops/lstm-sequence.js';
export { type GruSequenceOptions, gruSequence } from './ops/gru-sequence.js';
export { type SearchSortedOptions, type BincountOptions, searchsorted, bincount, histc } from './ops/search-count.js';
export * as linalg from './ops/linalg-namespace.js';
export {
  type CholeskyOptions, type QrOptions, type QrResult, type SvdOptions, type SvdResult, type EighOptions, type EighResult, inverse, det,
} from './ops/linalg.js';
export { type ValuesIndices, sort, argsort, topk } from './ops/sort.js';
export { cumsum, cumprod, cummax, cummin } from './ops/cumulative.js';
export { type MatrixNormOrd, norm, vectorNorm, matrixNorm } from './ops/norm.js';
export { einsum } from './ops/einsum.js';
export { type UniqueOptions, type UniqueResult, nonzero, unique } from './ops/unique.js';
export { any, all, isnan, isinf, isfinite, logicalAnd, logicalOr, logicalXor } from './ops/logical.js';
export { roll, meshgrid, outer } from './ops/arrange.js';
export { diag, diagonal, tril, triu } from './ops/diagonal.js';
export { type SamplingOptions, type CategoricalParams, multinomial, categorical } from './sampling.js';
