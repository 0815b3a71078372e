import { getBackend } from '../backend.js';
import { TensorError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { Plan, type OutputSpec, type PlanSummary } from './plan.js';
import { Tracer, type GradGuard } from './trace.js';

/** Options of {@link compile}. */
export interface CompileOptions {
  /** Fuse chains of elementwise kernels on the `cpu` backend into one loop each (default true). */
  fuse?: boolean;
  /**
   * How many times in a row a signature may be traced again because a parameter's `.grad` was not as the
   * last trace found it, before its calls run eagerly (default 3).
   */
  maxRetraces?: number;
}

/** What one call of a compiled function did. */
export type CompiledCall = 'traced' | 'replayed' | 'eager';

/**
 * A function made by {@link compile}: call it as the original. It also says what its calls did, and why
 * calls ran eagerly.
 */
export interface CompiledFunction<A extends readonly Tensor[], R> {
  /** Calls the compiled function: traces, replays or runs eagerly, and returns what `fn` returns. */
  (...args: A): R;
  /** What the last call did: traced (ran eagerly while recording), replayed a plan, or ran eagerly. */
  readonly lastCall: CompiledCall | null;
  /** Why the last call ran eagerly, or `null` if it traced or replayed. */
  readonly reason: string | null;
  /** The plan the last call traced or replayed (kernel counts before and after fusion), or `null`. */
  readonly plan: PlanSummary | null;
  /** Calls so far by what they did. */
  readonly calls: { readonly traced: number; readonly replayed: number; readonly eager: number };
}

interface Entry {
  plan: Plan | null;
  reason: string | null;
  guards: readonly GradGuard[];
  retraces: number;
}

let tracing = 0;

function signature(args: readonly Tensor[]): string {
  const parts = [getBackend()];
  args.forEach((a, i) => {
    if (!(a instanceof Tensor)) throw new TensorError('compile', `argument ${i} must be a Tensor, got ${typeof a}`);
    // Whether an argument takes a gradient, and already holds one, changes what backward() does with it.
    parts.push(`${a.dtype}[${a.shape.join(',')}]${a.requiresGrad ? (a.grad ? ' grad+' : ' grad') : ''}`);
    // Arguments that share memory are another signature: the plan tells them apart by memory.
    const same = args.findIndex((b) => b.storage === a.storage);
    if (same !== i) parts.push(`=${same}`);
  });
  return parts.join(' ');
}

function describe(value: unknown, tracer: Tracer, path: string): OutputSpec {
  if (value instanceof Tensor) {
    const found = tracer.sourceOf(value);
    if (found === null) {
      tracer.refuse(`the returned tensor at ${path} cannot be followed`);
      return { kind: 'value', value };
    }
    return { kind: 'tensor', ref: { ...found, shape: value.shape, dtype: value.dtype } };
  }
  if (Array.isArray(value)) return { kind: 'array', items: value.map((v, i) => describe(v, tracer, `${path}[${i}]`)) };
  if (value !== null && typeof value === 'object') {
    if (Object.getPrototypeOf(value) !== Object.prototype) {
      tracer.refuse(`the function returns an object of class ${value.constructor?.name ?? 'unknown'} at ${path}: return tensors, arrays or plain objects`);
      return { kind: 'value', value };
    }
    return { kind: 'object', entries: Object.entries(value).map(([k, v]) => [k, describe(v, tracer, `${path}.${k}`)] as const) };
  }
  if (typeof value === 'function' || typeof value === 'symbol') {
    tracer.refuse(`the function returns a ${typeof value} at ${path}`);
  }
  return { kind: 'value', value };
}

/**
 * Compiles `fn` (tensors in, tensors out) into a function that replays its kernels. The first call with a
 * given signature (argument shapes and dtypes, the active backend) runs `fn` eagerly while recording every
 * kernel it runs and where each input came from: an argument, an earlier kernel, or a tensor from outside
 * (a parameter, read afresh at every replay, so in-place updates between calls are seen). Later calls
 * replay the recorded kernels directly, without the ops' checks, broadcasting plans or autograd graph,
 * with chains of elementwise arithmetic on `cpu` fused into one loop each (bit for bit what the kernels
 * compute) and
 * every intermediate dropped after its last use. The `.grad` fields the traced run assigned (a
 * `backward()` inside `fn`) are assigned again.
 *
 * What a replay cannot see is frozen at the trace, as with `jax.jit`: JavaScript values `fn` computes
 * from other state (a counter, a learning rate), and side effects other than kernels and `.grad`.
 * Results of a replay carry no autograd graph. A signature whose run is not replayable runs eagerly at
 * every call and `reason` says why: a host read of a traced value (`dataSync`, `item`, `read`), random
 * draws (dropout), an optimizer step (its attributes change per call: call `optimizer.step()` outside),
 * or a parameter's `.grad` that keeps changing between calls (call `zeroGrad()` outside).
 *
 * @example
 * const step = compile((x: Tensor, y: Tensor) => {
 *   const loss = mseLoss(model.forward(x), y);
 *   loss.backward();
 *   return loss;
 * });
 * for (const [x, y] of batches) {
 *   opt.zeroGrad();
 *   const loss = step(x, y); // traced once per batch shape, then replayed
 *   opt.step();
 * }
 * step.plan; // kernel calls traced, replay steps after fusion, fused loops, …
 */
export function compile<A extends readonly Tensor[], R>(fn: (...args: A) => R, options: CompileOptions = {}): CompiledFunction<A, R> {
  const fuse = options.fuse ?? true;
  const maxRetraces = options.maxRetraces ?? 3;
  const entries = new Map<string, Entry>();
  const state = {
    lastCall: null as CompiledCall | null,
    reason: null as string | null,
    plan: null as PlanSummary | null,
    calls: { traced: 0, replayed: 0, eager: 0 },
  };
  const eager = (args: A, reason: string, plan: PlanSummary | null = null): R => {
    state.lastCall = 'eager';
    state.reason = reason;
    state.plan = plan;
    state.calls.eager++;
    return fn(...args);
  };

  const compiled = (...args: A): R => {
    const key = signature(args);
    // Inside another trace, run eagerly so that the outer trace records these kernels itself.
    if (tracing > 0) return eager(args, 'called while another compiled function was being traced');
    let entry = entries.get(key);
    if (entry && entry.plan === null && entry.reason !== null) return eager(args, entry.reason);
    if (entry?.plan) {
      if (entry.guards.every((g) => (g.arg === undefined ? g.leaf : args[g.arg]).grad === g.grad)) {
        entry.retraces = 0;
        state.lastCall = 'replayed';
        state.reason = null;
        state.plan = entry.plan.summary;
        state.calls.replayed++;
        return entry.plan.replay(args) as R;
      }
      if (++entry.retraces > maxRetraces) {
        entry.plan = null;
        entry.reason = `a parameter's .grad differed from the last trace's at ${maxRetraces} calls in a row (set to null inside the function, or kept between calls): call zeroGrad() outside the compiled function`;
        return eager(args, entry.reason);
      }
    }
    tracing++;
    let traced: { result: R; tracer: Tracer };
    try {
      traced = Tracer.run(args, () => fn(...args));
    } finally {
      tracing--;
    }
    const { result, tracer } = traced;
    const output = describe(result, tracer, 'the result');
    const trace = tracer.finish();
    const retraces = entry?.retraces ?? 0;
    if (trace.refusal !== null) {
      entry = { plan: null, reason: trace.refusal, guards: [], retraces };
      entries.set(key, entry);
      state.lastCall = 'eager';
      state.reason = trace.refusal;
      state.plan = null;
      state.calls.eager++;
      return result;
    }
    const plan = new Plan(trace, output, fuse);
    entries.set(key, { plan, reason: null, guards: trace.guards, retraces });
    state.lastCall = 'traced';
    state.reason = null;
    state.plan = plan.summary;
    state.calls.traced++;
    return result;
  };
  Object.defineProperties(compiled, {
    lastCall: { get: () => state.lastCall },
    reason: { get: () => state.reason },
    plan: { get: () => state.plan },
    calls: { get: () => ({ ...state.calls }) },
  });
  return compiled as CompiledFunction<A, R>;
}
