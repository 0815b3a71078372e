import { ValueError } from '@backprop/tensor';
import { configOptions, type LayerConfig } from './config.js';
import { Module, type AnyModule } from './module.js';
import type { BuildContext } from './registry.js';

/**
 * Holds modules in a list, as PyTorch's `nn.ModuleList`: they are registered as children `'0'`, `'1'`, …
 * (so their parameters are the list's: `layers.0.weight`), but the list has no `forward` of its own:
 * iterate it in the owning module's forward.
 *
 * @example
 * const blocks = new ModuleList([new Linear(4, 4), new Linear(4, 4)]);
 * let x = zeros([2, 4]);
 * for (const block of blocks) x = (block as Linear).call(x).relu();
 * blocks.namedParameters().map(([n]) => n); // ['0.weight', '0.bias', '1.weight', '1.bias']
 */
export class ModuleList extends Module<[], never> implements Iterable<AnyModule> {
  constructor(modules: readonly AnyModule[] = []) {
    super();
    this.extend(modules);
  }

  /** Adds a module at the end (named by its position); returns this. */
  append(module: AnyModule): this {
    if (!(module instanceof Module)) throw new ValueError('ModuleList', `module ${this.length} must be a Module, got ${String(module)}`);
    this.registerModule(String(this.length), module);
    return this;
  }

  /** Appends every module of `modules`; returns this. */
  extend(modules: Iterable<AnyModule>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  /** Number of modules. */
  get length(): number {
    return this.children().length;
  }

  /** The module at `index` (negative counts from the end). */
  at(index: number): AnyModule {
    const all = this.children();
    const m = all[index < 0 ? all.length + index : index];
    if (!m) throw new ValueError('ModuleList.at', `index ${index} is out of range for ${all.length} modules`);
    return m;
  }

  [Symbol.iterator](): Iterator<AnyModule> {
    return this.children()[Symbol.iterator]();
  }

  /** A ModuleList is a container, not a layer: calling it is an error, as in PyTorch. */
  forward(): never {
    throw new ValueError('ModuleList', 'a ModuleList has no forward: iterate over its modules in the forward of the module that owns it');
  }

  override toConfig(): LayerConfig {
    return { type: 'ModuleList', modules: this.children().map((m) => m.toConfig()) };
  }

  static fromConfig(config: LayerConfig, context: BuildContext): ModuleList {
    const { modules } = configOptions('ModuleList', config, ['modules']);
    if (!Array.isArray(modules)) throw new ValueError('ModuleList', `modules must be an array of layer configs, got ${JSON.stringify(modules)}`);
    return new ModuleList(modules.map((c) => context.build(c as LayerConfig)));
  }
}

/**
 * Holds modules by name, as PyTorch's `nn.ModuleDict`: each is a child under its key (so parameters read
 * `encoder.weight`), in insertion order; like `ModuleList` it has no `forward`.
 *
 * @example
 * const heads = new ModuleDict({ classify: new Linear(8, 3), regress: new Linear(8, 1) });
 * (heads.get('classify') as Linear).call(zeros([2, 8])).shape; // [2, 3]
 */
export class ModuleDict extends Module<[], never> {
  constructor(modules: Record<string, AnyModule> = {}) {
    super();
    for (const [key, m] of Object.entries(modules)) this.set(key, m);
  }

  /** Adds or replaces the module under `key` (a non-empty name without '.'); returns this. */
  set(key: string, module: AnyModule): this {
    if (!(module instanceof Module)) throw new ValueError('ModuleDict', `module "${key}" must be a Module, got ${String(module)}`);
    this.registerModule(key, module);
    return this;
  }

  /** The module under `key`. */
  get(key: string): AnyModule {
    const m = this.namedChildren().find(([k]) => k === key);
    if (!m) throw new ValueError('ModuleDict.get', `no module "${key}"; keys: ${this.keys().join(', ') || 'none'}`);
    return m[1];
  }

  /** Whether a module is stored under `key`. */
  has(key: string): boolean {
    return this.namedChildren().some(([k]) => k === key);
  }

  /** The keys, in insertion order. */
  keys(): string[] {
    return this.namedChildren().map(([k]) => k);
  }

  /** `[key, module]` pairs, in insertion order. */
  entries(): [string, AnyModule][] {
    return this.namedChildren();
  }

  /** Number of modules. */
  get size(): number {
    return this.namedChildren().length;
  }

  /** A ModuleDict is a container, not a layer: calling it is an error, as in PyTorch. */
  forward(): never {
    throw new ValueError('ModuleDict', 'a ModuleDict has no forward: call its modules in the forward of the module that owns it');
  }

  override toConfig(): LayerConfig {
    return { type: 'ModuleDict', modules: Object.fromEntries(this.namedChildren().map(([k, m]) => [k, m.toConfig()])) };
  }

  static fromConfig(config: LayerConfig, context: BuildContext): ModuleDict {
    const { modules } = configOptions('ModuleDict', config, ['modules']);
    if (modules === null || typeof modules !== 'object' || Array.isArray(modules)) {
      throw new ValueError('ModuleDict', `modules must be an object of layer configs by name, got ${JSON.stringify(modules)}`);
    }
    return new ModuleDict(Object.fromEntries(Object.entries(modules).map(([k, c]) => [k, context.build(c as LayerConfig)])));
  }
}
