import { Tensor, ValueError, toBackend_ } from '@backprop/tensor';
import { isGradEnabled, registerHook } from '@backprop/autograd';
import type { LayerConfig } from './config.js';
import { copyStateDict, type LoadResult, type StateDict } from './state-dict.js';

/** Any module, whatever its inputs and output. */
export type AnyModule = Module<any[], unknown>;

/** Called after every `call()` of the module it is registered on, with its inputs and output. */
export type ForwardHook = (module: AnyModule, inputs: unknown[], output: unknown) => void;

/**
 * Called before every `forward` of the module it is registered on, with its inputs; returning an array
 * replaces the argument list `forward` receives.
 */
export type ForwardPreHook = (module: AnyModule, inputs: unknown[]) => unknown[] | void;

/**
 * Called in the backward pass with the gradients of the module's tensor inputs (`null` for those without
 * one) and of its tensor outputs (`null` for those no gradient reached), as PyTorch's full backward hook.
 * Returning an array replaces the input gradients (modules with one tensor input that needs a gradient).
 */
export type BackwardHook = (module: AnyModule, gradInputs: (Tensor | null)[], gradOutputs: (Tensor | null)[]) => (Tensor | null)[] | void;

/** Returned by `registerForwardHook` and the other hook registrations: `remove()` unregisters the hook. */
export interface RemovableHandle {
  /** Unregisters the hook. */
  remove(): void;
}

/** Options of `registerBuffer`. */
export interface BufferOptions {
  /** Whether the buffer is saved in `stateDict()` (default true, as PyTorch; replacing a buffer keeps its setting). */
  persistent?: boolean;
}

/** Options of `loadStateDict`. */
export interface LoadStateDictOptions {
  /** Require the keys to match exactly (default true). Shapes must always match. */
  strict?: boolean;
}

const CHILD_KINDS = ['parameter', 'buffer', 'module'] as const;

/** One `call()` of a module with backward hooks: what its outputs received, and its inputs' gradients so far. */
interface HookedCall {
  gradOutputs: (Tensor | null)[];
  gradInputs: (Tensor | null)[];
  /** Inputs that need a gradient and have not received it yet. */
  pending: number;
}

const newHookedCall = (): HookedCall => ({ gradOutputs: [], gradInputs: [], pending: 0 });

/**
 * Base class of every layer and model, as PyTorch's `nn.Module`. A module owns named parameters (tensors
 * that training updates), buffers (state that is saved but not trained, such as batch norm's running
 * statistics) and child modules; names join with dots, so a parameter of a child reads `encoder.fc1.bias`,
 * as in PyTorch's `state_dict()`.
 *
 * A subclass registers its state in the constructor and implements `forward`. Read parameters through
 * `getParameter` (the built-in layers expose getters such as `linear.weight`), so that `functionalCall`
 * and `loadStateDict` see the same tensors. Run a module with `call(...)` (PyTorch's `module(x)`), which
 * also runs forward hooks.
 *
 * @example
 * class Affine extends Module {
 *   constructor(n: number) {
 *     super();
 *     this.registerParameter('scale', ones([n]).requiresGrad_());
 *     this.registerParameter('shift', zeros([n]).requiresGrad_());
 *   }
 *   forward(x: Tensor): Tensor {
 *     return x.mul(this.getParameter('scale')!).add(this.getParameter('shift')!);
 *   }
 * }
 * new Affine(3).namedParameters().map(([name]) => name); // ['scale', 'shift']
 */
export abstract class Module<Args extends unknown[] = [Tensor], Out = Tensor> {
  /** True in training mode (the default), false after `eval()`; dropout and batch norm read it. */
  training = true;
  // One map per kind, in registration order, which fixes the order of parameters() and stateDict().
  private readonly ownParameters = new Map<string, Tensor | null>();
  private readonly ownBuffers = new Map<string, Tensor | null>();
  private readonly nonPersistent = new Set<string>();
  private readonly ownModules = new Map<string, AnyModule | null>();
  private readonly forwardHooks = new Set<ForwardHook>();
  private readonly forwardPreHooks = new Set<ForwardPreHook>();
  private readonly backwardHooks = new Set<BackwardHook>();

  /** The computation. Call modules through `call()`, which also runs hooks. */
  abstract forward(...args: Args): Out;

  /**
   * Runs `forward` and then the forward hooks: what PyTorch does for `module(x)`.
   * @example const y = model.call(x);
   */
  call(...args: Args): Out {
    if (this.forwardPreHooks.size > 0) args = this.runForwardPreHooks(args);
    const call = this.backwardHooks.size > 0 && isGradEnabled() ? newHookedCall() : null;
    if (call) args = this.watchInputs(args, call) as Args;
    let out = this.forward(...args);
    if (call) out = this.watchOutputs(out, call) as Out;
    if (this.forwardHooks.size > 0) for (const hook of [...this.forwardHooks]) hook(this as AnyModule, args, out);
    return out;
  }

