// The PyTorch golden cases of one forward and backward pass through a layer (packages/layers/test/fixtures:
// mlp.json and conv.json, written by tooling/fixtures/layers/gen_*.py): each layer is rebuilt from its
// config with torch's state_dict loaded, then run with webgpu active on an input in a GPU buffer; output,
// input gradient and every parameter gradient are read with `await t.read()`. The cases are float64 and
// run in float32 (the config's dtype, the weights and the input), at `FLOAT32` tolerances.
import '@backprop/autograd';
import { layerFromConfig, type LayerConfig } from '@backprop/layers';
import type { Tensor } from '@backprop/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeGpu, decodeHost, expectGolden, onWebGpu, readFixture } from './golden.js';
import type { PassCase } from '../../layers/test/helpers.js';
import { startWebGpu } from './helpers.js';


/** The config with every float64 dtype option asking for float32. */

const float32Config = (config: unknown): unknown =>
  Array.isArray(config)
    ? config.map(float32Config)
    : typeof config === 'object' && config !== null
      ? Object.fromEntries(Object.entries(config).map(([k, v]) => [k, k === 'dtype' && v === 'float64' ? 'float32' : float32Config(v)]))
      : config;

// The fixtures' own tolerance is the float64 default of the layers' golden tests; float results widen it.
const TOLERANCE = { rtol: 1e-10, atol: 1e-12 };

beforeAll(startWebGpu);

for (const file of ['mlp.json', 'conv.json']) {
  describe(`layers of ${file} match PyTorch on webgpu`, () => {
    for (const c of readFixture<PassCase>(`../../layers/test/fixtures/${file}`).cases) {
      it(c.name, async () => {
        const x = decodeGpu(c.input).requiresGrad_();
        const gradOutput = decodeGpu(c.gradOutput);
        const { model, y } = onWebGpu(() => {
          const layer = layerFromConfig(float32Config(c.config) as LayerConfig);
          const state = Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, decodeHost(v)]));
          expect(layer.loadStateDict(state)).toEqual({ missingKeys: [], unexpectedKeys: [] });
          const out = layer.call(x) as Tensor;
          out.backward(gradOutput);
          return { model: layer, y: out };
        });
        await expectGolden(y, c.output, TOLERANCE, 'output');
        await expectGolden(x.grad!, c.inputGrad, TOLERANCE, 'input gradient');
        const params = new Map(model.namedParameters());
        expect([...params.keys()].sort()).toEqual(Object.keys(c.paramGrads).sort());
        for (const [name, g] of Object.entries(c.paramGrads)) await expectGolden(params.get(name)!.grad!, g, TOLERANCE, `gradient of ${name}`);
      });
    }
  });
}
