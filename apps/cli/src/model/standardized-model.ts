import { Module, Sequential, type AnyModule, type LayerConfig } from '@backprop/layers';
import type { StandardizeJSON } from '@backprop/datasets';
import { tensor, type Tensor } from '@backprop/tensor';

/** The type name the ONNX rule below is registered under (no layer config can name it). */
export const STANDARDIZED_MODEL = 'BackpropCliStandardizedModel';

/**
 * A model file's model with the input standardization of its metadata in front: x·(1/σ) + (−μ/σ) per
 * feature, then the model. This is what `backprop predict` computes from raw samples, so an exported
 * graph takes the same inputs as `predict`. A Sequential's layers are registered under their own names
 * (`0`, `1`, …), so the exported weights keep their model-file names (`0.weight`); another model sits
 * under `model`.
 */
export class StandardizedModel extends Module {
  readonly scale: Tensor;
  readonly shift: Tensor;

  constructor(model: AnyModule, standardize: StandardizeJSON) {
    super();
    const shape = standardize.featureShape;
    this.scale = tensor(standardize.std.map((s) => 1 / s), 'float32').reshape(shape);
    this.shift = tensor(standardize.mean.map((m, j) => -m / standardize.std[j]), 'float32').reshape(shape);
    const layers = model instanceof Sequential ? model.namedChildren() : [['model', model] as const];
    for (const [name, layer] of layers) this.registerModule(name, layer);
  }

  forward(x: Tensor): Tensor {
    let value: unknown = x.mul(this.scale).add(this.shift);
    for (const layer of this.children()) value = layer.call(value);
    return value as Tensor;
  }

  override toConfig(): LayerConfig {
    return { type: STANDARDIZED_MODEL };
  }
}
