import { matmul, randn, Generator } from '@backprop/tensor';
import type { Library } from '../types.js';
import { LSTM } from '../workloads.js';
import { lenetTrainStep, lstmTrainStep, mlpInferStep, mlpTrainStep } from './backprop-models.js';

export const backprop: Library = {
  matmul(n) {
    const gen = new Generator(0);
    const a = randn([n, n], { generator: gen });
    const b = randn([n, n], { generator: gen });
    return { step: () => void matmul(a, b) };
  },
  mlpTrain: (batch) => ({ step: mlpTrainStep(batch) }),
  mlpTrainAdam: (batch) => ({ step: mlpTrainStep(batch, 'adam') }),
  lenetTrain: (batch) => ({ step: lenetTrainStep(batch) }),
  lstmTrain: (batch, seqLen) => ({ step: lstmTrainStep(batch, seqLen, LSTM.input, LSTM.hidden, LSTM.classes) }),
  mlpInfer: (batch) => ({ step: mlpInferStep(batch) }),
};
