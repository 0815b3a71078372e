import type { Tensor } from '@backprop/tensor';
import { OnnxImportError } from './errors.js';
import { tensorFromProto, type DecodedTensor } from './tensors.js';

/** A node as decodeOnnx gives it. */
export interface DecodedNode {
  name?: string;
  opType: string;
  domain?: string;
  input?: string[];
  output?: string[];
  attribute?: { name: string; type?: number; f?: number; i?: number; s?: Uint8Array; t?: DecodedTensor; floats?: number[]; ints?: number[]; strings?: Uint8Array[] }[];
}

/** What an import rule gets besides its inputs: the node's attributes, read with defaults, and its name. */
export class ImportContext {
  readonly where: string;
  private readonly attrs: Map<string, NonNullable<DecodedNode['attribute']>[number]>;

  constructor(
    readonly node: DecodedNode,
    readonly opset: number,
  ) {
    this.where = `importOnnx: ${node.opType} node '${node.name || node.output?.[0] || '?'}'`;
    this.attrs = new Map((node.attribute ?? []).map((a) => [a.name, a]));
  }

  has(name: string): boolean {
    return this.attrs.has(name);
  }

  int(name: string, fallback: number): number {
    const a = this.attrs.get(name);
    return a?.i !== undefined ? Number(a.i) : fallback;
  }

  float(name: string, fallback: number): number {
    const a = this.attrs.get(name);
    return a?.f !== undefined ? a.f : fallback;
  }

  ints(name: string, fallback: number[] | null = null): number[] | null {
    const a = this.attrs.get(name);
    return a?.ints ? a.ints.map(Number) : fallback;
  }

  string(name: string, fallback: string): string {
    const a = this.attrs.get(name);
    return a?.s ? new TextDecoder().decode(a.s) : fallback;
  }

  tensor(name: string): Tensor | null {
    const a = this.attrs.get(name);
    return a?.t ? tensorFromProto(a.t, this.where) : null;
  }

  fail(message: string): never {
    throw new OnnxImportError(this.where, message);
  }
}