  /** The arguments after every forward pre-hook (each may return a new argument list). */
  private runForwardPreHooks<A extends unknown[]>(args: A): A {
    for (const hook of [...this.forwardPreHooks]) {
      const replaced = hook(this as AnyModule, args);
      if (replaced === undefined) continue;
      if (!Array.isArray(replaced)) {
        throw new ValueError(`${this.constructor.name}.call`, `a forward pre-hook must return nothing or the new argument list (an array), got ${String(replaced)}`);
      }
      args = replaced as A;
    }
    return args;
  }

  /**
   * Registers `hook(module, inputs)` to run before every `forward`; returning an array replaces the
   * arguments (PyTorch's `register_forward_pre_hook`).
   * @example layer.registerForwardPreHook((m, [x]) => [(x as Tensor).clamp(-1, 1)]);
   */
  registerForwardPreHook(hook: ForwardPreHook): RemovableHandle {
    this.forwardPreHooks.add(hook);
    return { remove: () => void this.forwardPreHooks.delete(hook) };
  }

  /**
   * Registers `hook(module, gradInputs, gradOutputs)` to run in every backward pass through a `call()` of
   * this module, once the gradients of its tensor inputs are known (PyTorch's
   * `register_full_backward_hook`); returning an array replaces the input gradients (for a module with one
   * tensor input that needs a gradient). The inputs and outputs of a hooked call pass through an identity,
   * so the hook sees exactly this call's gradients.
   *
   * @example
   * const norms: number[] = [];
   * layer.registerFullBackwardHook((m, gIn, [gOut]) => void norms.push(gOut!.square().sum().sqrt().item()));
   */
  registerFullBackwardHook(hook: BackwardHook): RemovableHandle {
    this.backwardHooks.add(hook);
    return { remove: () => void this.backwardHooks.delete(hook) };
  }

  /** The call's tensor inputs that need a gradient, each through an identity whose hook collects its gradient. */
  private watchInputs(args: unknown[], call: HookedCall): unknown[] {
    const positions = args.map((a, i) => (a instanceof Tensor && a.requiresGrad ? i : -1)).filter((i) => i >= 0);
    call.gradInputs = args.filter((a) => a instanceof Tensor).map(() => null);
    call.pending = positions.length;
    const tensorIndex = (i: number) => args.slice(0, i).filter((a) => a instanceof Tensor).length;
    const watched = [...args];
    for (const i of positions) {
      const x = (args[i] as Tensor).clone();
      registerHook(x, (g) => {
        call.gradInputs[tensorIndex(i)] = g;
        call.pending--;
        if (call.pending > 0) return undefined;
        call.pending = positions.length; // ready for another backward pass through a retained graph
        return this.runBackwardHooks(call, positions.length === 1 ? tensorIndex(i) : -1);
      });
      watched[i] = x;
    }
    return watched;
  }

  /** The call's tensor outputs (also inside arrays), each through an identity whose hook records its gradient. */
  private watchOutputs(out: unknown, call: HookedCall): unknown {
    let count = 0;
    const watch = (v: unknown): unknown => {
      if (v instanceof Tensor) {
        const index = count++;
        call.gradOutputs.push(null);
        if (!v.requiresGrad) return v;
        const y = v.clone();
        registerHook(y, (g) => {
          call.gradOutputs[index] = g;
          // Without an input that needs a gradient, the hook runs as soon as an output's gradient is known.
          if (call.pending === 0) this.runBackwardHooks(call, -1);
        });
        return y;
      }
      return Array.isArray(v) ? v.map(watch) : v;
    };
    return watch(out);
  }

  /** Runs the backward hooks; returns the replacement for input `replaceable` (−1: replacing is an error). */
  private runBackwardHooks(call: HookedCall, replaceable: number): Tensor | undefined {
    let replacement: Tensor | undefined;
    for (const hook of [...this.backwardHooks]) {
      const result = hook(this as AnyModule, [...call.gradInputs], [...call.gradOutputs]);
      if (result === undefined) continue;
      if (replaceable < 0 || !Array.isArray(result) || !(result[replaceable] instanceof Tensor)) {
        throw new ValueError(
          `${this.constructor.name} backward hook`,
          'a full backward hook may return new input gradients only for a module with one tensor input that needs a gradient (as [gradInput]); return nothing otherwise',
        );
      }
      replacement = result[replaceable]!;
      call.gradInputs[replaceable] = replacement;
    }
    return replacement;
  }

