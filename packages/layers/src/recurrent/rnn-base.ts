import {
  ShapeError, Tensor, ValueError, bernoulli, concat, fmtShape, matmul, split, stack, tensor, where, zeros, type Generator,
} from '@backprop/tensor';
import { uniform_ } from '@backprop/init';
import { checkBoolean, checkDtype, checkInt, checkNumber, type LayerConfig, type ParamDType } from '../config.js';
import { Module } from '../module.js';
import { PackedSequence, packLike, padPackedSequence } from './packed-sequence.js';

/** Options shared by `RNN`, `LSTM` and `GRU`, with PyTorch's defaults. */
export interface RecurrentOptions {
  /** Stacked recurrent layers, each reading the previous one's outputs (default 1). */
  numLayers?: number;
  /** Learn the biases `bias_ih_l{k}` and `bias_hh_l{k}` (default true). */
  bias?: boolean;
  /** Inputs and outputs are `[N, T, features]` instead of `[T, N, features]` (default false). States stay `[layers, N, H]`. */
  batchFirst?: boolean;
  /** Dropout probability on the outputs of every layer but the last, in training (default 0). */
  dropout?: number;
  /** Also run each layer backwards in time and concatenate both directions' outputs (default false). */
  bidirectional?: boolean;
  /** Generator for the initial weights and the dropout masks (default generator when omitted). */
  generator?: Generator;
  /** Parameter dtype (default float32). */
  dtype?: ParamDType;
  /**
   * `call` returns the output sequence alone instead of `[output, state]`, so the layer can sit in a
   * `Sequential` before a layer that reads every step, e.g. `Sequential(Embedding, LSTM, Linear)` (default false).
   */
  outputOnly?: boolean;
  /**
   * Learn the initial state: parameters `h0` (and `c0` for an LSTM) `[numLayers·directions, H]`, zeros at
   * first, used for every sequence that is given no initial state (default false; not a PyTorch option).
   */
  learnInitialState?: boolean;
}

/** What a recurrent layer's `call` returns for a tensor input: `[output, state]`, or the output alone with `outputOnly`. */
export type RecurrentOutput<State, OutputOnly extends boolean> = OutputOnly extends true ? Tensor : [Tensor, State];

/** The recurrent state of one layer and direction: `[h]`, or `[h, c]` for an LSTM; each `[N, H]`. */
export type CellState = Tensor[];

/** The weights one time step uses. */
export interface StepWeights {
  weightHh: Tensor;
  biasHh: Tensor | null;
  /** The LSTM projection `weight_hr` `[P, H]` with `projSize`, else null. */
  weightHr: Tensor | null;
}

/**
 * What `RNN`, `LSTM` and `GRU` share (PyTorch's `RNNBase`): parameters `weight_ih_l{k}` `[G·H, in]`,
 * `weight_hh_l{k}` `[G·H, H]`, `bias_ih_l{k}` and `bias_hh_l{k}` `[G·H]` for each layer k (and
 * `…_l{k}_reverse` when bidirectional), G being the number of gates; all drawn from U(±1/√hiddenSize).
 *
 * For each layer and direction the input projection x·W_ihᵀ + b_ih of every time step is one matrix
 * product; then each step does one product h·W_hhᵀ for all gates and the subclass's gate arithmetic.
 * Gradients flow back through time by autograd; detach the returned state to truncate them.
 *
 * @example
 * const rnn: RecurrentBase<Tensor> = new GRU(4, 8, { numLayers: 2 });
 * rnn.namedParameters().map(([n]) => n); // ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0', 'weight_ih_l1', …]
 */
export abstract class RecurrentBase<State, OutputOnly extends boolean = false> extends Module<[Tensor | PackedSequence, State?], RecurrentOutput<State, OutputOnly>> {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  readonly dtype: ParamDType;
  private readonly hasBias: boolean;
  /** Whether `call` returns the output sequence alone. */
  readonly outputOnly: boolean;
  /** Whether the initial state is learned (parameters `h0`, `c0`). */
  readonly learnInitialState: boolean;
  /** The LSTM's projection size (0: none). */
  readonly projSize: number;
  /** The generator the dropout masks between layers draw from, if one was given (checkpoints save its state). */
  readonly generator: Generator | undefined;

