import { Tensor, ValueError, fill_ } from '@backprop/tensor';
import { enableGrad } from '@backprop/autograd';
import { definedOnly } from './options.js';
import { checkOptionKeys } from './unknown-option.js';
import {
  expectArray,
  serialize,
  type OptimizerStateDict,
  type SerializedValue,
} from './state-dict.js';

/** A parameter group as given by the user: its parameters and any options that differ from the defaults. */
export type ParamGroupInput<O> = Partial<O> & { params: Tensor | readonly Tensor[] };

/**
 * A parameter group as the optimizer holds it: every option resolved. Options are plain writable fields,
 * so a schedule (or you) can change `lr` between steps. `initialLr` is set by the first schedule attached.
 */
export type ParamGroup<O> = O & { params: Tensor[]; initialLr?: number };

/** What an optimizer's constructor takes: a list of tensors, or a list of parameter groups. */
export type Params<O> = readonly Tensor[] | readonly ParamGroupInput<O>[];

/** Re-evaluates the model and returns the loss (a scalar tensor or a number), as PyTorch's closures do. */
export type LossClosure = () => Tensor | number;

/** Options of `zeroGrad`. */
export interface ZeroGradOptions {
  /** Drop the gradients (`grad = null`) rather than fill them with zeros. Default `true`, as PyTorch 2. */
  setToNone?: boolean;
}

/**
 * Base of every optimizer: parameter groups, per-parameter state, `zeroGrad`, `stateDict` and
 * `loadStateDict`, as PyTorch's `torch.optim.Optimizer`. `O` is the type of a group's options, `S` the
 * state kept per parameter.
 *
 * @example
 * const opt = new SGD([{ params: weights, weightDecay: 1e-4 }, { params: biases }], { lr: 0.1, momentum: 0.9 });
 * opt.paramGroups[0].lr = 0.05; // schedules do this between steps
 * const saved = JSON.stringify(opt.stateDict());
 */
export abstract class Optimizer<O extends object, S extends object = Record<string, unknown>> {
  /** The parameter groups, each with its own options. */
  readonly paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state (moment buffers, step counts), created at a parameter's first update. */
  readonly state = new Map<Tensor, S>();
  /** Options for groups that do not set them: PyTorch's defaults overridden by the constructor's options. */
  readonly defaults: Partial<O>;
  /** The options it takes (the keys of the constructor's `defaults`); any other key is refused. */
  readonly optionNames: readonly string[];

  /**
   * @param name The optimizer's name, for error messages.
   * @param params Tensors, or parameter groups `{ params, ...options }`.
   * @param defaults The optimizer's own defaults (PyTorch's), one entry for every option it takes (`undefined`
   *   for an option without a default, such as SGD's `lr`): its keys are the option names, and a key outside
   *   them in `options` or in a parameter group throws an `UnknownOptionError`.
   * @param options The user's options, overriding `defaults`; `undefined` values leave the default.
   */
  constructor(
    readonly name: string,
    params: Params<O>,
    defaults: Partial<O>,
    options: Partial<O> = {},
  ) {
    this.optionNames = Object.freeze(Object.keys(defaults));
    checkOptionKeys(name, options, this.optionNames);
    this.defaults = { ...defaults, ...definedOnly(options) };
    if (params instanceof Tensor || !Array.isArray(params)) {
      throw new ValueError(name, 'params must be an array of tensors or of parameter groups { params, ...options }');
    }
    if (params.length === 0) throw new ValueError(name, 'got an empty parameter list');
    if (params[0] instanceof Tensor) {
      this.pushGroup({ params: params as readonly Tensor[] } as ParamGroupInput<O>, '');
    } else {
      for (const group of params as readonly ParamGroupInput<O>[]) this.addParamGroup(group);
    }
  }

  /**
   * Adds a parameter group, e.g. layers unfrozen during fine-tuning. Options it does not set come from
   * the optimizer's defaults.
   *
   * @example
   * opt.addParamGroup({ params: head.parameters(), lr: 1e-3 });
   */
  addParamGroup(input: ParamGroupInput<O>): void {
    this.pushGroup(input, ` (parameter group ${this.paramGroups.length})`);
  }

  private pushGroup(input: ParamGroupInput<O>, where: string): void {
    if (input === null || typeof input !== 'object' || !('params' in input)) {
      throw new ValueError(this.name, `a parameter group must be an object { params, ...options }${where}`);
    }
    // initialLr is not an option but a group's own field, which a group copied from `paramGroups` carries.
    checkOptionKeys(this.name, input, this.optionNames, { where, extra: ['params', 'initialLr'] });
    const params = input.params instanceof Tensor ? [input.params] : [...input.params];
    if (params.length === 0) throw new ValueError(this.name, `a parameter group has no parameters${where}`);
    const seen = new Set(this.paramGroups.flatMap((g) => g.params));
    for (const [i, p] of params.entries()) {
      if (!(p instanceof Tensor)) throw new ValueError(this.name, `parameter ${i}${where} is not a Tensor`);
      if (p.dtype !== 'float32' && p.dtype !== 'float64') {
        throw new ValueError(this.name, `parameter ${i}${where} has dtype ${p.dtype}, expected float32 or float64`);
      }
      if (!p.isLeaf) throw new ValueError(this.name, `parameter ${i}${where} is not a leaf tensor: optimize the tensor you created, not a result of ops`);
      if (seen.has(p)) throw new ValueError(this.name, `parameter ${i}${where} appears twice: a parameter may belong to one group only`);
      seen.add(p);
    }
    const group = { ...structuredClone(this.defaults), ...definedOnly({ ...input, params: undefined }), params };
    this.checkGroup(group as ParamGroup<O>, where);
    this.paramGroups.push(group as ParamGroup<O>);
  }