  /**
   * Registers `hook(module, inputs, output)` to run after every `call()`; `summary` uses this.
   * @example const h = layer.registerForwardHook((m, _in, out) => console.log(m, out)); h.remove();
   */
  registerForwardHook(hook: ForwardHook): RemovableHandle {
    this.forwardHooks.add(hook);
    return { remove: () => void this.forwardHooks.delete(hook) };
  }

  /**
   * Adds (or replaces) a parameter: a tensor that `parameters()` returns and `stateDict()` saves. `null`
   * records an absent optional parameter (Linear's `bias` with `bias: false`). The tensor is stored as
   * given: call `requiresGrad_()` on it to train it. Returns the tensor.
   *
   * @example this.registerParameter('weight', zeros([4, 3]).requiresGrad_());
   */
  registerParameter<T extends Tensor | null>(name: string, tensor: T): T {
    this.checkName('registerParameter', name, 'parameter', tensor);
    this.ownParameters.set(name, tensor);
    return tensor;
  }

  /**
   * Adds (or replaces) a buffer: state saved in `stateDict()` (unless `persistent: false`) that is not a
   * parameter, so optimizers leave it alone. Returns the tensor.
   *
   * @example this.registerBuffer('runningMean', zeros([features]));
   */
  registerBuffer<T extends Tensor | null>(name: string, tensor: T, options: BufferOptions = {}): T {
    this.checkName('registerBuffer', name, 'buffer', tensor);
    const persistent = options.persistent ?? !(this.ownBuffers.has(name) && this.nonPersistent.has(name));
    this.ownBuffers.set(name, tensor);
    if (persistent) this.nonPersistent.delete(name);
    else this.nonPersistent.add(name);
    return tensor;
  }

  /**
   * Adds (or replaces) a child module under `name`; its parameters appear as `name.…`. Returns it.
   * @example this.registerModule('fc1', new Linear(4, 8));
   */
  registerModule<M extends AnyModule | null>(name: string, module: M): M {
    this.checkName('registerModule', name, 'module', module);
    this.ownModules.set(name, module);
    return module;
  }

  private checkName(op: string, name: string, kind: (typeof CHILD_KINDS)[number], value: unknown): void {
    if (typeof name !== 'string' || name === '' || name.includes('.')) {
      throw new ValueError(`${this.constructor.name}.${op}`, `name must be a non-empty string without '.', got ${JSON.stringify(name)}`);
    }
    const valid = kind === 'module' ? value instanceof Module : value instanceof Tensor;
    if (value !== null && !valid) {
      throw new ValueError(`${this.constructor.name}.${op}`, `"${name}" must be a ${kind === 'module' ? 'Module' : 'Tensor'} or null`);
    }
    const maps = { parameter: this.ownParameters, buffer: this.ownBuffers, module: this.ownModules };
    for (const other of CHILD_KINDS) {
      if (other !== kind && maps[other].has(name)) {
        throw new ValueError(`${this.constructor.name}.${op}`, `"${name}" is already registered as a ${other}`);
      }
    }
  }

  /** The parameter registered directly on this module under `name` (`null` if registered absent, `undefined` if unknown). */
  getParameter(name: string): Tensor | null | undefined {
    return this.ownParameters.get(name);
  }

  /** The buffer registered directly on this module under `name`. */
  getBuffer(name: string): Tensor | null | undefined {
    return this.ownBuffers.get(name);
  }

  /**
   * The descendant at a dotted path (`''` is this module), as PyTorch's `get_submodule`.
   * @example model.getSubmodule('encoder.0');
   */
  getSubmodule(target: string): AnyModule {
    let module: AnyModule = this as AnyModule;
    if (target === '') return module;
    for (const part of target.split('.')) {
      const child = module.ownModules.get(part);
      if (!child) throw new ValueError('getSubmodule', `${module.constructor.name} has no submodule "${part}" (looking up "${target}")`);
      module = child;
    }
    return module;
  }

  /**
   * `[name, module]` for this module (named `''`) and every descendant, depth first in registration order.
   * @example model.namedModules().map(([n]) => n); // ['', '0', '1', '1.fc', …]
   */
  namedModules(prefix = ''): [string, AnyModule][] {
    const out: [string, AnyModule][] = [];
    const seen = new Set<AnyModule>();
    const visit = (module: AnyModule, name: string): void => {
      if (seen.has(module)) return;
      seen.add(module);
      out.push([name, module]);
      for (const [childName, child] of module.ownModules) {
        if (child) visit(child, name === '' ? childName : `${name}.${childName}`);
      }
    };
    visit(this as AnyModule, prefix);
    return out;
  }

