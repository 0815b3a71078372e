import { describe, expect, it } from 'vitest';
import { Generator, arange, type Tensor } from '@backprop/tensor';
import { Linear, Module, Residual, Sequential, listLayers, registerLayer, type LayerConfig } from '@backprop/layers';
import { OnnxExportError, exportOnnx, listOnnxExporters, registerOnnxExporter } from '../src/index.js';
import { expectOrtMatches } from './helpers.js';

/** A plugin layer: y = factor·x + shift, with a learned shift. */
class ScaleShift extends Module {
  constructor(readonly factor: number, features: number) {
    super();
    this.registerParameter('shift', arange(features).div(10));
  }
  forward(x: Tensor): Tensor {
    return x.mul(this.factor).add(this.getParameter('shift')!);
  }
  override toConfig(): LayerConfig {
    return { type: 'ScaleShift', factor: this.factor, features: this.getParameter('shift')!.shape[0] };
  }
}
registerLayer('ScaleShift', (c) => new ScaleShift(c.factor as number, c.features as number));

/** A module without a config: rules for it are keyed by its class name. */
class Doubler extends Module {
  forward(x: Tensor): Tensor {
    return x.add(x);
  }
}

/** A layer nobody wrote a rule for. */
class Mystery extends Module {
  forward(x: Tensor): Tensor {
    return x.abs();
  }
  override toConfig(): LayerConfig {
    return { type: 'Mystery' };
  }
}

describe('the export rule registry', () => {
  it('lists a rule for every built-in layer of @backprop/layers', () => {
    const builtins = listLayers().filter((name) => name !== 'ScaleShift'); // the plugin layer below registers its rule in a later test
    expect(builtins.filter((name) => !listOnnxExporters().includes(name))).toEqual([]);
    for (const name of ['Sequential', 'Residual', 'Linear', 'Maxout', 'Sigmoid', 'Tanh', 'HardTanh', 'ReLU', 'LeakyReLU', 'ELU', 'GELU', 'Softplus', 'Softmax', 'LogSoftmax', 'Flatten', 'Reshape', 'Identity',
      'Conv1d', 'Conv2d', 'ConvTranspose2d', 'MaxPool1d', 'MaxPool2d', 'AvgPool2d', 'AdaptiveAvgPool2d', 'Upsample', 'BatchNorm1d', 'BatchNorm2d', 'LayerNorm',
      'Dropout', 'Embedding', 'RNN', 'LSTM', 'GRU']) {
      expect(listOnnxExporters()).toContain(name);
    }
  });

  it('names the layer type and its path when a layer has no rule, and says how to add one', () => {
    const model = new Sequential(new Linear(3, 3), new Residual(new Sequential(new Linear(3, 3), new Mystery())));
    expect(() => exportOnnx(model, { inputShape: [1, 3] })).toThrow(OnnxExportError);
    expect(() => exportOnnx(model, { inputShape: [1, 3] })).toThrow(
      `exportOnnx: no ONNX export rule for layer type "Mystery" (at "1.module.1" in the model); register one with registerOnnxExporter('Mystery', (layer, ctx) => …)`,
    );
    expect(() => exportOnnx(new Mystery(), { inputShape: [1, 3] })).toThrow(/"Mystery" \(at the model itself\)/);
  });

  it('exports a plugin layer with its own rule, parameters named by path', async () => {
    registerOnnxExporter('ScaleShift', (layer, ctx) => {
      const l = layer as ScaleShift;
      const [scaled] = ctx.node('Mul', [ctx.input.name, ctx.constant('factor', [l.factor], [])]);
      return ctx.node('Add', [scaled, ctx.param('shift', l.getParameter('shift')!)])[0];
    });
    registerOnnxExporter('Doubler', (_layer, ctx) => ctx.node('Add', [ctx.input.name, ctx.input.name])[0]);
    const model = new Sequential(new Linear(4, 5, { generator: new Generator(0) }), new ScaleShift(-1.5, 5), new Doubler());
    await expectOrtMatches(model, { inputShape: [2, 4] });
  });

  it('refuses to register a name twice unless asked to replace it, and checks its arguments', () => {
    const rule = () => 'x';
    registerOnnxExporter('Twice', rule);
    expect(() => registerOnnxExporter('Twice', rule)).toThrow(/an ONNX export rule for "Twice" is already registered; pass \{ replace: true \}/);
    expect(() => registerOnnxExporter('Twice', rule, { replace: true })).not.toThrow();
    expect(() => registerOnnxExporter('', rule)).toThrow(/typeName must be a non-empty string/);
    expect(() => registerOnnxExporter('Bad', 'rule' as never)).toThrow(/the rule for "Bad" must be a function/);
  });

  it('the comparison catches a wrong rule (so the layer tests can fail)', async () => {
    class Negate extends Module {
      forward(x: Tensor): Tensor {
        return x.neg();
      }
    }
    registerOnnxExporter('Negate', (_layer, ctx) => ctx.node('Abs', [ctx.input.name])[0]);
    await expect(expectOrtMatches(new Negate(), { inputShape: [2, 3] })).rejects.toThrow(/onnxruntime gives .*, backprop/);
  });
});
