import { OnnxValidationError } from './errors.js';
import { OnnxDataType, type OnnxModelProto, type OnnxTensorProto, type OnnxValueInfoProto } from './onnx-model.js';
import { attributeProblem, MAX_OPSET, MIN_OPSET, opProblem } from './opset.js';

const BYTES_PER_ELEMENT: Record<number, number> = {
  [OnnxDataType.FLOAT]: 4,
  [OnnxDataType.INT32]: 4,
  [OnnxDataType.INT64]: 8,
  [OnnxDataType.BOOL]: 1,
  [OnnxDataType.DOUBLE]: 8,
};

/** Problems of one graph input or output: onnxruntime needs an element type, and we promise a full shape. */
function valueInfoProblems(kind: 'input' | 'output', info: OnnxValueInfoProto): string[] {
  const tensorType = info.type?.tensorType;
  if (!tensorType) return [`graph ${kind} "${info.name}" has no tensor type`];
  const problems: string[] = [];
  if (!tensorType.elemType) problems.push(`graph ${kind} "${info.name}" has no element type`);
  const dims = tensorType.shape?.dim;
  if (!dims) problems.push(`graph ${kind} "${info.name}" has no shape`);
  dims?.forEach((d, axis) => {
    const fixed = typeof d.dimValue === 'number' && d.dimValue > 0;
    const symbolic = typeof d.dimParam === 'string' && d.dimParam !== '';
    if (!fixed && !symbolic) problems.push(`graph ${kind} "${info.name}" dimension ${axis} is neither a positive size nor a named symbol`);
  });
  return problems;
}

/** Problems of one initializer: a known data type and exactly as many bytes as its dims need. */
function initializerProblems(tensor: OnnxTensorProto): string[] {
  const size = BYTES_PER_ELEMENT[tensor.dataType];
  if (size === undefined) return [`initializer "${tensor.name}" has unsupported data type ${tensor.dataType}`];
  if (tensor.dims.some((d) => !Number.isInteger(d) || d < 0)) return [`initializer "${tensor.name}" has invalid dims [${tensor.dims.join(', ')}]`];
  const expected = tensor.dims.reduce((a, b) => a * b, 1) * size;
  const actual = tensor.rawData?.length ?? 0;
  return actual === expected ? [] : [`initializer "${tensor.name}" holds ${actual} bytes; dims [${tensor.dims.join(', ')}] need ${expected}`];
}

/**
 * Checks a model as onnxruntime would before running it, and throws one `OnnxValidationError` listing
 * every problem: the IR version and the default-domain opset are declared (and the opset is one we
 * export to); every graph input and output has a tensor type and a full shape; initializer and node
 * output names are unique; every node input is produced by an earlier node, an initializer or a graph
 * input (so the nodes are in topological order); every graph output is produced; each op exists in the
 * declared opset and uses no attribute that opset turned into an input.
 *
 * `exportOnnx` calls it before returning bytes, so an exporter bug or a broken plugin rule surfaces as a
 * clear message instead of a runtime's load error.
 *
 * @example validateOnnxModel(toOnnxModel(model, { inputShape: [1, 4] })); // throws if broken
 */
export function validateOnnxModel(model: OnnxModelProto): void {
  const problems: string[] = [];
  if (!Number.isInteger(model.irVersion) || model.irVersion < 3) problems.push(`ir_version must be an integer ≥ 3, got ${model.irVersion}`);
  const onnxOpsets = (model.opsetImport ?? []).filter((o) => (o.domain ?? '') === '');
  const opset = onnxOpsets[0]?.version;
  if (onnxOpsets.length !== 1 || opset === undefined) {
    problems.push(`opset_import must declare the default ONNX domain exactly once, found ${onnxOpsets.length} declarations`);
  } else if (opset < MIN_OPSET || opset > MAX_OPSET) {
    problems.push(`opset ${opset} is outside the supported range ${MIN_OPSET}–${MAX_OPSET}`);
  }
  const graph = model.graph;
  if (!graph) throw new OnnxValidationError([...problems, 'the model has no graph']);

  const defined = new Map<string, string>();
  const define = (name: string, what: string): void => {
    const previous = defined.get(name);
    if (previous !== undefined) problems.push(`${what} "${name}" reuses a name already given to ${previous}`);
    else defined.set(name, what);
  };
  if ((graph.input ?? []).length === 0) problems.push('the graph has no input');
  if ((graph.output ?? []).length === 0) problems.push('the graph has no output');
  for (const input of graph.input ?? []) {
    problems.push(...valueInfoProblems('input', input));
    define(input.name, 'graph input');
  }
  for (const init of graph.initializer ?? []) {
    problems.push(...initializerProblems(init));
    define(init.name, 'initializer');
  }
  (graph.node ?? []).forEach((node, index) => {
    const label = `node ${index} "${node.name}" (${node.opType})`;
    if (opset !== undefined && (node.domain ?? '') === '') {
      const opIssue = opProblem(node.opType, opset);
      if (opIssue) problems.push(`${label}: ${opIssue}`);
      for (const a of node.attribute ?? []) {
        const attrIssue = attributeProblem(node.opType, a.name, opset);
        if (attrIssue) problems.push(`${label}: ${attrIssue}`);
      }
    }
    const attributeNames = (node.attribute ?? []).map((a) => a.name);
    const duplicate = attributeNames.find((n, i) => attributeNames.indexOf(n) !== i);
    if (duplicate !== undefined) problems.push(`${label}: attribute "${duplicate}" is given twice`);
    for (const input of node.input ?? []) {
      // '' marks an omitted optional input (LSTM's sequence_lens, Clip's min).
      if (input !== '' && !defined.has(input)) {
        problems.push(`${label}: input "${input}" is not produced by an earlier node, an initializer or a graph input`);
      }
    }
    for (const output of node.output ?? []) define(output, `the output of ${label}`);
  });
  for (const output of graph.output ?? []) {
    problems.push(...valueInfoProblems('output', output));
    if (!defined.has(output.name)) problems.push(`graph output "${output.name}" is not produced by any node, initializer or input`);
  }
  if (problems.length > 0) throw new OnnxValidationError(problems);
}
