import { isGradEnabled, setGradEnabled, zeros } from '@backprop/tensor';
import type { AnyModule } from '@backprop/layers';
import { version as PRODUCER_VERSION } from '../package.json';
import { exportModule, layerTypeName, primaryOutput, type OnnxValue } from './context.js';
import { OnnxExportError } from './errors.js';
import { OnnxGraphBuilder } from './graph-builder.js';
import { OnnxDataType, type OnnxModelProto, type OnnxValueInfoProto } from './onnx-model.js';
import { irVersionFor, MAX_OPSET, MIN_OPSET } from './opset.js';
import { encodeOnnxModel } from './proto/codec.js';
import { validateOnnxModel } from './validate.js';

/** Options of `exportOnnx`, `saveOnnx` and `toOnnxModel`. */
export interface ExportOnnxOptions {
  /** Shape of one example input, batch first (e.g. `[1, 784]`); with `dynamicBatch` its batch size is only an example. */
  inputShape: readonly number[];
  /** ONNX opset to target, 13–21 (default 17). */
  opset?: number;
  /** Name of the graph input (default `'input'`). */
  inputName?: string;
  /** Name of the graph output (default `'output'`). */
  outputName?: string;
  /** Make the batch dimension of the input and output the symbol `'batch'` (default true), so any batch size runs. */
  dynamicBatch?: boolean;
  /** Element type of the input (default `'float32'`; `'int32'` for token indices read by an `Embedding`). */
  inputDtype?: 'float32' | 'int32';
  /** Stored as the model's `doc_string`. */
  docString?: string;
}

/** Batch-dependent output dimensions: those that change when the model runs on one more sample. */
function dynamicAxes(model: AnyModule, inputShape: readonly number[], dtype: 'float32' | 'int32', outShape: readonly number[]): Set<number> {
  const wasEnabled = isGradEnabled();
  setGradEnabled(false);
  try {
    const biggerShape = [inputShape[0] + 1, ...inputShape.slice(1)];
    let bigger: { shape: readonly number[] };
    try {
      bigger = primaryOutput(model.forward(zeros(biggerShape, { dtype }))) as { shape: readonly number[] };
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new OnnxExportError(
        'exportOnnx',
        `dynamicBatch: the model runs on inputShape [${inputShape.join(', ')}] but not on [${biggerShape.join(', ')}] (${why}); if dimension 0 is not a batch dimension (an unbatched input), pass dynamicBatch: false`,
      );
    }
    return new Set(outShape.map((d, axis) => (bigger.shape[axis] !== d ? axis : -1)).filter((axis) => axis >= 0));
  } finally {
    setGradEnabled(wasEnabled);
  }
}

function valueInfo(name: string, value: OnnxValue, dynamic: Set<number>): OnnxValueInfoProto {
  const elemType = value.dtype === 'int32' ? OnnxDataType.INT32 : OnnxDataType.FLOAT;
  const dim = value.shape.map((d, axis) => (dynamic.has(axis) ? { dimParam: 'batch' } : { dimValue: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

function checkOptions(options: ExportOnnxOptions): Required<Omit<ExportOnnxOptions, 'docString'>> {
  const { inputShape, opset = 17, inputName = 'input', outputName = 'output', dynamicBatch = true, inputDtype = 'float32' } = options ?? ({} as ExportOnnxOptions);
  if (!Array.isArray(inputShape) || inputShape.length === 0 || inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new OnnxExportError('exportOnnx', `inputShape must be a non-empty array of positive integers, batch first (e.g. [1, 784]), got ${JSON.stringify(inputShape)}`);
  }
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new OnnxExportError('exportOnnx', `opset must be an integer from ${MIN_OPSET} to ${MAX_OPSET}, got ${JSON.stringify(opset)}`);
  }
  for (const [field, name] of [['inputName', inputName], ['outputName', outputName]] as const) {
    if (typeof name !== 'string' || name === '') throw new OnnxExportError('exportOnnx', `${field} must be a non-empty string, got ${JSON.stringify(name)}`);
  }
  if (inputName === outputName) throw new OnnxExportError('exportOnnx', `inputName and outputName must differ, both are "${inputName}"`);
  if (inputDtype !== 'float32' && inputDtype !== 'int32') throw new OnnxExportError('exportOnnx', `inputDtype must be 'float32' or 'int32', got ${JSON.stringify(inputDtype)}`);
  return { inputShape, opset, inputName, outputName, dynamicBatch: Boolean(dynamicBatch), inputDtype };
}

/**
 * Builds the ONNX model of `model` in evaluation mode as plain objects, without validating or encoding
 * it: to inspect or post-process the graph before `validateOnnxModel` and `exportOnnx`'s encoding.
 * The model's training flags are restored afterwards.
 *
 * @example toOnnxModel(mlp, { inputShape: [1, 4] }).graph.node.length; // 3
 */
export function toOnnxModel(model: AnyModule, options: ExportOnnxOptions): OnnxModelProto {
  const { inputShape, opset, inputName, outputName, dynamicBatch, inputDtype } = checkOptions(options);
  const modes = model.modules().map((m) => [m, m.training] as const);
  model.eval();
  try {
    const graph = new OnnxGraphBuilder(opset);
    graph.uniqueName(inputName);
    graph.uniqueName(outputName);
    const input: OnnxValue = { name: inputName, shape: [...inputShape], dtype: inputDtype };
    const result = exportModule(model, '', input, graph);
    // The last value gets the requested name; a model that returns its input unchanged needs a node for that.
    const producer = graph.nodes.find((n) => n.output.includes(result.name));
    if (producer) {
      producer.output = producer.output.map((o) => (o === result.name ? outputName : o));
      for (const n of graph.nodes) n.input = n.input.map((i) => (i === result.name ? outputName : i));
    } else {
      graph.nodes.push({ name: 'output/Identity', opType: 'Identity', input: [result.name], output: [outputName], attribute: [] });
    }
    const batchAxes = dynamicBatch ? new Set([0]) : new Set<number>();
    const outputAxes = dynamicBatch ? dynamicAxes(model, inputShape, inputDtype, result.shape) : new Set<number>();
    return {
      irVersion: irVersionFor(opset),
      opsetImport: [{ domain: '', version: opset }],
      producerName: 'backprop',
      producerVersion: PRODUCER_VERSION,
      ...(options.docString ? { docString: options.docString } : {}),
      graph: {
        name: layerTypeName(model),
        node: graph.nodes,
        initializer: graph.initializers,
        input: [valueInfo(inputName, input, batchAxes)],
        output: [valueInfo(outputName, result, outputAxes)],
      },
    };
  } finally {
    for (const [m, training] of modes) m.training = training;
  }
}

/**
 * Exports `model` (in evaluation mode: dropout off, batch norm on running statistics) to the bytes of
 * an `.onnx` file: a ModelProto with the IR version of the opset, the opset import, producer
 * `backprop`, and a graph with a typed input and output (float32, batch dimension `'batch'` unless
 * `dynamicBatch: false`), the weights as initializers named by their `stateDict()` keys, and the nodes
 * written by each layer's export rule. The model is validated before any byte is returned.
 *
 * @example
 * const bytes = exportOnnx(mlp, { inputShape: [1, 4] });
 * const session = await ort.InferenceSession.create(bytes); // onnxruntime-node or onnxruntime-web
 */
export function exportOnnx(model: AnyModule, options: ExportOnnxOptions): Uint8Array {
  const onnx = toOnnxModel(model, options);
  validateOnnxModel(onnx);
  return encodeOnnxModel(onnx);
}