  protected constructor(
    protected readonly layer: string,
    private readonly gates: number,
    private readonly stateCount: number,
    inputSize: number,
    hiddenSize: number,
    options: RecurrentOptions & { projSize?: number },
  ) {
    super();
    this.inputSize = checkInt(layer, 'inputSize', inputSize);
    this.hiddenSize = checkInt(layer, 'hiddenSize', hiddenSize);
    this.numLayers = checkInt(layer, 'numLayers', options.numLayers ?? 1);
    this.hasBias = checkBoolean(layer, 'bias', options.bias ?? true);
    this.batchFirst = checkBoolean(layer, 'batchFirst', options.batchFirst ?? false);
    this.dropout = checkNumber(layer, 'dropout', options.dropout ?? 0, 0);
    if (this.dropout > 1) throw new ValueError(layer, `dropout must be a probability in [0, 1], got ${this.dropout}`);
    this.bidirectional = checkBoolean(layer, 'bidirectional', options.bidirectional ?? false);
    this.dtype = checkDtype(layer, options.dtype);
    this.generator = options.generator;
    this.outputOnly = checkBoolean(layer, 'outputOnly', options.outputOnly ?? false);
    this.learnInitialState = checkBoolean(layer, 'learnInitialState', options.learnInitialState ?? false);
    this.projSize = checkInt(layer, 'projSize', options.projSize ?? 0, 0);
    if (this.projSize >= this.hiddenSize) throw new ValueError(layer, `projSize must be smaller than hiddenSize (${this.hiddenSize}), got ${this.projSize}`);
    const gh = gates * this.hiddenSize;
    const param = (shape: number[]) => zeros(shape, { dtype: this.dtype }).requiresGrad_();
    const out = this.outputSize;
    for (let k = 0; k < this.numLayers; k++) {
      const layerInput = k === 0 ? this.inputSize : out * this.directions;
      for (const suffix of this.suffixes(k)) {
        this.registerParameter(`weight_ih${suffix}`, param([gh, layerInput]));
        this.registerParameter(`weight_hh${suffix}`, param([gh, out]));
        this.registerParameter(`bias_ih${suffix}`, this.hasBias ? param([gh]) : null);
        this.registerParameter(`bias_hh${suffix}`, this.hasBias ? param([gh]) : null);
        if (this.projSize > 0) this.registerParameter(`weight_hr${suffix}`, param([this.projSize, this.hiddenSize]));
      }
    }
    this.resetParameters(options.generator);
    if (this.learnInitialState) {
      const stack = this.numLayers * this.directions;
      this.stateSizes().forEach((size, j) => this.registerParameter(j === 0 ? 'h0' : 'c0', param([stack, size])));
    }
  }

  /** Features of h_t and of the output per direction: projSize when set, else hiddenSize. */
  get outputSize(): number {
    return this.projSize > 0 ? this.projSize : this.hiddenSize;
  }

  /** The size of each state tensor: `[h]`, or `[h, c]` for an LSTM (h has projSize with a projection). */
  private stateSizes(): number[] {
    return this.stateCount === 2 ? [this.outputSize, this.hiddenSize] : [this.hiddenSize];
  }

  /** 2 when bidirectional, else 1. */
  get directions(): number {
    return this.bidirectional ? 2 : 1;
  }

  /** Whether the layers have biases. */
  get bias(): boolean {
    return this.hasBias;
  }

  private suffixes(k: number): string[] {
    return this.bidirectional ? [`_l${k}`, `_l${k}_reverse`] : [`_l${k}`];
  }

  /** Draws every weight and bias again from U(−1/√hiddenSize, 1/√hiddenSize), as PyTorch's `reset_parameters`. */
  resetParameters(generator?: Generator): void {
    const bound = 1 / Math.sqrt(this.hiddenSize);
    for (const [name, p] of this.namedParameters()) if (name !== 'h0' && name !== 'c0') uniform_(p, { a: -bound, b: bound, generator });
  }

  /** One time step: `xw` = x_t·W_ihᵀ + b_ih `[N, G·H]` and the previous state give the next state. */
  protected abstract step(xw: Tensor, state: CellState, weights: StepWeights): CellState;

  /**
   * Whether `runSequence` can run this direction's whole recurrence as one op (a layer whose active
   * backend has a fused sequence kernel for it); `tensors` are the input and the initial state.
   */
  protected fusesSequence(_weights: StepWeights, _tensors: Tensor[]): boolean {
    return false;
  }

