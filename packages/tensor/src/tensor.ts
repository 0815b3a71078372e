import type { DType, TypedArray } from './dtype.js';
import { TensorError, fmtShape } from './errors.js';
import { getBackwardEngine, type BackwardOptions } from './grad-hook.js';
import { sizeOf } from './shape.js';
import { readStorage, readStorageSync, Storage } from './storage.js';
import { noteHostRead } from './compile/hooks.js';
import * as ew from './ops/elementwise.js';
import * as red from './ops/reduce.js';
import * as sh from './ops/shape-ops.js';
import { matmul } from './ops/matmul.js';
import { softmax, logSoftmax } from './ops/softmax.js';
import { cast } from './ops/cast.js';
import * as ix from './ops/indexing.js';
import * as la from './ops/linalg.js';
import * as sc from './ops/search-count.js';
import * as srt from './ops/sort.js';
import * as cum from './ops/cumulative.js';
import * as nrm from './ops/norm.js';
import * as lg from './ops/logical.js';
import * as uq from './ops/unique.js';
import * as arr from './ops/arrange.js';
import * as dg from './ops/diagonal.js';
import * as smp from './sampling.js';
import { bernoulli } from './random-ops.js';

export type NestedArray = number | boolean | NestedArray[];
type Operand = Tensor | number;

let nextId = 0;

/**
 * An n-dimensional array: row-major `data` of one `dtype`, and a `shape`. Tensors are ordinary
 * garbage-collected values: there is nothing to dispose.
 *
 * Ops never change a tensor's data; `reshape` and friends may share it. `requiresGrad`, `grad` and
 * `gradFn` are filled by `@backprop/autograd` when it is loaded.
 *
 * @example
 * const x = tensor([[1, 2], [3, 4]]);
 * x.add(1).mul(x).sum().item(); // 2 + 6 + 12 + 20 = 40
 */
export class Tensor {
  /** A number unique to this tensor in this process, for graph bookkeeping and debugging. */
  readonly id = nextId++;
  readonly shape: readonly number[];
  readonly size: number;
  /** Whether autograd tracks ops on this tensor. Set with `requiresGrad_()`. */
  requiresGrad = false;
  /** The accumulated gradient after `backward()`, as in PyTorch; `null` until then. */
  grad: Tensor | null = null;
  /** The autograd node that produced this tensor (opaque to this package), or `null` for a leaf. */
  gradFn: unknown = null;

  /** Where the values live: a host array, or memory of a device backend. Shared by views (`reshape`). */
  readonly storage: Storage;

  /** From host values (no copy) or from a backend's `Storage`. */
  constructor(
    data: TypedArray | Storage,
    shape: readonly number[],
    readonly dtype: DType,
  ) {
    this.shape = Object.freeze([...shape]);
    this.size = sizeOf(shape);
    this.storage = data instanceof Storage ? data : Storage.host(data, dtype);
    if (this.storage.size !== this.size) {
      throw new TensorError('Tensor', `data holds ${this.storage.size} elements but shape ${fmtShape(shape)} needs ${this.size}`);
    }
  }

  /**
   * The values as a host typed array (row-major), read synchronously: the same as `dataSync()`. Treat it as
   * read-only. On a backend that cannot read synchronously (a GPU), use `await tensor.read()`.
   */
  get data(): TypedArray {
    noteHostRead(this.storage);
    return readStorageSync(this.storage, 'data');
  }

