import { kernelBackend, setKernelTracer, type DeviceTensorData, type KernelAttrs, type KernelInput, type TensorData } from '../backend.js';
import type { DType, TypedArray } from '../dtype.js';
import { Storage } from '../storage.js';
import { Tensor } from '../tensor.js';
import { setTraceListener, type TraceListener } from './hooks.js';

// A trace is the list of kernel calls one eager run of a function made, with where each input came from.
// Identity is by memory: a host result by its ArrayBuffer (so the subarray views `slice` makes are found
// with their offset), a device result by its Storage object (which `reshape` views share).

/** Where a kernel input (or a returned tensor) comes from. */
export type Source =
  /** The function's argument `index`. */
  | { readonly kind: 'arg'; readonly index: number }
  /** The result of step `step`. */
  | { readonly kind: 'step'; readonly step: number }
  /** A tensor that outlives the call (a parameter, a gradient, a buffer), read as it is at each replay. */
  | { readonly kind: 'tensor'; readonly tensor: Tensor }
  /** A tensor made during the trace and then written in place: each replay writes into a fresh copy of `initial`. */
  | { readonly kind: 'fresh'; readonly index: number };

/** One input of a step: its source, and the view of it the kernel saw (elements `offset…offset+length`). */
export interface InputRef {
  readonly source: Source;
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Element offset into the source's host array (a contiguous `slice` view); 0 otherwise. */
  readonly offset: number;
  /** Whether the kernel saw only part of the source's host array. */
  readonly partial: boolean;
}

export interface TraceStep {
  readonly kernel: string;
  readonly attrs: KernelAttrs;
  readonly inputs: readonly InputRef[];
  /** The backend whose kernel ran. */
  readonly backend: string;
  /** Positions of the inputs the kernel wrote in place. */
  readonly written: readonly number[];
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Whether the result was host memory (else device storage). */
  readonly host: boolean;
  /** The step whose memory the result shares (an in-place kernel returns its target), or -1. */
  readonly aliasOf: number;
}

/** A leaf whose `.grad` the run changed: a replay assigns it from `source`. */
export interface GradEffect {
  readonly leaf: Tensor;
  /** Set when the leaf is argument `arg`: a replay assigns that call's argument instead. */
  readonly arg?: number;
  readonly source: Source;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly offset: number;
  readonly partial: boolean;
}

/** A leaf's `.grad` as the run found it; a replay is valid only while it is the same. */
export interface GradGuard {
  readonly leaf: Tensor;
  /** Set when the leaf is argument `arg`: that call's argument must have no `.grad` yet. */
  readonly arg?: number;
  readonly grad: Tensor | null;
}

export interface Trace {
  readonly steps: readonly TraceStep[];
  readonly fresh: readonly { readonly initial: TypedArray; readonly shape: readonly number[]; readonly dtype: DType }[];
  readonly effects: readonly GradEffect[];
  readonly guards: readonly GradGuard[];
  /** Why the run cannot be replayed, or null. */
  readonly refusal: string | null;
  /** The arguments' shapes, which every call with this signature shares. */
  readonly argShapes: readonly (readonly number[])[];
}

interface Entry {
  readonly byteOffset: number;
  readonly byteEnd: number;
  readonly source: Source;
}

const ACCUMULATING = new Set(['addInPlace', 'sliceAddInPlace', 'fillInPlace', 'scaleInPlace', 'clampInPlace', 'copyInPlace']);

function hostArrayOf(t: KernelInput | TensorData): TypedArray | null {
  const storage = (t as KernelInput).storage;
  if (storage) return storage.hostData;
  return t.data;
}

/** Records the kernels `run` calls. The run's own result is returned as eager mode gives it. */
export class Tracer implements TraceListener {
  private readonly steps: TraceStep[] = [];
  private readonly fresh: { initial: TypedArray; shape: readonly number[]; dtype: DType }[] = [];
  private readonly byBuffer = new Map<ArrayBufferLike, Entry[]>();
  private readonly byStorage = new Map<Storage, Source>();
  private readonly argIndex = new Map<Tensor, number>();
  private readonly freshByTensor = new Map<Tensor, number>();
  private readonly leaves = new Map<Tensor, Tensor | null>();
  private readonly startSerial: number;
  private pendingWritten: readonly Tensor[] = [];
  private inKernel = 0;
  private refusal: string | null = null;

