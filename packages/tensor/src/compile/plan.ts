import { runKernel, type DeviceTensorData, type KernelInput, type TensorData } from '../backend.js';
import { allocData, type TypedArray } from '../dtype.js';
import { residentFor } from '../ops/in-place.js';
import { sizeOf, shapesEqual } from '../shape.js';
import { deviceMemory, readStorageSync, Storage } from '../storage.js';
import { Tensor } from '../tensor.js';
import { FUSABLE, fusedLoop, isBuiltinCpuKernel, type FusedLoop, type FusedOp } from './fuse.js';
import type { GradEffect, InputRef, Trace, TraceStep } from './trace.js';

// A plan is a trace made ready to replay: elementwise chains grouped into fused loops, and for every
// position the values whose last use it is, dropped there (and, for the buffers fused loops own, lent to
// the next fused loop of their size).

/** What `compile` reports about a plan. */
export interface PlanSummary {
  /** Kernel calls the traced run made. */
  readonly kernels: number;
  /** Calls one replay makes: kernels left as they were plus one per fused loop. */
  readonly steps: number;
  /** Fused loops in the plan. */
  readonly fusedLoops: number;
  /** Kernel calls the fused loops replace. */
  readonly fusedKernels: number;
  /** Fused loops that write into a buffer an earlier loop of the same replay no longer needs. */
  readonly reusedBuffers: number;
  /**
   * Kernel results a replay leaves in their backend's memory (see `DeviceMemory.holdResults`) and releases
   * at their last use, rather than copying them out to the host: the intermediates of a wasm replay.
   */
  readonly heldResults: number;
}

/** How a returned value is rebuilt: a tensor from its source, or arrays and objects of them, or a constant. */
export type OutputSpec =
  | { readonly kind: 'tensor'; readonly ref: InputRef }
  | { readonly kind: 'array'; readonly items: readonly OutputSpec[] }
  | { readonly kind: 'object'; readonly entries: readonly (readonly [string, OutputSpec])[] }
  | { readonly kind: 'value'; readonly value: unknown };

interface KernelStep {
  readonly kind: 'kernel';
  readonly index: number;
  readonly step: TraceStep;
}

interface FusedStep {
  readonly kind: 'fused';
  /** The trace step whose value the loop produces (the chain's last member). */
  readonly index: number;
  readonly loop: FusedLoop;
  readonly inputs: readonly InputRef[];
  readonly size: number;
  readonly step: TraceStep;
  /** Whether the output buffer may come from (and go back to) the plan's pool. */
  readonly pooled: boolean;
}

type PlanStep = KernelStep | FusedStep;
type Value = TypedArray | Storage;

function isFusable(s: TraceStep): boolean {
  if (s.backend !== 'cpu' || !s.host || s.written.length > 0 || !FUSABLE.has(s.kernel) || !isBuiltinCpuKernel(s.kernel)) return false;
  if (s.dtype !== 'float32' && s.dtype !== 'float64') return false;
  const size = sizeOf(s.shape);
  return s.inputs.every((r) => r.dtype === s.dtype && (sizeOf(r.shape) === size || sizeOf(r.shape) === 1));
}

function collectRefs(spec: OutputSpec, into: InputRef[]): void {
  if (spec.kind === 'tensor') into.push(spec.ref);
  else if (spec.kind === 'array') for (const s of spec.items) collectRefs(s, into);
  else if (spec.kind === 'object') for (const [, s] of spec.entries) collectRefs(s, into);
}

export class Plan {
  private readonly order: PlanStep[] = [];
  /** Per plan position: trace steps whose values are dropped after it, and which of those go to the pool. */
  private readonly drops: number[][] = [];
  private readonly pool = new Map<string, TypedArray[]>();
  readonly summary: PlanSummary;

