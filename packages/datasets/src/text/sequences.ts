import { Tensor, ValueError } from '@backprop/tensor';
import type { Dataset } from '../dataset.js';
import { checkOptionKeys } from '../options.js';

/** Options of `padSequences`, as Keras's `pad_sequences` (but padding at the end by default, as PyTorch's `pad_sequence`). */
export interface PadOptions {
  /** Length of every row (default: the longest sequence). */
  maxLength?: number;
  /** Pad at the 'post' end (default) or at the 'pre' start. */
  padding?: 'pre' | 'post';
  /** Cut longer sequences at the 'post' end (default) or the 'pre' start. */
  truncating?: 'pre' | 'post';
  /** The pad id (default 0, `<pad>`). */
  value?: number;
}

/**
 * Token id sequences of different lengths as one int32 [n, maxLength] tensor, padded and truncated; also
 * the original lengths, for masks.
 *
 * @example
 * const { ids, lengths } = padSequences([[5, 6, 7], [8]]); // ids [[5, 6, 7], [8, 0, 0]], lengths [3, 1]
 */
export function padSequences(sequences: readonly ArrayLike<number>[], options: PadOptions = {}): { ids: Tensor; lengths: Tensor } {
  const op = 'padSequences';
  checkOptionKeys(op, options, ['maxLength', 'padding', 'truncating', 'value']);
  const longest = sequences.reduce((m, s) => Math.max(m, s.length), 0);
  const L = options.maxLength ?? longest;
  if (!(Number.isInteger(L) && L >= 1)) throw new ValueError(op, `maxLength must be a positive integer, got ${L}`);
  const padding = options.padding ?? 'post';
  const truncating = options.truncating ?? 'post';
  for (const [name, v] of [['padding', padding], ['truncating', truncating]] as const) {
    if (v !== 'pre' && v !== 'post') throw new ValueError(op, `${name} must be 'pre' or 'post', got ${String(v)}`);
  }
  const value = options.value ?? 0;
  const ids = new Int32Array(sequences.length * L).fill(value);
  const lengths = new Int32Array(sequences.length);
  sequences.forEach((seq, i) => {
    const kept = Math.min(seq.length, L);
    lengths[i] = kept;
    const from = truncating === 'pre' ? seq.length - kept : 0;
    const at = padding === 'pre' ? L - kept : 0;
    for (let k = 0; k < kept; k++) ids[i * L + at + k] = seq[from + k];
  });
  return { ids: new Tensor(ids, [sequences.length, L], 'int32'), lengths: new Tensor(lengths, [sequences.length], 'int32') };
}

/**
 * Windows over a long id sequence for next-token prediction: item i is `[ids[s .. s + length), ids[s + 1 ..
 * s + length + 1)]` with s = i · stride, both int32 [length], as a character- or word-level language model
 * trains on a corpus.
 *
 * @example
 * const ds = new SequenceWindows(tok.encode(corpus), 64); // [input, target] windows
 * const loader = new DataLoader(ds, { batchSize: 32, shuffle: true, seed: 0 });
 */
export class SequenceWindows implements Dataset<[Tensor, Tensor]> {
  private readonly ids: Int32Array;
  readonly length: number;

  constructor(
    ids: ArrayLike<number>,
    readonly windowLength: number,
    readonly stride = windowLength,
  ) {
    const op = 'SequenceWindows';
    if (!(Number.isInteger(windowLength) && windowLength >= 1)) throw new ValueError(op, `windowLength must be a positive integer, got ${windowLength}`);
    if (!(Number.isInteger(stride) && stride >= 1)) throw new ValueError(op, `stride must be a positive integer, got ${stride}`);
    this.ids = Int32Array.from(ids);
    if (this.ids.length < windowLength + 1) throw new ValueError(op, `needs at least ${windowLength + 1} ids for one window and its target, got ${this.ids.length}`);
    this.length = Math.floor((this.ids.length - windowLength - 1) / stride) + 1;
  }

  get(index: number): [Tensor, Tensor] {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) throw new ValueError('SequenceWindows.get', `index ${index} is outside [0, ${this.length})`);
    const s = index * this.stride;
    return [
      new Tensor(this.ids.slice(s, s + this.windowLength), [this.windowLength], 'int32'),
      new Tensor(this.ids.slice(s + 1, s + this.windowLength + 1), [this.windowLength], 'int32'),
    ];
  }
}
