// backprop's workloads with @backprop/backend-webgpu active: the same model code, its tensors in GPU buffers.
// A step queues its kernels and returns; awaiting its result (the loss, the output) times the queued work.
// Where no adapter exists, every cell says so. In Node without a GPU, Dawn finds chromium's SwiftShader
// (a Vulkan driver on the CPU) when main.ts points VK_ICD_FILENAMES at it: correct, but its figures are not
// a GPU's speed and are labelled as such.
import { useWebGpuBackend, webgpuBackendInfo } from '@backprop/backend-webgpu';
import { Generator, matmul, randn, type Tensor } from '@backprop/tensor';
import type { Library, Prepared } from '../types.js';
import { LSTM } from '../workloads.js';
import { lenetTrainStep, lstmTrainStep, mlpInferStep, mlpTrainStep } from './backprop-models.js';

let noAdapter: string | null = null;

const onGpu = (make: () => () => Tensor): Prepared => {
  if (noAdapter) return { unavailable: noAdapter };
  const step = make();
  return { step: async () => void (await step().read()) };
};

export const backpropWebgpu: Library = {
  async init() {
    try {
      await useWebGpuBackend();
      const info = webgpuBackendInfo();
      backpropWebgpu.notes = { 'all workloads': `adapter: ${[info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ') || 'unnamed'}${/swiftshader/i.test(JSON.stringify(info)) ? ' (SwiftShader, a CPU emulation: not a GPU speed)' : ''}` };
    } catch (e) {
      noAdapter = `no adapter: ${String((e as Error).message ?? e).split(':').slice(1).join(':').trim() || 'WebGPU is not available'}`;
    }
  },
  matmul: (n) =>
    onGpu(() => {
      const gen = new Generator(0);
      const [a, b] = [randn([n, n], { generator: gen }), randn([n, n], { generator: gen })];
      return () => matmul(a, b);
    }),
  mlpTrain: (batch) => onGpu(() => mlpTrainStep(batch)),
  mlpTrainAdam: (batch) => onGpu(() => mlpTrainStep(batch, 'adam')),
  lenetTrain: (batch) => onGpu(() => lenetTrainStep(batch)),
  lstmTrain: (batch, seqLen) => onGpu(() => lstmTrainStep(batch, seqLen, LSTM.input, LSTM.hidden, LSTM.classes)),
  mlpInfer: (batch) => onGpu(() => mlpInferStep(batch)),
};
