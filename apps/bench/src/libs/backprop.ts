import { matmul, randn, Generator } from '@backprop/tensor';
import type { Library, Prepared } from '../types.js';
import { LSTM } from '../workloads.js';
import { lenetTrainStep, lstmTrainStep, mlpInferStep, mlpTrainStep } from './backprop-models.js';

/** On cpu and wasm a step's work is done when it returns: the result is not needed. */
const sync = (step: () => unknown): Prepared => ({ step: () => void step() });

export const backprop: Library = {
  matmul(n) {
    const gen = new Generator(0);
    const a = randn([n, n], { generator: gen });
    const b = randn([n, n], { generator: gen });
    return { step: () => void matmul(a, b) };
  },
  mlpTrain: (batch) => sync(mlpTrainStep(batch)),
  mlpTrainAdam: (batch) => sync(mlpTrainStep(batch, 'adam')),
  lenetTrain: (batch) => sync(lenetTrainStep(batch)),
  lstmTrain: (batch, seqLen) => sync(lstmTrainStep(batch, seqLen, LSTM.input, LSTM.hidden, LSTM.classes)),
  mlpInfer: (batch) => sync(mlpInferStep(batch)),
};
