// Entry point of the WebAssembly module: the kernels the JavaScript side calls with arena pointers.
export { gemm, gemmBlock, gemmScratchBytes, gemmTileRows } from './gemm';
export { gemmPackedFloats, gemmPackWhole, gemmPackedBlock } from './gemm-threads';
export * from './unary';
export * from './binary';
export { softmaxRows } from './softmax';
export { im2col, col2im, copyRows, addChannelBias } from './conv';
export { convTapOffsets, packConvWeights, convForwardDirect } from './conv-direct';
export { maxPoolIndices } from './pool';

/** First free byte after the module's static data: the JavaScript arena starts here. */
export function heapBase(): usize {
  return __heap_base;
}
export { reduceRows, reduceColumns, reduceOuterInner } from './reduce';
export { windowAverage, windowAverageBackward } from './pool-average';
export { scatterAddPlanes } from './pool';
export { grad_sigmoidGrad, grad_tanhGrad, grad_reluGrad, axpy, adamStep, sgdStep } from './train-steps';
export { lstmCellForward, lstmCellBackward } from './lstm-cell';
export { lstmSequenceForward, lstmSequenceBackward, lstmScratchFloats } from './lstm-sequence';
export { gruSequenceForward, gruSequenceBackward, gruScratchFloats, columnSums } from './gru-sequence';
