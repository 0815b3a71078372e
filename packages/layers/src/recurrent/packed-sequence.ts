import { ShapeError, ValueError, concat, fmtShape, full, stack, tensor, type Tensor } from '@backprop/tensor';

/**
 * A batch of sequences of different lengths packed time step by time step, as PyTorch's
 * `nn.utils.rnn.PackedSequence`: `data` `[Σ lengths, *]` holds step 0 of every sequence (longest first),
 * then step 1 of the sequences that have one, and so on; `batchSizes[t]` is how many sequences have a
 * step t. `sortedIndices[i]` is the batch index of the i-th longest sequence and `unsortedIndices` its
 * inverse (both `null` when the batch was already sorted). Make one with `packPaddedSequence`; RNN, LSTM
 * and GRU accept it and return one.
 */
export class PackedSequence {
  constructor(
    readonly data: Tensor,
    readonly batchSizes: readonly number[],
    readonly sortedIndices: readonly number[] | null = null,
    readonly unsortedIndices: readonly number[] | null = null,
  ) {}

  /** The length of each sequence, in the original batch order. */
  get lengths(): number[] {
    const B = this.batchSizes[0];
    const sorted = Array.from({ length: B }, (_, i) => this.batchSizes.filter((n) => n > i).length);
    return this.unsortedIndices ? this.unsortedIndices.map((i) => sorted[i]) : sorted;
  }
}

/** Options of `packPaddedSequence`. */
export interface PackOptions {
  /** The input is `[B, T, *]` instead of `[T, B, *]` (default false). */
  batchFirst?: boolean;
  /** Require lengths in decreasing order (default true, as PyTorch); false sorts them. */
  enforceSorted?: boolean;
}

function lengthList(lengths: readonly number[] | Tensor): number[] {
  return Array.isArray(lengths) ? [...(lengths as readonly number[])] : Array.from((lengths as Tensor).dataSync(), Number);
}

/** Row indices into `[T·B, *]` of every packed element, step by step. */
function packedRows(batchSizes: readonly number[], order: readonly number[], B: number): number[] {
  const rows: number[] = [];
  batchSizes.forEach((n, t) => {
    for (let i = 0; i < n; i++) rows.push(t * B + order[i]);
  });
  return rows;
}

/**
 * Packs a padded batch, as PyTorch's `pack_padded_sequence`: `input` `[T, B, *]` (`[B, T, *]` with
 * `batchFirst`) and each sequence's length (1 ≤ length ≤ T) give a `PackedSequence` that recurrent
 * layers run without stepping over the padding. With `enforceSorted` (the default) the lengths must be
 * decreasing; with `enforceSorted: false` any order works and is restored by `padPackedSequence`.
 * Gradients flow back to `input`.
 *
 * @example
 * const x = padSequence([randn([3, 2]), randn([1, 2])]);                 // [3, 2, 2]
 * const [out, hN] = new GRU(2, 4).call(packPaddedSequence(x, [3, 1])); // out is a PackedSequence
 * const [padded, lengths] = padPackedSequence(out);                     // [3, 2, 4], [3, 1]
 */
export function packPaddedSequence(input: Tensor, lengths: readonly number[] | Tensor, options: PackOptions = {}): PackedSequence {
  const op = 'packPaddedSequence';
  if (input.rank < 2) throw new ShapeError(op, `expected input [T, B, *] or [B, T, *] with batchFirst, got ${fmtShape(input.shape)}`);
  const x = options.batchFirst ? input.transpose(0, 1) : input;
  const [T, B] = x.shape;
  const lens = lengthList(lengths);
  if (lens.length !== B || lens.some((n) => !Number.isInteger(n) || n < 1 || n > T)) {
    throw new ValueError(op, `expected ${B} lengths (one per sequence), each an integer in [1, ${T}], got [${lens.join(', ')}]`);
  }
  let sortedIndices: number[] | null = null;
  let unsortedIndices: number[] | null = null;
  if (options.enforceSorted ?? true) {
    if (lens.some((n, i) => i > 0 && n > lens[i - 1])) {
      throw new ValueError(op, `lengths must be in decreasing order when enforceSorted is true, got [${lens.join(', ')}]; pass enforceSorted: false to sort them`);
    }
  } else {
    sortedIndices = lens.map((_, i) => i).sort((a, b) => lens[b] - lens[a] || a - b);
    unsortedIndices = new Array<number>(B);
    sortedIndices.forEach((b, i) => (unsortedIndices![b] = i));
  }
  const order = sortedIndices ?? lens.map((_, i) => i);
  const sortedLengths = order.map((b) => lens[b]);
  const batchSizes = Array.from({ length: sortedLengths[0] }, (_, t) => sortedLengths.filter((n) => n > t).length);
  const rows = packedRows(batchSizes, order, B);
  const data = x.reshape([T * B, ...x.shape.slice(2)]).indexSelect(0, tensor(rows, [rows.length], 'int32'));
  return new PackedSequence(data, batchSizes, sortedIndices, unsortedIndices);
}

