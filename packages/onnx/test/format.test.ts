import { describe, expect, it } from 'vitest';
import { Generator } from '@backprop/tensor';
import { Linear, ReLU, Sequential } from '@backprop/layers';
import { OnnxDataType, OnnxExportError, decodeOnnx, exportOnnx, toOnnxModel } from '../src/index.js';
import packageJson from '../package.json';
import { createSession } from './helpers.js';

const model = () => new Sequential(new Linear(4, 3, { generator: new Generator(0) }), new ReLU(), new Linear(3, 2, { generator: new Generator(1) }));

describe('the .onnx file', () => {
  it('declares IR version, opset, producer, typed input/output with a dynamic batch, and named initializers', () => {
    const m = model();
    const onnx = decodeOnnx(exportOnnx(m, { inputShape: [1, 4], docString: 'tiny' }));
    expect(onnx.irVersion).toBe(8);
    expect(onnx.opsetImport).toEqual([{ domain: '', version: 17 }]);
    expect(onnx.producerName).toBe('backprop');
    expect(onnx.producerVersion).toBe(packageJson.version);
    expect(onnx.docString).toBe('tiny');
    const { graph } = onnx;
    expect(graph.name).toBe('Sequential');
    const float = OnnxDataType.FLOAT;
    expect(graph.input).toEqual([{ name: 'input', type: { tensorType: { elemType: float, shape: { dim: [{ dimParam: 'batch' }, { dimValue: 4 }] } } } }]);
    expect(graph.output).toEqual([{ name: 'output', type: { tensorType: { elemType: float, shape: { dim: [{ dimParam: 'batch' }, { dimValue: 2 }] } } } }]);
    expect(graph.initializer.map((t) => [t.name, t.dims])).toEqual([...m.stateDict()].map(([k, t]) => [k, t.shape]));
    const weight = graph.initializer[0];
    expect(new Float32Array(new Uint8Array(weight.rawData).buffer)).toEqual(m.stateDict().get('0.weight')!.dataSync());
    expect(graph.node.map((n) => n.name)).toEqual(['0/Gemm', '1/Relu', '2/Gemm']);
    expect(graph.node[2].output).toEqual(['output']);
  });

  it('uses the IR version that goes with the opset', () => {
    expect(decodeOnnx(exportOnnx(model(), { inputShape: [1, 4], opset: 13 })).irVersion).toBe(7);
    expect(decodeOnnx(exportOnnx(model(), { inputShape: [1, 4], opset: 21 })).irVersion).toBe(10);
  });

  it('fixes every dimension with dynamicBatch: false, and onnxruntime then rejects another batch size', async () => {
    const bytes = exportOnnx(model(), { inputShape: [3, 4], dynamicBatch: false, inputName: 'x', outputName: 'y' });
    const { graph } = decodeOnnx(bytes);
    expect(graph.input[0].name).toBe('x');
    expect(graph.input[0].type!.tensorType!.shape!.dim).toEqual([{ dimValue: 3 }, { dimValue: 4 }]);
    expect(graph.output[0].type!.tensorType!.shape!.dim).toEqual([{ dimValue: 3 }, { dimValue: 2 }]);
    const session = await createSession(bytes);
    const { Tensor } = await import('onnxruntime-node');
    await expect(session.run({ x: new Tensor('float32', new Float32Array(8), [2, 4]) })).rejects.toThrow(/dimension|shape/i);
    expect((await session.run({ x: new Tensor('float32', new Float32Array(12), [3, 4]) })).y.dims).toEqual([3, 2]);
  });

  it('exports in eval mode and leaves the training flags as they were', () => {
    const m = model();
    m.train();
    (m.at(1) as ReLU).training = false;
    toOnnxModel(m, { inputShape: [1, 4] });
    expect(m.modules().map((x) => x.training)).toEqual([true, true, false, true]);
  });

  it('names the output even when the model returns its input', () => {
    const { graph } = toOnnxModel(new Sequential(), { inputShape: [2, 3] });
    expect(graph.node).toEqual([{ name: 'output/Identity', opType: 'Identity', input: ['input'], output: ['output'], attribute: [] }]);
  });

  it.each([
    [{ inputShape: [] }, /inputShape must be a non-empty array of positive integers/],
    [{ inputShape: [0, 4] }, /inputShape must be .* got \[0,4\]/],
    [{ inputShape: [1, 4], opset: 12 }, /opset must be an integer from 13 to 21, got 12/],
    [{ inputShape: [1, 4], inputName: 'same', outputName: 'same' }, /inputName and outputName must differ/],
    [{ inputShape: [1, 4], inputDtype: 'float16' }, /inputDtype must be 'float32' or 'int32', got "float16"/],
  ])('rejects bad options %j', (options, message) => {
    expect(() => exportOnnx(model(), options as never)).toThrow(OnnxExportError);
    expect(() => exportOnnx(model(), options as never)).toThrow(message);
  });

  it('reports a shape the model cannot take with the layer error', () => {
    expect(() => exportOnnx(model(), { inputShape: [1, 5] })).toThrow(/linear/);
  });
});
