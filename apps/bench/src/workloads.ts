import type { Library, Prepared } from './types.js';

/** Bigger is better for every unit except latency. */
export type Unit = 'GFLOPS' | 'samples/s' | 'sequences/s' | 'ms';

/** The common definition of every workload: what one step does and how a step time becomes a figure. */
export interface Workload {
  id: string;
  title: string;
  unit: Unit;
  prepare(lib: Library): Prepared | Promise<Prepared> | undefined;
  /** The figure for one step taking `ms` milliseconds. */
  figure(ms: number): number;
  /** Left out of `bench:quick` (a 1024³ matmul on tfjs-backend-cpu alone takes seconds per step). */
  slow?: boolean;
}

export const MATMUL_SIZES = [128, 256, 512, 1024];
export const MLP_BATCH = 64;
export const LENET_BATCH = 32;
export const LSTM = { batch: 32, seqLen: 32, input: 16, hidden: 64, classes: 10 };
export const INFER_BATCH = 256;

const perSecond = (items: number) => (ms: number) => (items * 1000) / ms;

export const WORKLOADS: Workload[] = [
  ...MATMUL_SIZES.map((n): Workload => ({
    id: `matmul-${n}`,
    title: `matmul ${n}×${n} float32`,
    unit: 'GFLOPS',
    prepare: (lib) => lib.matmul?.(n),
    figure: (ms) => (2 * n ** 3) / (ms * 1e6),
    slow: n >= 1024,
  })),
  {
    id: 'mlp-train',
    title: `MLP 784-128-64-10 training, batch ${MLP_BATCH}`,
    unit: 'samples/s',
    prepare: (lib) => lib.mlpTrain?.(MLP_BATCH),
    figure: perSecond(MLP_BATCH),
  },
  {
    id: 'mlp-train-adam',
    title: `MLP 784-128-64-10 training with Adam, batch ${MLP_BATCH}`,
    unit: 'samples/s',
    prepare: (lib) => lib.mlpTrainAdam?.(MLP_BATCH),
    figure: perSecond(MLP_BATCH),
  },
  {
    id: 'lenet-train',
    title: `LeNet-5 training, batch ${LENET_BATCH}`,
    unit: 'samples/s',
    prepare: (lib) => lib.lenetTrain?.(LENET_BATCH),
    figure: perSecond(LENET_BATCH),
  },
  {
    id: 'lstm-train',
    title: `LSTM ${LSTM.input}→${LSTM.hidden}, seq ${LSTM.seqLen}, batch ${LSTM.batch}, training`,
    unit: 'sequences/s',
    prepare: (lib) => lib.lstmTrain?.(LSTM.batch, LSTM.seqLen),
    figure: perSecond(LSTM.batch),
  },
  {
    id: 'mlp-infer-1',
    title: 'MLP inference latency, batch 1',
    unit: 'ms',
    prepare: (lib) => lib.mlpInfer?.(1),
    figure: (ms) => ms,
  },
  {
    id: `mlp-infer-${INFER_BATCH}`,
    title: `MLP inference, batch ${INFER_BATCH}`,
    unit: 'samples/s',
    prepare: (lib) => lib.mlpInfer?.(INFER_BATCH),
    figure: perSecond(INFER_BATCH),
  },
];