  /**
   * The whole recurrence of one direction in one op, where `fusesSequence` said so: `product` `[T, N, G·H]`
   * is every step's x_t·W_ihᵀ (without b_ih, so a layer may fold both biases into one sum); returns every
   * step's h `[T, N, H]` and the final state.
   */
  protected runSequence(_product: Tensor, _biasIh: Tensor | null, _state: CellState, _weights: StepWeights, _reverse: boolean): [Tensor, CellState] {
    throw new ValueError(this.layer, 'runSequence is only called where fusesSequence is true');
  }

  /** Options every recurrent config carries. */
  protected baseConfig(): LayerConfig {
    return {
      type: this.layer,
      inputSize: this.inputSize,
      hiddenSize: this.hiddenSize,
      numLayers: this.numLayers,
      bias: this.hasBias,
      batchFirst: this.batchFirst,
      dropout: this.dropout,
      bidirectional: this.bidirectional,
      dtype: this.dtype,
      // Options backprop adds to PyTorch's are written only when set, so configs saved before them read the same.
      ...(this.outputOnly ? { outputOnly: true } : {}),
      ...(this.learnInitialState ? { learnInitialState: true } : {}),
    };
  }

  /**
   * Runs the layer: `[output, state]` (the output alone with `outputOnly`). A `PackedSequence` input gives
   * a `PackedSequence` output, each sequence stepping only over its own length, and final states taken at
   * each sequence's last step.
   */
  override call(x: PackedSequence, state?: State): OutputOnly extends true ? PackedSequence : [PackedSequence, State];
  override call(x: Tensor, state?: State): RecurrentOutput<State, OutputOnly>;
  override call(x: Tensor | PackedSequence, state?: State): unknown {
    return super.call(x, state);
  }

  /** `[output, state]`, or the output alone with `outputOnly`. */
  protected result(output: Tensor | PackedSequence, state: State): RecurrentOutput<State, OutputOnly> {
    return (this.outputOnly ? output : [output, state]) as RecurrentOutput<State, OutputOnly>;
  }

  /**
   * Runs every layer over the sequence. `initial` holds the given state tensors (`[h0]` or `[h0, c0]`,
   * each `[layers·directions, N, H]`, or without N for unbatched input), or null for zeros. Returns the
   * last layer's outputs and the final states, in the caller's layout.
   */
  protected run(sequence: Tensor | PackedSequence, initial: Tensor[] | null): { output: Tensor | PackedSequence; final: Tensor[] } {
    const packed = sequence instanceof PackedSequence ? sequence : null;
    let lengths: Tensor | null = null;
    let input = sequence as Tensor;
    if (packed) {
      if (packed.data.rank !== 2 || packed.data.shape[1] !== this.inputSize) {
        throw new ShapeError(this.layer, `expected packed data of shape [Σ lengths, ${this.inputSize}], got ${fmtShape(packed.data.shape)}`);
      }
      [input] = padPackedSequence(packed, { batchFirst: this.batchFirst });
      lengths = tensor(packed.lengths, [packed.batchSizes[0], 1], 'int32');
    }
    if (!(input instanceof Tensor)) {
      throw new ValueError(this.layer, `expected a Tensor or a PackedSequence as input, got ${String(sequence)}`);
    }
    const unbatched = input.rank === 2;
    if ((input.rank !== 2 && input.rank !== 3) || input.shape[input.rank - 1] !== this.inputSize) {
      const layout = this.batchFirst ? `[N, T, ${this.inputSize}]` : `[T, N, ${this.inputSize}]`;
      throw new ShapeError(this.layer, `expected input of shape ${layout} or unbatched [T, ${this.inputSize}], got ${fmtShape(input.shape)}`);
    }
    let x = unbatched ? input.unsqueeze(1) : this.batchFirst ? input.transpose(0, 1) : input;
    const [T, N] = x.shape;
    if (T === 0) throw new ShapeError(this.layer, `expected a sequence of at least one step, got input of shape ${fmtShape(input.shape)}`);
    const sizes = this.stateSizes();
    const learned = this.learnInitialState && !initial ? sizes.map((_, j) => this.getParameter(j === 0 ? 'h0' : 'c0')!.unsqueeze(1)) : null;
    const states = initial?.map((s, i) => {
      const name = this.stateCount === 2 ? (['h0', 'c0'] as const)[i] : 'h0';
      const stateShape = unbatched ? [this.numLayers * this.directions, sizes[i]] : [this.numLayers * this.directions, N, sizes[i]];
      if (s.rank !== stateShape.length || s.shape.some((d, j) => d !== stateShape[j])) {
        throw new ShapeError(this.layer, `expected ${name} of shape ${fmtShape(stateShape)} for input ${fmtShape(input.shape)}, got ${fmtShape(s.shape)}`);
      }
      return unbatched ? s.unsqueeze(1) : s;
    });
    const finals: CellState[] = [];
    for (let k = 0; k < this.numLayers; k++) {
      const outputs = this.suffixes(k).map((suffix, d) => {
        const index = k * this.directions + d;
        const start = states
          ? states.map((s, j) => s.narrow(0, index, 1).reshape([N, sizes[j]]))
          : learned
            ? learned.map((s, j) => s.narrow(0, index, 1).expand([1, N, sizes[j]]).reshape([N, sizes[j]]))
            : sizes.map((size) => zeros([N, size], { dtype: this.dtype }));
        const [out, last] = this.runDirection(x, suffix, d === 1, start, lengths);
        finals.push(last);
        return out;
      });
      x = outputs.length === 1 ? outputs[0] : concat(outputs, 2);
      if (this.training && this.dropout > 0 && k < this.numLayers - 1) x = this.drop(x);
    }
    const final = Array.from({ length: this.stateCount }, (_, j) => {
      const s = stack(finals.map((f) => f[j]), 0);
      return unbatched ? s.squeeze(1) : s;
    });
    if (packed) return { output: packLike(x, packed), final };
    const output = unbatched ? x.squeeze(1) : this.batchFirst ? x.transpose(0, 1) : x;
    return { output, final };
  }