  constructor(
    private readonly trace: Trace,
    private readonly output: OutputSpec,
    fuse: boolean,
  ) {
    const steps = trace.steps;
    const n = steps.length;
    const visibleRefs: InputRef[] = [];
    collectRefs(output, visibleRefs);
    for (const e of trace.effects) visibleRefs.push(e);
    const visible = new Set<number>();
    for (const r of visibleRefs) if (r.source.kind === 'step') visible.add(r.source.step);
    const aliased = new Set<number>();
    for (const s of steps) if (s.aliasOf >= 0) aliased.add(s.aliasOf);
    const uses = new Array<number>(n).fill(0);
    for (const s of steps) for (const r of s.inputs) if (r.source.kind === 'step') uses[r.source.step]++;

    // Group elementwise chains: a member joins the chain of an operand that only it uses.
    const group = new Array<number>(n).fill(-1);
    const members = new Map<number, number[]>();
    let open = new Set<number>();
    for (let i = 0; i < n; i++) {
      const s = steps[i];
      if (s.written.length > 0) {
        // A write may change what a chain's earlier members read: chains never reach across one.
        open = new Set();
        continue;
      }
      if (!fuse || !isFusable(s)) continue;
      const size = sizeOf(s.shape);
      let g = i;
      members.set(i, [i]);
      group[i] = i;
      open.add(i);
      for (const r of s.inputs) {
        if (r.source.kind !== 'step' || r.partial) continue;
        const p = r.source.step;
        const pg = group[p];
        if (pg < 0 || !open.has(pg) || pg === g || uses[p] !== 1 || visible.has(p) || aliased.has(p) || sizeOf(steps[p].shape) !== size) continue;
        // Merge the operand's chain and this one under the older id.
        const [keep, drop] = pg < g ? [pg, g] : [g, pg];
        const merged = [...members.get(keep)!, ...members.get(drop)!].sort((x, y) => x - y);
        for (const m of members.get(drop)!) group[m] = keep;
        members.set(keep, merged);
        members.delete(drop);
        open.delete(drop);
        g = keep;
      }
    }

    const lastOfGroup = new Map<number, number[]>();
    for (const [, ms] of members) if (ms.length > 1) lastOfGroup.set(ms[ms.length - 1], ms);
    const skipped = new Set<number>();
    for (const ms of lastOfGroup.values()) for (const m of ms.slice(0, -1)) skipped.add(m);
    let fusedLoops = 0;
    let fusedKernels = 0;
    for (let i = 0; i < n; i++) {
      if (skipped.has(i)) continue;
      const ms = lastOfGroup.get(i);
      const built = ms ? this.buildFused(ms, steps, !visible.has(i) && !aliased.has(i)) : null;
      if (built) {
        this.order.push(built);
        fusedLoops++;
        fusedKernels += ms!.length;
      } else if (ms) {
        for (const m of ms) this.order.push({ kind: 'kernel', index: m, step: steps[m] });
      } else {
        this.order.push({ kind: 'kernel', index: i, step: steps[i] });
      }
    }

    // Last uses: a value not returned or assigned is dropped after the last step that reads it.
    const last = new Array<number>(n).fill(-1);
    this.order.forEach((p, pos) => {
      last[p.index] = Math.max(last[p.index], pos);
      for (const r of p.kind === 'kernel' ? p.step.inputs : p.inputs) if (r.source.kind === 'step') last[r.source.step] = pos;
    });
    for (let pos = 0; pos < this.order.length; pos++) this.drops.push([]);
    for (let s = 0; s < n; s++) if (last[s] >= 0 && !visible.has(s)) this.drops[last[s]].push(s);
    let reusedBuffers = 0;
    const free = new Map<string, number>();
    const byIndex = new Map(this.order.map((p) => [p.index, p]));
    this.order.forEach((p, pos) => {
      if (p.kind === 'fused' && p.pooled) {
        const key = `${p.step.dtype}:${p.size}`;
        if ((free.get(key) ?? 0) > 0) {
          free.set(key, free.get(key)! - 1);
          reusedBuffers++;
        }
      }
      for (const s of this.drops[pos]) {
        const q = byIndex.get(s);
        if (q?.kind === 'fused' && q.pooled) free.set(`${q.step.dtype}:${q.size}`, (free.get(`${q.step.dtype}:${q.size}`) ?? 0) + 1);
      }
    });
    this.pooledSteps = new Set(this.order.filter((p) => p.kind === 'fused' && p.pooled).map((p) => p.index));
    this.heldSteps = heldSteps(this.order, steps, visible, aliased);
    this.summary = { kernels: n, steps: this.order.length, fusedLoops, fusedKernels, reusedBuffers, heldResults: this.heldSteps.size };
  }

  private readonly pooledSteps: Set<number>;
  /** Kernel steps whose results stay in their backend's memory during a replay, released at their last use. */
  private readonly heldSteps: Set<number>;

