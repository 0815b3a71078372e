import { decodeOnnx } from '../proto/codec.js';
import type { DecodedNode } from './context.js';
import { OnnxImportError } from './errors.js';
import { OnnxModule } from './onnx-module.js';
import { importRule } from './registry.js';
import { tensorFromProto, type DecodedTensor } from './tensors.js';

/** Options of `importOnnx`. */
export interface ImportOnnxOptions {
  /** Keep float initializers fixed (not trainable), e.g. for inference only. Default false. */
  frozen?: boolean;
}

/**
 * Turns an ONNX model (bytes of a `.onnx` file, from torch.onnx.export, tf2onnx or backprop's own
 * exporter) into a runnable, trainable backprop module (see `OnnxModule`). Every node's operator is
 * checked first: an operator without an import rule is one error naming it and its node (supply a rule
 * with `registerOnnxImporter`).
 *
 * @example
 * const model = importOnnx(new Uint8Array(readFileSync('resnet.onnx')));
 * const logits = model.call(images) as Tensor;
 */
export function importOnnx(bytes: Uint8Array, options: ImportOnnxOptions = {}): OnnxModule {
  let model: ReturnType<typeof decodeOnnx>;
  try {
    model = decodeOnnx(bytes);
  } catch (e) {
    throw new OnnxImportError('importOnnx', `not a readable ONNX model (${(e as Error).message})`);
  }
  const graph = model.graph;
  if (!graph) throw new OnnxImportError('importOnnx', 'the model has no graph');
  const opset = model.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? 1;
  const nodes = (graph.node ?? []) as unknown as DecodedNode[];
  const unknown = nodes.filter((n) => !importRule(n.opType, n.domain));
  if (unknown.length > 0) {
    const first = unknown[0];
    const others = [...new Set(unknown.map((n) => n.opType))];
    throw new OnnxImportError(
      `importOnnx: ${first.opType} node '${first.name || first.output?.[0] || '?'}'`,
      `operator '${first.domain ? `${first.domain}:` : ''}${first.opType}' has no import rule` +
        (others.length > 1 ? ` (nor do ${others.slice(1).join(', ')})` : '') +
        '; supply one with registerOnnxImporter',
    );
  }
  const parameters = new Map();
  const constants = new Map();
  for (const init of (graph.initializer ?? []) as unknown as DecodedTensor[]) {
    const t = tensorFromProto(init, `importOnnx: initializer '${init.name}'`);
    if (!options.frozen && (t.dtype === 'float32' || t.dtype === 'float64')) parameters.set(init.name!, t);
    else constants.set(init.name!, t);
  }
  const initializerNames = new Set([...parameters.keys(), ...constants.keys()]);
  // Graph inputs that are also initializers (older exporters list weights as inputs) are not inputs.
  const inputs = (graph.input ?? []).map((i) => i.name).filter((name) => !initializerNames.has(name));
  const outputs = (graph.output ?? []).map((o) => o.name);
  return new OnnxModule({ nodes, opset, inputs, outputs, parameters, constants });
}