  /** One layer in one direction over x `[T, N, in]`: outputs `[T, N, H]` and the state after the last step. */
  private runDirection(x: Tensor, suffix: string, reverse: boolean, state: CellState, lengths: Tensor | null): [Tensor, CellState] {
    const [T, N, inFeatures] = x.shape;
    const p = (name: string) => this.getParameter(`${name}${suffix}`) ?? null;
    const weightIh = p('weight_ih')!;
    const biasIh = p('bias_ih');
    const weights: StepWeights = { weightHh: p('weight_hh')!, biasHh: p('bias_hh'), weightHr: p('weight_hr') };
    // The input projection of all T steps at once: one [T·N, in] × [in, G·H] product instead of T small ones.
    let projected = matmul(x.reshape([T * N, inFeatures]), weightIh, false, true);
    if (lengths === null && this.fusesSequence(weights, [x, ...state])) {
      return this.runSequence(projected.reshape([T, N, projected.shape[1]]), biasIh, state, weights, reverse);
    }
    if (biasIh) projected = projected.add(biasIh);
    const steps = split(projected, N, 0);
    const hs = new Array<Tensor>(T);
    for (let i = 0; i < T; i++) {
      const t = reverse ? T - 1 - i : i;
      const next = this.step(steps[t], state, weights);
      // Packed sequences: a sequence past its length keeps its state (so a reverse pass starts at its own last step).
      if (lengths) {
        const valid = lengths.gt(t);
        state = next.map((s, j) => where(valid, s, state[j]));
      } else state = next;
      hs[t] = state[0];
    }
    return [stack(hs, 0), state];
  }

  /** Inverted dropout between layers (PyTorch applies it to every layer's output but the last). */
  private drop(x: Tensor): Tensor {
    if (this.dropout === 1) return x.mul(0);
    const keep = bernoulli(1 - this.dropout, x.shape, { generator: this.generator, dtype: x.dtype });
    return x.mul(keep.mul(1 / (1 - this.dropout)));
  }
}

/**
 * h·W_hhᵀ + b_hh for all gates: the one matrix product of a time step.
 * @example const [r, z, n] = hiddenProjection(h, weights).chunk(3, 1);
 */
export function hiddenProjection(h: Tensor, weights: StepWeights): Tensor {
  const y = matmul(h, weights.weightHh, false, true);
  return weights.biasHh ? y.add(weights.biasHh) : y;
}