  /** The backend whose memory holds the values (`cpu` for host arrays). */
  get device(): string {
    return this.storage.backend;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** A leaf: not produced by a recorded op. Only leaves get `.grad` filled by `backward()`. */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** Marks this tensor as a leaf that autograd tracks; returns it, as PyTorch's `requires_grad_()`. */
  requiresGrad_(value = true): this {
    if (value && this.dtype !== 'float32' && this.dtype !== 'float64') {
      throw new TensorError('requiresGrad_', `only float tensors can require gradients, got ${this.dtype}`);
    }
    this.requiresGrad = value;
    return this;
  }

  /**
   * Back-propagates from this tensor: fills `.grad` of every leaf that requires a gradient. A non-scalar
   * needs the incoming `gradient`. Requires `@backprop/autograd` to be loaded.
   */
  backward(gradient?: Tensor, options: BackwardOptions = {}): void {
    const engine = getBackwardEngine();
    if (!engine) {
      throw new TensorError('backward', "no autograd engine is loaded: import '@backprop/autograd' first");
    }
    engine.backward(this, gradient, options);
  }

  /** A tensor with the same data that autograd does not track. */
  detach(): Tensor {
    return new Tensor(this.storage, this.shape, this.dtype);
  }

  /**
   * The values as a host typed array, read synchronously (row-major, `dtype`'s array type). Treat it as
   * read-only: it may be the tensor's own storage.
   */
  dataSync(): TypedArray {
    noteHostRead(this.storage);
    return readStorageSync(this.storage);
  }

  /**
   * The values as a host typed array, on every backend: a GPU's buffers are read back asynchronously.
   *
   * @example
   * const values = await loss.read();
   */
  read(): Promise<TypedArray> {
    noteHostRead(this.storage);
    return readStorage(this.storage);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new TensorError('item', `needs a tensor with one element, got shape ${fmtShape(this.shape)}`);
    return Number(this.data[0]);
  }

  /** The values as nested arrays (numbers; booleans for `bool`). */
  toArray(): NestedArray {
    const flat = Array.from(this.data as ArrayLike<number>, (v) => (this.dtype === 'bool' ? v !== 0 : v));
    if (this.shape.length === 0) return flat[0];
    const build = (dim: number, offset: number): NestedArray[] => {
      const n = this.shape[dim];
      const stride = sizeOf(this.shape.slice(dim + 1));
      const out: NestedArray[] = [];
      for (let i = 0; i < n; i++) {
        out.push(dim === this.shape.length - 1 ? flat[offset + i] : build(dim + 1, offset + i * stride));
      }
      return out;
    };
    return build(0, 0);
  }

  /** A copy of the values as a flat plain array. */
  toFlatArray(): number[] {
    return Array.from(this.data as ArrayLike<number>);
  }

  toString(): string {
    const values = this.size <= 64 ? JSON.stringify(this.toArray()) : `[${this.size} values]`;
    return `Tensor(${values}, shape=${fmtShape(this.shape)}, dtype=${this.dtype})`;
  }

  // Methods mirror the functional ops, so both `x.add(y)` and `add(x, y)` read naturally.
  add(other: Operand): Tensor { return ew.add(this, other); }
  sub(other: Operand): Tensor { return ew.sub(this, other); }
  mul(other: Operand): Tensor { return ew.mul(this, other); }
  div(other: Operand): Tensor { return ew.div(this, other); }
  pow(other: Operand): Tensor { return ew.pow(this, other); }
  maximum(other: Operand): Tensor { return ew.maximum(this, other); }
  minimum(other: Operand): Tensor { return ew.minimum(this, other); }
  eq(other: Operand): Tensor { return ew.eq(this, other); }
  ne(other: Operand): Tensor { return ew.ne(this, other); }
  lt(other: Operand): Tensor { return ew.lt(this, other); }
  le(other: Operand): Tensor { return ew.le(this, other); }
  gt(other: Operand): Tensor { return ew.gt(this, other); }
  ge(other: Operand): Tensor { return ew.ge(this, other); }
  neg(): Tensor { return ew.neg(this); }
  abs(): Tensor { return ew.abs(this); }
  sign(): Tensor { return ew.sign(this); }
  exp(): Tensor { return ew.exp(this); }
  log(): Tensor { return ew.log(this); }
  log1p(): Tensor { return ew.log1p(this); }
  sqrt(): Tensor { return ew.sqrt(this); }
  rsqrt(): Tensor { return ew.rsqrt(this); }
  square(): Tensor { return ew.square(this); }
  sin(): Tensor { return ew.sin(this); }
  cos(): Tensor { return ew.cos(this); }
  sigmoid(): Tensor { return ew.sigmoid(this); }
  tanh(): Tensor { return ew.tanh(this); }
  relu(): Tensor { return ew.relu(this); }
  clamp(min?: number, max?: number): Tensor { return ew.clamp(this, min, max); }
  sum(axes?: number | number[], keepDims = false): Tensor { return red.sum(this, axes, keepDims); }
  mean(axes?: number | number[], keepDims = false): Tensor { return red.mean(this, axes, keepDims); }
  max(axes?: number | number[], keepDims = false): Tensor { return red.max(this, axes, keepDims); }
  min(axes?: number | number[], keepDims = false): Tensor { return red.min(this, axes, keepDims); }
  argmax(axis?: number, keepDims = false): Tensor { return red.argmax(this, axis, keepDims); }
  argmin(axis?: number, keepDims = false): Tensor { return red.argmin(this, axis, keepDims); }
  matmul(other: Tensor): Tensor { return matmul(this, other); }
  softmax(axis = -1): Tensor { return softmax(this, axis); }
  logSoftmax(axis = -1): Tensor { return logSoftmax(this, axis); }
  reshape(shape: readonly number[]): Tensor { return sh.reshape(this, shape); }
  flatten(startAxis = 0, endAxis = -1): Tensor { return sh.flatten(this, startAxis, endAxis); }
  transpose(axis0 = -2, axis1 = -1): Tensor { return sh.transpose(this, axis0, axis1); }
  permute(axes: readonly number[]): Tensor { return sh.permute(this, axes); }
  squeeze(axes?: number | number[]): Tensor { return sh.squeeze(this, axes); }
  unsqueeze(axis: number): Tensor { return sh.unsqueeze(this, axis); }
  expand(shape: readonly number[]): Tensor { return sh.expand(this, shape); }
  /** Always contiguous: kept for PyTorch users' code; returns this tensor. */
  contiguous(): Tensor { return this; }
  /** A copy with its own data (recorded by autograd: gradients flow through it). */
  clone(): Tensor { return sh.clone(this); }
  astype(dtype: DType): Tensor { return cast(this, dtype); }
  // Indexing and joining, as in ops/indexing.ts.
  /** `x[..., start:end:step]` along `axis`; see the function `slice`. */
  slice(axis: number, start = 0, end?: number, step = 1): Tensor { return ix.slice(this, axis, start, end, step); }
  narrow(axis: number, start: number, length: number): Tensor { return ix.narrow(this, axis, start, length); }
  split(sizeOrSizes: number | readonly number[], axis = 0): Tensor[] { return ix.split(this, sizeOrSizes, axis); }
  chunk(chunks: number, axis = 0): Tensor[] { return ix.chunk(this, chunks, axis); }
  gather(axis: number, index: Tensor): Tensor { return ix.gather(this, axis, index); }
  indexSelect(axis: number, index: Tensor): Tensor { return ix.indexSelect(this, axis, index); }
  scatterAdd(axis: number, index: Tensor, src: Tensor): Tensor { return ix.scatterAdd(this, axis, index, src); }
  flip(axes: number | readonly number[]): Tensor { return ix.flip(this, axes); }
  tile(reps: readonly number[]): Tensor { return ix.tile(this, reps); }
  repeatInterleave(repeats: number | readonly number[], axis?: number): Tensor { return ix.repeatInterleave(this, repeats, axis); }
  maskedFill(mask: Tensor, value: number | Tensor): Tensor { return ix.maskedFill(this, mask, value); }
  /** `cond ? this : other`, as PyTorch's `x.where(condition, y)`. */
  where(cond: Tensor, other: Operand): Tensor { return ix.where(cond, this, other); }
  // Linear algebra and counting, as in ops/linalg.ts and ops/search-count.ts.
  /** The inverse of this (batch of) square matrix, as PyTorch's `x.inverse()`. */
  inverse(): Tensor { return la.inverse(this); }
  /** The determinant of this (batch of) square matrix, as PyTorch's `x.det()`. */
  det(): Tensor { return la.det(this); }
  histc(bins = 100, min = 0, max = 0): Tensor { return sc.histc(this, bins, min, max); }
  bincount(options: sc.BincountOptions = {}): Tensor { return sc.bincount(this, options); }
  // Sorting, scans, norms, logic, structure and sampling, as in the ops of the same names.
  floor(): Tensor { return ew.floor(this); }
  ceil(): Tensor { return ew.ceil(this); }
  round(): Tensor { return ew.round(this); }
  amax(axes?: number | number[], keepDims = false): Tensor { return red.amax(this, axes, keepDims); }
  amin(axes?: number | number[], keepDims = false): Tensor { return red.amin(this, axes, keepDims); }
  sort(axis = -1, descending = false, stable = false): srt.ValuesIndices { return srt.sort(this, axis, descending, stable); }
  argsort(axis = -1, descending = false, stable = false): Tensor { return srt.argsort(this, axis, descending, stable); }
  topk(k: number, axis = -1, largest = true, sorted = true): srt.ValuesIndices { return srt.topk(this, k, axis, largest, sorted); }
  cumsum(axis: number): Tensor { return cum.cumsum(this, axis); }
  cumprod(axis: number): Tensor { return cum.cumprod(this, axis); }
  cummax(axis: number): srt.ValuesIndices { return cum.cummax(this, axis); }
  cummin(axis: number): srt.ValuesIndices { return cum.cummin(this, axis); }
  norm(p: number | 'fro' = 'fro', axes?: number | number[], keepDims = false): Tensor { return nrm.norm(this, p, axes, keepDims); }
  nonzero(): Tensor { return uq.nonzero(this); }
  unique(options: uq.UniqueOptions = {}): uq.UniqueResult { return uq.unique(this, options); }
  any(axes?: number | number[], keepDims = false): Tensor { return lg.any(this, axes, keepDims); }
  all(axes?: number | number[], keepDims = false): Tensor { return lg.all(this, axes, keepDims); }
  isnan(): Tensor { return lg.isnan(this); }
  isinf(): Tensor { return lg.isinf(this); }
  isfinite(): Tensor { return lg.isfinite(this); }
  logicalAnd(other: Operand): Tensor { return lg.logicalAnd(this, other); }
  logicalOr(other: Operand): Tensor { return lg.logicalOr(this, other); }
  logicalXor(other: Operand): Tensor { return lg.logicalXor(this, other); }
  logicalNot(): Tensor { return ew.logicalNot(this); }
  roll(shifts: number | number[], axes?: number | number[]): Tensor { return arr.roll(this, shifts, axes); }
  outer(other: Tensor): Tensor { return arr.outer(this, other); }
  diag(offset = 0): Tensor { return dg.diag(this, offset); }
  diagonal(offset = 0, dim1 = 0, dim2 = 1): Tensor { return dg.diagonal(this, offset, dim1, dim2); }
  tril(diagonal = 0): Tensor { return dg.tril(this, diagonal); }
  triu(diagonal = 0): Tensor { return dg.triu(this, diagonal); }
  /** Category indices drawn from this tensor's rows of weights; see the function `multinomial`. */
  multinomial(numSamples: number, replacement = false, options: smp.SamplingOptions = {}): Tensor {
    return smp.multinomial(this, numSamples, replacement, options);
  }
  /** 0/1 samples with this tensor's values as probabilities, as PyTorch's `x.bernoulli()`. */
  bernoulli(options: smp.SamplingOptions = {}): Tensor { return bernoulli(this, undefined, options); }
}