  constructor(private readonly args: readonly Tensor[]) {
    this.startSerial = Storage.nextSerial;
    args.forEach((a, i) => {
      if (!this.argIndex.has(a)) this.argIndex.set(a, i);
      this.register(a.storage, { kind: 'arg', index: i });
      this.noteLeaf(a);
    });
  }

  /** Runs `fn` eagerly with the tracer installed, and returns its result and the trace. */
  static run<R>(args: readonly Tensor[], fn: () => R): { result: R; tracer: Tracer } {
    const tracer = new Tracer(args);
    const previous = setKernelTracer((name, inputs, attrs, run) => tracer.kernel(name, inputs, attrs, run));
    setTraceListener(tracer);
    try {
      return { result: fn(), tracer };
    } finally {
      setTraceListener(null);
      setKernelTracer(previous);
    }
  }

  refuse(reason: string): void {
    if (this.refusal === null) this.refusal = reason;
  }

  hostRead(storage: Storage): void {
    if (this.inKernel > 0 || this.refusal !== null) return;
    const source = this.lookupStorage(storage);
    // Values made from constants during the trace are constants too; everything else may change per call.
    if (source === null && storage.serial >= this.startSerial) return;
    const what =
      source === null || source.kind === 'tensor'
        ? 'a tensor from outside the function (a parameter or buffer)'
        : source.kind === 'arg'
          ? `argument ${source.index}`
          : source.kind === 'step'
            ? `the result of kernel '${this.steps[source.step].kernel}'`
            : 'a tensor it writes in place';
    this.refuse(
      `the function reads ${what} on the host while it is traced (dataSync, item, toArray or read): its control flow or constants could depend on the values, so every call runs eagerly`,
    );
  }

  randomDraw(): void {
    if (this.inKernel > 0) return;
    this.refuse('the function draws random numbers (dropout, sampling): a replay would repeat the same draws, so every call runs eagerly');
  }

  written(tensors: readonly Tensor[]): void {
    this.pendingWritten = tensors;
    for (const t of tensors) {
      if (this.freshByTensor.has(t) || this.argIndex.has(t) || t.storage.serial < this.startSerial || this.lookupStorage(t.storage) !== null) continue;
      // Made during the trace and about to be written in place (a gradient buffer the backward pass
      // allocated): each replay starts from a copy of what it holds now, before its first write.
      const data = t.storage.hostData;
      if (data === null || data.byteOffset !== 0 || data.byteLength !== data.buffer.byteLength) {
        this.refuse('an in-place kernel writes into a tensor made during the trace that a replay cannot copy afresh (a view, or device memory)');
        continue;
      }
      const index = this.fresh.length;
      this.fresh.push({ initial: data.slice(), shape: t.shape, dtype: t.dtype });
      this.freshByTensor.set(t, index);
      this.registerHost(data, { kind: 'fresh', index });
    }
  }

  opInputs(inputs: readonly Tensor[]): void {
    for (const t of inputs) this.noteLeaf(t);
  }

  private noteLeaf(t: Tensor): void {
    if (t.requiresGrad && t.gradFn === null && !this.leaves.has(t)) this.leaves.set(t, t.grad);
  }

  kernel(name: string, inputs: readonly KernelInput[], attrs: KernelAttrs, run: () => TensorData | DeviceTensorData): TensorData | DeviceTensorData {
    const writtenTensors = this.pendingWritten;
    this.pendingWritten = [];
    const written: number[] = [];
    inputs.forEach((t, i) => {
      if (writtenTensors.includes(t as Tensor)) written.push(i);
    });
    if (written.length > 0 && !ACCUMULATING.has(name)) {
      this.refuse(
        `the function runs the in-place kernel '${name}' (an optimizer step), whose attributes (step counts, learning rates) change between calls: call optimizer.step() outside the compiled function`,
      );
    }
    const refs = inputs.map((t) => this.inputRef(name, t));
    const backend = kernelBackend(name);
    this.inKernel++;
    let result: TensorData | DeviceTensorData;
    try {
      result = run();
    } finally {
      this.inKernel--;
    }
    const step = this.steps.length;
    const own: Source = { kind: 'step', step };
    const device = 'storage' in result && !(result as DeviceTensorData).storage.isHost ? (result as DeviceTensorData).storage : null;
    let aliasOf = -1;
    if (device) {
      const prior = this.byStorage.get(device);
      if (prior?.kind === 'step') aliasOf = prior.step;
      this.byStorage.set(device, own);
    } else {
      const data = hostArrayOf(result as TensorData)!;
      const prior = this.lookupHost(data);
      if (prior?.source.kind === 'step') aliasOf = prior.source.step;
      this.registerHost(data, own);
    }
    this.steps.push({ kernel: name, attrs, inputs: refs, backend, written, shape: result.shape, dtype: result.dtype, host: device === null, aliasOf });
    return result;
  }

