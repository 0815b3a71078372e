import { registerBinaryKernels } from './binary.js';
import { registerCastKernels } from './cast.js';
import { registerExpandKernels } from './expand.js';
import { registerMatmulKernels } from './matmul.js';
import { registerReduceKernels } from './reduce.js';
import { registerSoftmaxKernels } from './softmax.js';
import { registerUnaryKernels } from './unary.js';
import { registerIndexingKernels } from './indexing.js';
import { registerConvKernels } from './conv.js';
import { registerExtraKernels } from './ops-extra.js';
import { registerSortKernels } from './sort.js';
import { registerCumulativeKernels } from './cumulative.js';
import { registerSelectKernels } from './select.js';
import { registerInPlaceKernels } from './in-place.js';
import { registerOptimizerStepKernels } from './optimizer-steps.js';
import { registerLstmCellKernels } from './lstm-cell.js';
import { registerLstmSequenceKernels } from './lstm-sequence.js';
import { registerGruSequenceKernels } from './gru-sequence.js';

let registered = false;

/** Registers the pure-TypeScript kernels as the `cpu` backend (once). */
export function registerCpuBackend(): void {
  if (registered) return;
  registered = true;
  registerUnaryKernels();
  registerBinaryKernels();
  registerReduceKernels();
  registerMatmulKernels();
  registerSoftmaxKernels();
  registerCastKernels();
  registerExpandKernels();
  registerIndexingKernels();
  registerConvKernels();
  registerExtraKernels();
  registerSortKernels();
  registerCumulativeKernels();
  registerSelectKernels();
  registerInPlaceKernels();
  registerOptimizerStepKernels();
  registerLstmCellKernels();
  registerLstmSequenceKernels();
  registerGruSequenceKernels();
}