  /** This module and every descendant. */
  modules(): AnyModule[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** `[name, module]` of the direct children. */
  namedChildren(): [string, AnyModule][] {
    return [...this.ownModules].filter((e): e is [string, AnyModule] => e[1] !== null);
  }

  /** The direct children. */
  children(): AnyModule[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** Tensors of one kind with their dotted names, each tensor once (a shared weight is listed under its first name). */
  private collect(kind: 'parameter' | 'buffer', recurse: boolean, persistentOnly: boolean, dedupe = true): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    const modules = recurse ? this.namedModules() : [['', this as AnyModule] as [string, AnyModule]];
    for (const [prefix, module] of modules) {
      const own = kind === 'parameter' ? module.ownParameters : module.ownBuffers;
      for (const [name, t] of own) {
        if (t === null || (dedupe && seen.has(t))) continue;
        if (persistentOnly && kind === 'buffer' && module.nonPersistent.has(name)) continue;
        seen.add(t);
        out.push([prefix === '' ? name : `${prefix}.${name}`, t]);
      }
    }
    return out;
  }

  /**
   * `[dottedName, tensor]` of every parameter (of descendants too unless `recurse` is false).
   * @example new Linear(2, 3).namedParameters().map(([n, p]) => [n, p.shape]); // [['weight', [3, 2]], ['bias', [3]]]
   */
  namedParameters(recurse = true): [string, Tensor][] {
    return this.collect('parameter', recurse, false);
  }

  /** Every parameter, for an optimizer. @example new SGD(model.parameters(), { lr: 0.1 }); */
  parameters(recurse = true): Tensor[] {
    return this.namedParameters(recurse).map(([, t]) => t);
  }

  /** `[dottedName, tensor]` of every buffer. */
  namedBuffers(recurse = true): [string, Tensor][] {
    return this.collect('buffer', recurse, false);
  }

  /** Every buffer. */
  buffers(recurse = true): Tensor[] {
    return this.namedBuffers(recurse).map(([, t]) => t);
  }

  /**
   * Moves every parameter and buffer (of descendants too) into the memory of `backend` (default: the
   * active one), in place, as PyTorch's `module.to(device)`; returns this. Training moves parameters there
   * by itself at the first optimizer step; for inference it spares copying the weights in on every call.
   * @example await useWasmBackend(); model.eval().to(); // then model.call(x) reads its weights in the wasm heap
   */
  to(backend?: string): this {
    for (const t of [...this.parameters(), ...this.buffers()]) toBackend_(t, backend);
    return this;
  }

  /**
   * Sets training mode on this module and every descendant (`training = mode`); returns this.
   * @example model.train(); // before fitting
   */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode: `train(false)`. @example model.eval(); */
  eval(): this {
    return this.train(false);
  }

  /** Clears the gradient of every parameter (`grad = null`, PyTorch's default `set_to_none`). @example model.zeroGrad(); */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /**
   * Calls `fn` on every descendant and then this module (children first, as PyTorch's `apply`); returns this.
   * @example model.apply((m) => { if (m instanceof Linear) xavierUniform_(m.weight); });
   */
  apply(fn: (module: AnyModule) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this as AnyModule);
    return this;
  }

  /** Every saved tensor (parameters, then persistent buffers, module by module), the real tensors, by name. */
  private stateTensors(): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    for (const [prefix, module] of this.namedModules()) {
      const join = (n: string) => (prefix === '' ? n : `${prefix}.${n}`);
      for (const [n, t] of module.collect('parameter', false, true, false)) out.set(join(n), t);
      for (const [n, t] of module.collect('buffer', false, true, false)) out.set(join(n), t);
    }
    return out;
  }

  /**
   * Parameters and persistent buffers by dotted name, with PyTorch's names and layouts (so a dict exported
   * by `torch`'s `state_dict()` loads here and back). The tensors are detached and share data with the model.
   *
   * @example [...new Linear(2, 3).stateDict().keys()]; // ['weight', 'bias']
   */
  stateDict(): Map<string, Tensor> {
    return new Map([...this.stateTensors()].map(([k, t]) => [k, t.detach()]));
  }

  /**
   * Copies `dict` into the model's parameters and buffers, in place. Everything is checked first: any
   * missing, unexpected (with `strict`, the default) or mis-shaped key throws one `StateDictError` listing
   * them all, before a single weight changes. Values are converted to each tensor's dtype.
   *
   * @example model.loadStateDict(other.stateDict());
   */
  loadStateDict(dict: StateDict, options: LoadStateDictOptions = {}): LoadResult {
    return copyStateDict(this.constructor.name, this.stateTensors(), dict, options.strict ?? true);
  }

  /**
   * This module's description as JSON, `{ type, ...options }`, which `layerFromConfig` turns back into an
   * equal (freshly initialized) module. Every built-in layer implements it; a custom module that should be
   * saved overrides it and is registered with `registerLayer`.
   */
  toConfig(): LayerConfig {
    throw new ValueError(
      `${this.constructor.name}.toConfig`,
      'this module does not describe itself: override toConfig() and registerLayer() its class to save it as a config',
    );
  }
}
