import { describe, expect, it } from 'vitest';
import { Generator, tensor } from '@backprop/tensor';
import { Linear, Module, ReLU, Sequential } from '@backprop/layers';
import type { Tensor } from '@backprop/tensor';
import { OnnxValidationError, attr, exportOnnx, registerOnnxExporter, registerOnnxOp, toOnnxModel, validateOnnxModel, type OnnxModelProto } from '../src/index.js';
import { encodeOnnxModel } from '../src/proto/codec.js';
import { createSession } from './helpers.js';

const mlp = () => new Sequential(new Linear(4, 3, { generator: new Generator(0) }), new ReLU(), new Linear(3, 2, { generator: new Generator(1) }));
const build = (opset = 17): OnnxModelProto => toOnnxModel(mlp(), { inputShape: [1, 4], opset });

/** Validation fails with exactly these problems. */
function expectInvalid(model: OnnxModelProto, problems: (string | RegExp)[]): void {
  let error: unknown;
  try {
    validateOnnxModel(model);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(OnnxValidationError);
  const found = (error as OnnxValidationError).problems;
  expect(found.length, found.join('\n')).toBe(problems.length);
  problems.forEach((p, i) => expect(found[i]).toMatch(p));
}

/** Validation fails with exactly these problems, and onnxruntime refuses the same file. */
async function expectRejectedByBoth(model: OnnxModelProto, problems: (string | RegExp)[]): Promise<void> {
  expectInvalid(model, problems);
  await expect(createSession(encodeOnnxModel(model))).rejects.toThrow();
}

describe('validation before writing', () => {
  it('accepts what the exporter builds', () => {
    expect(() => validateOnnxModel(build())).not.toThrow();
  });

  it('catches a dangling node input (onnxruntime rejects it too)', async () => {
    const model = build();
    model.graph.node[1].input = ['0/Gemm:missing'];
    await expectRejectedByBoth(model, ['node 1 "1/Relu" (Relu): input "0/Gemm:missing" is not produced by an earlier node, an initializer or a graph input']);
  });

  // The ONNX IR requires nodes in topological order (onnx.checker rejects others); onnxruntime happens to
  // sort them itself, but other runtimes do not, so this one is ours alone.
  it('catches nodes out of topological order', () => {
    const model = build();
    model.graph.node.reverse();
    expectInvalid(model, [/node 0 "2\/Gemm" \(Gemm\): input "1\/Relu:out" is not produced/, /node 1 "1\/Relu" \(Relu\): input "0\/Gemm:out" is not produced/]);
  });

  it('catches an op that the declared opset lacks, and an attribute an opset turned into an input', async () => {
    const model = build(17);
    model.graph.node[1].opType = 'Gelu';
    await expectRejectedByBoth(model, ['node 1 "1/Relu" (Gelu): op "Gelu" needs opset 20 or later, but the model declares opset 17']);
    const reduce = build(18);
    reduce.graph.node.push({ name: 'r', opType: 'ReduceMax', input: ['output'], output: ['reduced'], attribute: [{ name: 'axes', ...attr.ints([1]) }] });
    reduce.graph.output[0].name = 'reduced';
    await expectRejectedByBoth(reduce, ['node 3 "r" (ReduceMax): attribute "axes" of ReduceMax was replaced by an input in opset 18; the model declares opset 18']);
  });

  it('catches duplicate initializer names, an unknown op and a missing opset', async () => {
    const model = build();
    model.graph.initializer[1].name = '0.weight';
    await expectRejectedByBoth(model, [
      'initializer "0.weight" reuses a name already given to initializer',
      'node 0 "0/Gemm" (Gemm): input "0.bias" is not produced by an earlier node, an initializer or a graph input',
    ]);
    const unknown = build();
    unknown.graph.node[1].opType = 'Rectify';
    await expectRejectedByBoth(unknown, [/op "Rectify" is not a known ONNX op/]);
    const noOpset = build();
    noOpset.opsetImport = [];
    await expectRejectedByBoth(noOpset, ['opset_import must declare the default ONNX domain exactly once, found 0 declarations']);
  });

  it('catches an untyped or unshaped graph input and an output nothing produces', async () => {
    const untyped = build();
    delete untyped.graph.input[0].type;
    await expectRejectedByBoth(untyped, ['graph input "input" has no tensor type']);
    const unproduced = build();
    unproduced.graph.output[0].name = 'logits';
    await expectRejectedByBoth(unproduced, ['graph output "logits" is not produced by any node, initializer or input']);
    const unshaped = build();
    delete unshaped.graph.input[0].type!.tensorType!.shape;
    expect(() => validateOnnxModel(unshaped)).toThrow('graph input "input" has no shape');
  });

  it('catches an initializer whose bytes do not fit its dims', async () => {
    const model = build();
    model.graph.initializer[0].dims = [3, 5];
    await expectRejectedByBoth(model, ['initializer "0.weight" holds 48 bytes; dims [3, 5] need 60']);
  });

  it('stops exportOnnx when a plugin rule writes a broken graph, listing every problem', () => {
    class Broken extends Module {
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    registerOnnxExporter('Broken', (_l, ctx) => ctx.node('Add', [ctx.input.name, 'nowhere'])[0]);
    expect(() => exportOnnx(new Broken(), { inputShape: [1, 2] })).toThrow(
      'validateOnnxModel: the ONNX model is invalid (1 problem):\n  - node 0 "Add" (Add): input "nowhere" is not produced by an earlier node, an initializer or a graph input',
    );
  });

  it('accepts a plugin op once it is declared with registerOnnxOp', () => {
    class Celu extends Module {
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    registerOnnxExporter('Celu', (_l, ctx) => ctx.node('Celu', [ctx.input.name], { alpha: attr.float(1) })[0]);
    expect(() => exportOnnx(new Celu(), { inputShape: [1, 2] })).toThrow(/op "Celu" is not a known ONNX op \(declare a plugin's op with registerOnnxOp\)/);
    registerOnnxOp('Celu', 12);
    expect(exportOnnx(new Celu(), { inputShape: [1, 2] })).toBeInstanceOf(Uint8Array);
    void tensor;
  });
});
