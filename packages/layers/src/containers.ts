import { ShapeError, Tensor, ValueError, fmtShape } from '@backprop/tensor';
import { configOptions, type LayerConfig } from './config.js';
import { Module } from './module.js';
import type { BuildContext } from './registry.js';
import { LastTimeStep } from './last-time-step.js';
import { RecurrentBase } from './recurrent/rnn-base.js';

/**
 * Runs its layers one after another, as PyTorch's `nn.Sequential`. The layers are children named
 * `'0'`, `'1'`, …, so parameter names read `0.weight`, `2.bias`, exactly as in PyTorch.
 *
 * @example
 * const mlp = new Sequential(new Linear(2, 4), new Tanh(), new Linear(4, 1));
 * mlp.call(zeros([8, 2])).shape;             // [8, 1]
 * mlp.namedParameters().map(([n]) => n);      // ['0.weight', '0.bias', '2.weight', '2.bias']
 */
export class Sequential extends Module {
  // The next layer's name. Counting here keeps append O(1): deriving it from children() made building n
  // layers take O(n²) time (20,000 layers from a config took 18 s).
  private appended = 0;

  constructor(...layers: Module[]) {
    super();
    for (const layer of layers) this.append(layer);
  }

  /** Adds a layer at the end (named by its position); returns this. */
  append(layer: Module): this {
    if (!(layer instanceof Module)) throw new ValueError('Sequential', `layer ${this.appended} must be a Module, got ${String(layer)}`);
    const previous = this.appended > 0 ? this.getSubmodule(String(this.appended - 1)) : null;
    // A LastTimeStep reads the layout the recurrent layer before it writes.
    if (layer instanceof LastTimeStep && previous instanceof RecurrentBase) layer.followRecurrent(previous.constructor.name, previous.batchFirst);
    this.registerModule(String(this.appended), layer);
    this.appended++;
    return this;
  }

  /** Number of layers. */
  get length(): number {
    return this.children().length;
  }

  /** The layer at `index` (negative counts from the end). */
  at(index: number): Module {
    const layers = this.children();
    const layer = layers[index < 0 ? layers.length + index : index];
    if (!layer) throw new ValueError('Sequential.at', `index ${index} is out of range for ${layers.length} layers`);
    return layer as Module;
  }

  forward(x: Tensor): Tensor {
    const layers = this.children();
    layers.forEach((layer, i) => {
      // Only a LastTimeStep or another recurrent layer reads what is not a tensor (a recurrent layer's [output, state], a PackedSequence).
      if (i > 0 && !(x instanceof Tensor) && !(layer instanceof LastTimeStep) && !(layer instanceof RecurrentBase)) {
        const what = Array.isArray(x) ? '[output, state]' : ((x as object | null)?.constructor?.name ?? String(x));
        throw new ValueError(
          'Sequential',
          `layer ${i - 1} (${layers[i - 1].constructor.name}) returns ${what}, which layer ${i} (${layer.constructor.name}) cannot read: ` +
            'build the recurrent layer with outputOnly: true to pass its whole output sequence on, or put a LastTimeStep after it to keep the last step',
        );
      }
      x = (layer as Module).call(x);
    });
    return x;
  }

  override toConfig(): LayerConfig {
    return { type: 'Sequential', layers: this.children().map((layer) => layer.toConfig()) };
  }

  static fromConfig(config: LayerConfig, context: BuildContext): Sequential {
    const { layers } = configOptions('Sequential', config, ['layers']);
    if (!Array.isArray(layers)) throw new ValueError('Sequential', `layers must be an array of layer configs, got ${JSON.stringify(layers)}`);
    // A loop, not a spread: spreading tens of thousands of layers into the constructor's arguments can overflow the stack.
    const sequential = new Sequential();
    for (const c of layers) sequential.append(context.build(c as LayerConfig) as Module);
    return sequential;
  }
}

/**
 * A residual (skip) connection: y = f(x) + x, where f is the wrapped `module` (registered as child
 * `module`, so its parameters read `module.weight`, …). f must keep the shape of its input.
 *
 * @example
 * const block = new Residual(new Sequential(new Linear(8, 8), new ReLU()));
 * block.call(zeros([4, 8])).shape; // [4, 8]
 */
export class Residual extends Module {
  constructor(module: Module) {
    super();
    if (!(module instanceof Module)) throw new ValueError('Residual', `module must be a Module, got ${String(module)}`);
    this.registerModule('module', module);
  }

  /** The wrapped f. */
  get module(): Module {
    return this.getSubmodule('module') as Module;
  }

  forward(x: Tensor): Tensor {
    const fx = this.module.call(x);
    if (fx.shape.length !== x.shape.length || fx.shape.some((d, i) => d !== x.shape[i])) {
      throw new ShapeError('Residual', `the wrapped ${this.module.constructor.name} maps shape ${fmtShape(x.shape)} to ${fmtShape(fx.shape)}; f(x) + x needs them equal`);
    }
    return fx.add(x);
  }

  override toConfig(): LayerConfig {
    return { type: 'Residual', module: this.module.toConfig() };
  }

  static fromConfig(config: LayerConfig, context: BuildContext): Residual {
    const { module } = configOptions('Residual', config, ['module']);
    if (module === null || typeof module !== 'object' || Array.isArray(module)) {
      throw new ValueError('Residual', `module must be a layer config, got ${JSON.stringify(module)}`);
    }
    return new Residual(context.build(module as LayerConfig) as Module);
  }
}
