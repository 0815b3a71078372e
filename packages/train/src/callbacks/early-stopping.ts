import { tensor, type DType, type Tensor } from '@backprop/tensor';
import { TrainingError } from '../errors.js';
import type { EpochLogs } from '../types.js';
import { hostCopies } from '../tensor-utils.js';
import type { StatefulCallback, TrainingContext } from './callback.js';

export interface EarlyStoppingOptions {
  /** The log to watch (default `'valLoss'`). */
  monitor?: string;
  /** Epochs without improvement before stopping (default 0, as Keras). */
  patience?: number;
  /** The smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** `'min'` for losses, `'max'` for accuracies; `'auto'` (default) picks from the name. */
  mode?: 'min' | 'max' | 'auto';
  /** Put back the weights of the best epoch when stopping (default false, as Keras). */
  restoreBestWeights?: boolean;
}

/**
 * Stops training when `monitor` has not improved by more than `minDelta` for `patience` epochs, and
 * optionally restores the best weights.
 *
 * @example
 * fit(model, { ..., callbacks: [new EarlyStopping({ monitor: 'valLoss', patience: 5, restoreBestWeights: true })] });
 */
export class EarlyStopping implements StatefulCallback {
  readonly stateKey = 'earlyStopping';
  readonly monitor: string;
  readonly patience: number;
  readonly minDelta: number;
  readonly mode: 'min' | 'max';
  readonly restoreBestWeights: boolean;
  best = NaN;
  bestEpoch = -1;
  wait = 0;
  stoppedEpoch = -1;
  private bestWeights: Map<string, Tensor> | null = null;

  constructor(options: EarlyStoppingOptions = {}) {
    this.monitor = options.monitor ?? 'valLoss';
    this.patience = options.patience ?? 0;
    this.minDelta = Math.abs(options.minDelta ?? 0);
    const mode = options.mode ?? 'auto';
    this.mode = mode === 'auto' ? (/acc|f1|precision|recall|r2/i.test(this.monitor) ? 'max' : 'min') : mode;
    this.restoreBestWeights = options.restoreBestWeights ?? false;
    if (!Number.isInteger(this.patience) || this.patience < 0) {
      throw new TrainingError(`EarlyStopping: patience must be a non-negative integer, got ${options.patience}`);
    }
  }

  private improved(value: number): boolean {
    if (Number.isNaN(this.best)) return true;
    return this.mode === 'min' ? value < this.best - this.minDelta : value > this.best + this.minDelta;
  }

  /** Returns a promise only when it keeps best weights that live on a GPU (they are copied to the host, read asynchronously). */
  onEpochEnd(ctx: TrainingContext, logs: EpochLogs): void | Promise<void> {
    const value = logs[this.monitor];
    if (value === undefined) {
      throw new TrainingError(`EarlyStopping: monitor '${this.monitor}' is not among the logs (${Object.keys(logs).join(', ')})`);
    }
    if (this.improved(value)) {
      this.best = value;
      this.bestEpoch = ctx.epoch;
      this.wait = 0;
      // Host copies: a checkpoint's getState reads them synchronously, and they hold no device memory.
      if (!this.restoreBestWeights) return;
      const copies = hostCopies(ctx.model.stateDict());
      if (copies instanceof Promise) return copies.then((c) => void (this.bestWeights = c));
      this.bestWeights = copies;
      return;
    }
    this.wait++;
    if (this.wait > this.patience) {
      ctx.stopTraining = true;
      this.stoppedEpoch = ctx.epoch;
      if (this.restoreBestWeights && this.bestWeights) ctx.model.loadStateDict(this.bestWeights);
    }
  }

  /** Plain data for a checkpoint; with `restoreBestWeights`, the best weights too, so a resumed run can still restore them. */
  getState(): unknown {
    const bestWeights = this.bestWeights ? Object.fromEntries([...this.bestWeights].map(([k, t]) => [k, saveTensor(t)])) : null;
    return { best: this.best, bestEpoch: this.bestEpoch, wait: this.wait, bestWeights };
  }

  setState(state: unknown): void {
    const s = state as { best: number; bestEpoch: number; wait: number; bestWeights?: Record<string, SavedTensor> | null };
    this.best = s.best ?? NaN;
    this.bestEpoch = s.bestEpoch;
    this.wait = s.wait;
    this.bestWeights = s.bestWeights ? new Map(Object.entries(s.bestWeights).map(([k, t]) => [k, loadTensor(t)])) : null;
  }
}

/** A tensor as JSON: its bytes in base64, which reads back bit for bit and is about a quarter the size of decimal numbers. */
interface SavedTensor {
  shape: number[];
  dtype: DType;
  base64: string;
}

const ARRAYS = { float32: Float32Array, float64: Float64Array, int32: Int32Array, bool: Uint8Array } as const;

function saveTensor(t: Tensor): SavedTensor {
  const values = t.dataSync();
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let binary = '';
  // In slices: String.fromCharCode takes its arguments on the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { shape: [...t.shape], dtype: t.dtype, base64: btoa(binary) };
}

function loadTensor(saved: SavedTensor): Tensor {
  const binary = atob(saved.base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const Array_ = ARRAYS[saved.dtype];
  return tensor(new Array_(bytes.buffer, 0, bytes.length / Array_.BYTES_PER_ELEMENT), saved.shape);
}
