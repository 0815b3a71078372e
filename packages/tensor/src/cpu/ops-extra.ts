import { registerKernel } from '../backend.js';
import { cdistKernel } from './distance.js';
import {
  linalgCholeskyKernel, linalgDetKernel, linalgEighKernel, linalgInvKernel, linalgQrKernel, linalgSolveKernel, linalgSvdKernel,
} from './linalg.js';
import { adaptiveMaxPool2dIndicesKernel } from './pool-adaptive-max.js';
import { resampleAxisKernel } from './resample.js';
import { bincountKernel, histcKernel, searchsortedKernel } from './search-count.js';

/** Adaptive max pooling, resampling, distances, searching and counting, and dense linear algebra. */
export function registerExtraKernels(): void {
  registerKernel('cpu', 'adaptiveMaxPool2dIndices', adaptiveMaxPool2dIndicesKernel);
  registerKernel('cpu', 'resampleAxis', resampleAxisKernel);
  registerKernel('cpu', 'cdist', cdistKernel);
  registerKernel('cpu', 'searchsorted', searchsortedKernel);
  registerKernel('cpu', 'bincount', bincountKernel);
  registerKernel('cpu', 'histc', histcKernel);
  registerKernel('cpu', 'linalgInv', linalgInvKernel);
  registerKernel('cpu', 'linalgDet', linalgDetKernel);
  registerKernel('cpu', 'linalgSolve', linalgSolveKernel);
  registerKernel('cpu', 'linalgCholesky', linalgCholeskyKernel);
  registerKernel('cpu', 'linalgQr', linalgQrKernel);
  registerKernel('cpu', 'linalgSvd', linalgSvdKernel);
  registerKernel('cpu', 'linalgEigh', linalgEighKernel);
}
