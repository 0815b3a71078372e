/** One timed unit of work: a training step on one batch, one matmul, one inference call. */
export type Step = () => void | Promise<void>;

/** What a library offers for a workload: a step to time, or the reason it cannot run it. */
export type Prepared = { step: Step } | { unavailable: string };

/**
 * One library's implementation of the workloads. Each method builds its model and data once and returns
 * the step to time; a missing method means the library has no way to express the workload.
 */
export interface Library {
  /** Loads the library and its backend (tfjs picks its backend here). */
  init?(): Promise<void>;
  matmul?(n: number): Prepared | Promise<Prepared>;
  mlpTrain?(batch: number): Prepared | Promise<Prepared>;
  /** The same MLP trained with Adam (lr 1e-3, PyTorch's defaults otherwise). */
  mlpTrainAdam?(batch: number): Prepared | Promise<Prepared>;
  lenetTrain?(batch: number): Prepared | Promise<Prepared>;
  lstmTrain?(batch: number, seqLen: number): Prepared | Promise<Prepared>;
  mlpInfer?(batch: number): Prepared | Promise<Prepared>;
  /** How this library's version of the workloads differs from the common definition, by workload id. */
  notes?: Record<string, string>;
}

/** A measured figure, or why there is none. */
export type Cell = { value: number; reps: number; msPerStep: number } | { unavailable: string };

export interface LibraryResult {
  library: string;
  results: Record<string, Cell>;
  peakRssMB: number;
  notes: Record<string, string>;
}

export interface ElementwiseRow {
  op: string;
  elements: number;
  backpropGBs: number;
  loopGBs: number;
}

/** A child process prints its result as one line starting with this. */
export const RESULT_PREFIX = 'RESULT ';

export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  platform: string;
}

export interface Report {
  date: string;
  quick: boolean;
  /** Rounds in which every library measured every workload in turn; figures are medians over them. */
  rounds?: number;
  machine: Machine;
  nodeBaselineRssMB: number;
  libraries: LibraryResult[];
  elementwise: ElementwiseRow[];
}
