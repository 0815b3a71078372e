import { Tensor } from '@backprop/tensor';
import { Module } from '@backprop/layers';
import { ImportContext, type DecodedNode } from './context.js';
import { OnnxImportError } from './errors.js';
import { importRule } from './registry.js';

/** A module that only holds parameters: one level of an imported model's dotted parameter names. */
class ParameterGroup extends Module<[], never> {
  forward(): never {
    throw new OnnxImportError('importOnnx', 'a parameter group of an imported model is not callable; call the model itself');
  }
}

/** How the graph's values are produced, and where its parameters live. */
export interface OnnxProgram {
  readonly nodes: readonly DecodedNode[];
  readonly opset: number;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** Float initializers: trainable parameters, under their ONNX names. */
  readonly parameters: ReadonlyMap<string, Tensor>;
  /** Other initializers (shapes, indices): constants. */
  readonly constants: ReadonlyMap<string, Tensor>;
}

/**
 * An ONNX graph as a backprop module: `call(...inputs)` runs its nodes with tensor ops, so it is
 * differentiable, and its float initializers are parameters (`parameters()`, `stateDict()` under their
 * ONNX names, which torch.onnx.export takes from the PyTorch state_dict: `fc1.weight`). A graph with one
 * output returns a tensor, with several an array. Batch normalization runs in its inference form.
 *
 * @example
 * const model = importOnnx(readFileSync('model.onnx'));
 * const y = model.call(x);
 */
export class OnnxModule extends Module<Tensor[], Tensor | Tensor[]> {
  private readonly program: OnnxProgram;
  private readonly paramRefs = new Map<string, [Module<never[], unknown>, string]>();

  constructor(program: OnnxProgram) {
    super();
    this.program = program;
    for (const [name, value] of program.parameters) {
      const parts = name.split('.');
      let owner: Module<never[], unknown> = this as unknown as Module<never[], unknown>;
      for (const part of parts.slice(0, -1)) {
        const existing = owner.namedChildren().find(([n]) => n === part)?.[1];
        owner = (existing ?? owner.registerModule(part, new ParameterGroup())) as unknown as Module<never[], unknown>;
      }
      owner.registerParameter(parts.at(-1)!, value.requiresGrad_());
      this.paramRefs.set(name, [owner, parts.at(-1)!]);
    }
  }

  /** The graph's input names, in the order `call` takes them. */
  get inputNames(): readonly string[] {
    return this.program.inputs;
  }

  get outputNames(): readonly string[] {
    return this.program.outputs;
  }

  forward(...inputs: Tensor[]): Tensor | Tensor[] {
    const { nodes, opset } = this.program;
    if (inputs.length !== this.program.inputs.length) {
      throw new OnnxImportError('OnnxModule', `the graph takes ${this.program.inputs.length} input(s) (${this.program.inputs.join(', ')}), got ${inputs.length}`);
    }
    const values = new Map<string, Tensor | null>(this.program.constants);
    for (const [name, [owner, key]] of this.paramRefs) values.set(name, owner.getParameter(key)!);
    this.program.inputs.forEach((name, i) => values.set(name, inputs[i]));
    for (const node of nodes) {
      const rule = importRule(node.opType, node.domain)!;
      const ctx = new ImportContext(node, opset);
      const args = (node.input ?? []).map((name) => {
        if (name === '') return null;
        const v = values.get(name);
        if (v === undefined) throw new OnnxImportError(ctx.where, `input '${name}' is not produced by any earlier node, initializer or graph input`);
        return v;
      });
      const result = rule(args, ctx);
      const outs = Array.isArray(result) ? result : [result];
      (node.output ?? []).forEach((name, k) => {
        if (name !== '') values.set(name, outs[k] ?? null);
      });
    }
    const outputs = this.program.outputs.map((name) => values.get(name) ?? null);
    if (outputs.some((o) => o === null)) throw new OnnxImportError('OnnxModule', `graph output(s) ${this.program.outputs.filter((_, i) => !outputs[i]).join(', ')} were never computed`);
    return outputs.length === 1 ? outputs[0]! : (outputs as Tensor[]);
  }
}