  /**
   * Checks a group's resolved options; throws a `ValueError` naming the option. Called for every group,
   * so per-group options are checked as strictly as the defaults.
   */
  protected abstract checkGroup(group: ParamGroup<O>, where: string): void;

  /**
   * Performs one update of every parameter that has a gradient. With a closure, calls it first (with
   * gradients recorded) and returns its loss.
   */
  abstract step(closure?: LossClosure): number | undefined;

  /** Calls the closure with gradient recording on; its loss as a number. */
  protected evaluate(closure: LossClosure): number {
    const loss = enableGrad(closure);
    return loss instanceof Tensor ? loss.item() : loss;
  }

  /**
   * Clears the gradients of every parameter: drops them (`setToNone`, the default) or fills them with zeros.
   *
   * @example
   * opt.zeroGrad(); loss.backward(); opt.step();
   */
  zeroGrad({ setToNone = true }: ZeroGradOptions = {}): void {
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (setToNone) p.grad = null;
        else if (p.grad) fill_(p.grad, 0);
      }
    }
  }

  /**
   * The optimizer's state as plain, JSON-serializable data (see `OptimizerStateDict`): save it with the
   * model to resume training exactly.
   *
   * @example
   * fs.writeFileSync('opt.json', JSON.stringify(opt.stateDict()));
   */
  stateDict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((group) => {
      const options = serialize({ ...group, params: undefined }) as unknown as Record<string, SerializedValue>;
      delete options.params;
      const params = group.params.map((p) => {
        index.set(p, index.size);
        return index.size - 1;
      });
      return { ...options, params };
    });
    const state: OptimizerStateDict['state'] = {};
    for (const [p, s] of this.state) state[String(index.get(p))] = serialize(s) as unknown as Record<string, SerializedValue>;
    return { state, paramGroups };
  }

  /**
   * Restores state saved by `stateDict()` (possibly through `JSON.stringify`/`JSON.parse`) into an
   * optimizer over the same parameters, in the same order and grouping. Group options (including `lr` as
   * a schedule left it) are restored too.
   *
   * @example
   * opt.loadStateDict(JSON.parse(fs.readFileSync('opt.json', 'utf8')));
   */
  loadStateDict(stateDict: OptimizerStateDict): void {
    const saved = stateDict?.paramGroups;
    if (!Array.isArray(saved) || saved.length !== this.paramGroups.length) {
      throw new ValueError(
        this.name,
        `loadStateDict: the saved state has ${Array.isArray(saved) ? saved.length : 'no'} parameter groups, this optimizer has ${this.paramGroups.length}`,
      );
    }
    saved.forEach((g, i) => {
      if (g.params?.length !== this.paramGroups[i].params.length) {
        throw new ValueError(
          this.name,
          `loadStateDict: saved parameter group ${i} has ${g.params?.length} parameters, this optimizer's has ${this.paramGroups[i].params.length}`,
        );
      }
    });
    const flat = this.paramGroups.flatMap((g) => g.params);
    const state = new Map<Tensor, S>();
    for (const [key, value] of Object.entries(stateDict.state ?? {})) {
      const param = flat[Number(key)];
      if (!param) throw new ValueError(this.name, `loadStateDict: state for parameter ${key}, but there are ${flat.length} parameters`);
      state.set(param, this.restoreState(structuredClone(value), param));
    }
    saved.forEach((g, i) => {
      const { params: _ignored, ...options } = structuredClone(g);
      Object.assign(this.paramGroups[i], options);
    });
    this.state.clear();
    for (const [p, s] of state) this.state.set(p, s);
  }

  /**
   * Rebuilds one parameter's state from saved data. By default every number array becomes a tensor buffer of
   * the parameter's shape and dtype (the state `FusedOptimizer`s keep); optimizers whose state holds other
   * arrays override this.
   */
  protected restoreState(saved: Record<string, SerializedValue>, param: Tensor): S {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(saved)) {
      out[key] = Array.isArray(value) ? bufferLike(expectArray(this.name, key, value, param.size), param) : value;
    }
    return out as S;
  }
}

/** `values` as a tensor of `param`'s shape and dtype. */
function bufferLike(values: ArrayLike<number>, param: Tensor): Tensor {
  const data = param.dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values);
  return new Tensor(data, param.shape, param.dtype);
}