/** Options of `padPackedSequence`. */
export interface PadPackedOptions {
  /** Return `[B, T, *]` instead of `[T, B, *]` (default false). */
  batchFirst?: boolean;
  /** The value of the padding (default 0). */
  paddingValue?: number;
  /** Pad to this many steps instead of the longest sequence's length. */
  totalLength?: number;
}

/**
 * Undoes `packPaddedSequence`, as PyTorch's `pad_packed_sequence`: returns `[padded, lengths]` with
 * padded `[T, B, *]` (`[B, T, *]` with `batchFirst`) in the original batch order and lengths an int32
 * tensor `[B]`. Gradients flow back to the packed data.
 *
 * @example const [padded, lengths] = padPackedSequence(packed, { batchFirst: true });
 */
export function padPackedSequence(sequence: PackedSequence, options: PadPackedOptions = {}): [Tensor, Tensor] {
  const op = 'padPackedSequence';
  const { data, batchSizes } = sequence;
  const maxLen = batchSizes.length;
  const T = options.totalLength ?? maxLen;
  if (!Number.isInteger(T) || T < maxLen) throw new ValueError(op, `totalLength must be an integer ≥ the longest sequence (${maxLen}), got ${String(options.totalLength)}`);
  const B = batchSizes[0];
  const order = sequence.sortedIndices ?? Array.from({ length: B }, (_, i) => i);
  // Every padded position reads its packed row, or the extra fill row at index Σ lengths.
  const fillRow = data.shape[0];
  const source = new Array<number>(T * B).fill(fillRow);
  packedRows(batchSizes, order, B).forEach((row, i) => (source[row] = i));
  const feature = data.shape.slice(1);
  const table = concat([data, full([1, ...feature], options.paddingValue ?? 0, { dtype: data.dtype })], 0);
  let padded = table.indexSelect(0, tensor(source, [T * B], 'int32')).reshape([T, B, ...feature]);
  if (options.batchFirst) padded = padded.transpose(0, 1);
  return [padded, tensor(sequence.lengths, [B], 'int32')];
}

/** `padded` `[T, B, *]` packed with the same steps and order as `like` (a recurrent layer's output). */
export function packLike(padded: Tensor, like: PackedSequence): PackedSequence {
  const [T, B] = padded.shape;
  const rows = packedRows(like.batchSizes, like.sortedIndices ?? Array.from({ length: B }, (_, i) => i), B);
  const data = padded.reshape([T * B, ...padded.shape.slice(2)]).indexSelect(0, tensor(rows, [rows.length], 'int32'));
  return new PackedSequence(data, like.batchSizes, like.sortedIndices, like.unsortedIndices);
}

/** Options of `padSequence`. */
export interface PadSequenceOptions {
  /** Return `[B, T, *]` instead of `[T, B, *]` (default false). */
  batchFirst?: boolean;
  /** The value of the padding (default 0). */
  paddingValue?: number;
}

/**
 * Stacks sequences of different lengths `[Lᵢ, *]` into one padded batch, as PyTorch's `pad_sequence`:
 * `[T, B, *]` (`[B, T, *]` with `batchFirst`) with T = max Lᵢ, the tail of shorter sequences filled with
 * `paddingValue` (default 0). Gradients flow back to each sequence.
 *
 * @example padSequence([ones([3, 2]), ones([1, 2])], { batchFirst: true }).shape; // [2, 3, 2]
 */
export function padSequence(sequences: readonly Tensor[], options: PadSequenceOptions = {}): Tensor {
  const op = 'padSequence';
  if (sequences.length === 0) throw new ValueError(op, 'expected at least one sequence, got none');
  const feature = sequences[0].shape.slice(1);
  for (const [i, s] of sequences.entries()) {
    if (s.rank < 1 || s.rank !== feature.length + 1 || s.shape.slice(1).some((d, j) => d !== feature[j])) {
      throw new ShapeError(op, `every sequence must be [L, ${feature.join(', ')}] like the first, got ${fmtShape(s.shape)} for sequence ${i}`);
    }
  }
  const T = Math.max(...sequences.map((s) => s.shape[0]));
  const padded = sequences.map((s) =>
    s.shape[0] === T ? s : concat([s, full([T - s.shape[0], ...feature], options.paddingValue ?? 0, { dtype: s.dtype })], 0),
  );
  return stack(padded, options.batchFirst ? 0 : 1);
}