  private buildFused(ms: readonly number[], steps: readonly TraceStep[], pooled: boolean): FusedStep | null {
    const root = steps[ms[ms.length - 1]];
    const local = new Map(ms.map((m, k) => [m, k]));
    const inputs: InputRef[] = [];
    const scalars: boolean[] = [];
    const ops: FusedOp[] = ms.map((m) => ({
      kernel: steps[m].kernel,
      operands: steps[m].inputs.map((r) => {
        if (r.source.kind === 'step' && local.has(r.source.step)) return `t${local.get(r.source.step)}`;
        inputs.push(r);
        scalars.push(sizeOf(r.shape) === 1 && sizeOf(root.shape) !== 1);
        return `in${inputs.length - 1}`;
      }),
    }));
    const loop = fusedLoop(ops, scalars, root.dtype);
    if (!loop) return null;
    return { kind: 'fused', index: ms[ms.length - 1], loop, inputs, size: sizeOf(root.shape), step: root, pooled };
  }

  /** Runs the plan on `args`; returns the rebuilt output and assigns the `.grad` fields the run assigned. */
  replay(args: readonly Tensor[]): unknown {
    const run = this.compiled ?? (this.compiled = this.compileSteps());
    const values = new Array<Value | undefined>(this.trace.steps.length);
    // Buffers made during the trace and written in place: a new tensor per replay, moved like eager mode's.
    const fresh = this.trace.fresh.map((f) => new Tensor(f.initial.slice(), f.shape, f.dtype));
    const env: Env = { args, values, fresh };
    try {
      this.run(run, env);
    } catch (err) {
      // Held results are freed by nothing but their release (Storage.owned): give back what is still held.
      for (const s of this.heldSteps) releaseHeld(values[s]);
      throw err;
    }
    const tensorOf = (r: InputRef): Tensor => {
      const t = resolverFor(r, this.trace.argShapes)(env);
      if (t instanceof Tensor && shapesEqual(t.shape, r.shape)) return t;
      return new Tensor(t.storage ?? t.data, r.shape, r.dtype);
    };
    for (const e of this.trace.effects as readonly GradEffect[]) (e.arg === undefined ? e.leaf : args[e.arg]).grad = tensorOf(e);
    const rebuild = (spec: OutputSpec): unknown => {
      if (spec.kind === 'tensor') return tensorOf(spec.ref);
      if (spec.kind === 'array') return spec.items.map(rebuild);
      if (spec.kind === 'object') return Object.fromEntries(spec.entries.map(([k, s]) => [k, rebuild(s)]));
      return spec.value;
    };
    return rebuild(this.output);
  }

  /** Runs the steps in order, dropping each value after its last use (held ones released, pooled ones lent on). */
  private run(run: readonly ((env: Env) => void)[], env: Env): void {
    const values = env.values;
    for (let pos = 0; pos < run.length; pos++) {
      run[pos](env);
      const drops = this.drops[pos];
      for (let k = 0; k < drops.length; k++) {
        const s = drops[k];
        if (this.heldSteps.has(s)) releaseHeld(values[s]);
        else if (this.pooledSteps.has(s)) {
          const v = values[s] as TypedArray;
          const key = `${this.trace.steps[s].dtype}:${v.length}`;
          let list = this.pool.get(key);
          if (!list) this.pool.set(key, (list = []));
          list.push(v);
        }
        values[s] = undefined;
      }
    }
  }

  private compiled: ((env: Env) => void)[] | null = null;

  /** One closure per plan position, its inputs' resolution decided once (a replay runs them in order). */
  private compileSteps(): ((env: Env) => void)[] {
    const argShapes = this.trace.argShapes;
    return this.order.map((p): ((env: Env) => void) => {
      const index = p.index;
      if (p.kind === 'fused') {
        const resolvers = p.inputs.map((r) => hostResolver(resolverFor(r, argShapes)));
        const { loop, size, pooled } = p;
        const dtype = p.step.dtype;
        const key = `${dtype}:${size}`;
        return (env) => {
          const ins = resolvers.map((f) => f(env));
          const out = (pooled ? this.pool.get(key)?.pop() : undefined) ?? allocData(dtype, size);
          loop(ins, out, size);
          env.values[index] = out;
        };
      }
      const s = p.step;
      const resolvers = s.inputs.map((r) => resolverFor(r, argShapes));
      const { kernel, attrs, written } = s;
      const n = resolvers.length;
      const holder = this.heldSteps.has(index) ? deviceMemory(s.backend) : undefined;
      return (env) => {
        const inputs = new Array<KernelInput>(n);
        for (let k = 0; k < n; k++) inputs[k] = resolvers[k](env);
        for (const w of written) if (inputs[w] instanceof Tensor) residentFor(inputs[w] as Tensor, kernel, kernel);
        const result = holder ? holder.holdResults!(() => runKernel(kernel, inputs, attrs)) : runKernel(kernel, inputs, attrs);
        env.values[index] = storageOf(result);
      };
    });
  }
}