  private inputRef(kernel: string, t: KernelInput): InputRef {
    const found = this.sourceOf(t);
    if (found === null) {
      this.refuse(`kernel '${kernel}' got an input that is not a tensor the trace can follow`);
      return { source: { kind: 'tensor', tensor: t as Tensor }, shape: t.shape, dtype: t.dtype, offset: 0, partial: false };
    }
    return { ...found, shape: t.shape, dtype: t.dtype };
  }

  /** Where `t` comes from, or null for plain data the trace never saw. */
  sourceOf(t: KernelInput): { source: Source; offset: number; partial: boolean } | null {
    const arg = t instanceof Tensor ? this.argIndex.get(t) : undefined;
    if (arg !== undefined) return { source: { kind: 'arg', index: arg }, offset: 0, partial: false };
    const fresh = t instanceof Tensor ? this.freshByTensor.get(t) : undefined;
    if (fresh !== undefined && t instanceof Tensor) {
      const source: Source = { kind: 'fresh', index: fresh };
      // Moved to a device for its write: that memory is the buffer now, for reads of views of it.
      if (!t.storage.isHost && !this.byStorage.has(t.storage)) this.byStorage.set(t.storage, source);
      return { source, offset: 0, partial: false };
    }
    const storage = t.storage;
    if (storage && !storage.isHost) {
      const source = this.byStorage.get(storage);
      if (source) return { source, offset: 0, partial: false };
    } else {
      const data = hostArrayOf(t)!;
      const entry = this.lookupHost(data);
      if (entry) {
        const bytes = data.BYTES_PER_ELEMENT;
        const offset = (data.byteOffset - entry.byteOffset) / bytes;
        return { source: entry.source, offset, partial: offset !== 0 || data.byteOffset + data.byteLength !== entry.byteEnd };
      }
    }
    if (!(t instanceof Tensor)) return null;
    this.noteLeaf(t);
    return { source: { kind: 'tensor', tensor: t }, offset: 0, partial: false };
  }

  private lookupStorage(storage: Storage): Source | null {
    if (!storage.isHost) return this.byStorage.get(storage) ?? null;
    return this.lookupHost(storage.hostData!)?.source ?? null;
  }

  private lookupHost(data: TypedArray): Entry | null {
    const entries = this.byBuffer.get(data.buffer);
    if (!entries) return null;
    const start = data.byteOffset;
    const end = start + data.byteLength;
    // The latest entry that covers the range: an in-place result is newer than its target.
    for (let i = entries.length - 1; i >= 0; i--) {
      const e = entries[i];
      if (e.byteOffset <= start && end <= e.byteEnd) return e;
    }
    return null;
  }

  private register(storage: Storage, source: Source): void {
    if (storage.isHost) this.registerHost(storage.hostData!, source);
    else this.byStorage.set(storage, source);
  }

  private registerHost(data: TypedArray, source: Source): void {
    let entries = this.byBuffer.get(data.buffer);
    if (!entries) this.byBuffer.set(data.buffer, (entries = []));
    entries.push({ byteOffset: data.byteOffset, byteEnd: data.byteOffset + data.byteLength, source });
  }

  /** The trace, once the run is over: with the `.grad` fields the run changed. */
  finish(): Trace {
    const effects: GradEffect[] = [];
    const guards: GradGuard[] = [];
    for (const [leaf, before] of this.leaves) {
      const arg = this.argIndex.get(leaf);
      if (arg !== undefined && before !== null) {
        this.refuse(`argument ${arg} requires a gradient and already has one: a replay could not accumulate into the next call's argument`);
        continue;
      }
      guards.push(arg === undefined ? { leaf, grad: before } : { leaf, arg, grad: null });
      const after = leaf.grad;
      if (after === before || after === null) {
        if (after !== before) this.refuse("the function sets a parameter's .grad to null");
        continue;
      }
      const found = this.sourceOf(after);
      if (found === null) {
        this.refuse("a parameter's .grad was set to a tensor the trace cannot follow");
        continue;
      }
      effects.push({ leaf, ...(arg === undefined ? {} : { arg }), ...found, shape: after.shape, dtype: after.dtype });
    }
    return { steps: this.steps, fresh: this.fresh, effects, guards, refusal: this.refusal, argShapes: this.args.map((a) => a.shape) };
  }
}
