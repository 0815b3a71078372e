import type { Linear } from '@backprop/layers';
import type { OnnxExportRule } from '../registry.js';
import { exportAffine } from './affine.js';

/** `Linear`: y = x·Wᵀ + b as Gemm(transB = 1) (MatMul + Add for inputs of rank other than 2). */
export const exportLinear: OnnxExportRule = (layer, ctx) => exportAffine(layer as Linear, ctx);