interface Env {
  readonly args: readonly Tensor[];
  readonly values: (Value | undefined)[];
  readonly fresh: readonly Tensor[];
}

type Resolver = (env: Env) => KernelInput;

function storageOf(result: TensorData | DeviceTensorData): Value {
  const storage = (result as { storage?: Storage }).storage;
  return storage ? (storage.isHost ? storage.hostData! : storage) : (result as TensorData).data;
}

/** Gives back a result a replay held in device memory (Storage.release leaves host storage alone). */
function releaseHeld(v: Value | undefined): void {
  if (v instanceof Storage) Storage.release(v, 'a compiled replay, at its last use');
}

/**
 * The kernel steps whose results a replay may leave in their backend's memory: results of a backend that
 * holds them, used only inside the replay (not returned, not a `.grad`, not the target of an in-place
 * kernel or another step's alias) and read whole, so that releasing them at their last use is safe.
 */
function heldSteps(order: readonly PlanStep[], steps: readonly TraceStep[], visible: ReadonlySet<number>, aliased: ReadonlySet<number>): Set<number> {
  const readInPart = new Set<number>();
  for (const s of steps) for (const r of s.inputs) if (r.source.kind === 'step' && r.partial) readInPart.add(r.source.step);
  const held = new Set<number>();
  for (const p of order) {
    const i = p.index;
    const s = p.step;
    if (p.kind !== 'kernel' || !s.host || s.written.length > 0 || visible.has(i) || aliased.has(i) || readInPart.has(i)) continue;
    if (deviceMemory(s.backend)?.holdResults) held.add(i);
  }
  return held;
}

/** How a replay finds the input `r` names, decided once per plan. */
function resolverFor(r: InputRef, argShapes: readonly (readonly number[])[]): Resolver {
  const src = r.source;
  const { shape, dtype, partial } = r;
  switch (src.kind) {
    case 'tensor': {
      const t = src.tensor;
      return () => t;
    }
    case 'arg': {
      const i = src.index;
      if (!partial && shapesEqual(argShapes[i], shape)) return (env) => env.args[i];
      return (env) => viewOf(env.args[i].storage, r);
    }
    case 'fresh': {
      const i = src.index;
      if (!partial) return (env) => (shapesEqual(env.fresh[i].shape, shape) ? env.fresh[i] : viewOf(env.fresh[i].storage, r));
      return (env) => viewOf(env.fresh[i].storage, r);
    }
    case 'step': {
      const i = src.step;
      if (!partial) {
        return (env) => {
          const v = env.values[i]!;
          return v instanceof Storage ? new Tensor(v, shape, dtype) : { data: v, shape, dtype };
        };
      }
      return (env) => viewOf(env.values[i]!, r);
    }
  }
}

/** The host array of what `resolve` finds (read back from a device that can). */
function hostResolver(resolve: Resolver): (env: Env) => TypedArray {
  return (env) => {
    const t = resolve(env);
    const storage = t.storage;
    return storage && !storage.isHost ? readStorageSync(storage, 'compile') : storage ? storage.hostData! : t.data;
  };
}

/** What a kernel sees of `value` through `r`: a host subarray, or a device storage under r's shape. */
function viewOf(value: Value, r: InputRef): KernelInput {
  if (value instanceof Storage) {
    if (!value.isHost) return new Tensor(value, r.shape, r.dtype);
    return viewOf(value.hostData!, r);
  }
  const data = r.partial ? value.subarray(r.offset, r.offset + sizeOf(r.shape)) : value;
  return { data, shape: r.shape, dtype: r.dtype };
}
