import type { AnyModule } from '@backprop/layers';
import type { OnnxExportContext, OnnxValue } from './context.js';
import { OnnxExportError } from './errors.js';

/**
 * Writes the ONNX nodes for one layer: receives the layer and a context whose `input` is the value the
 * layer reads, appends nodes and initializers through the context, and returns the output value's name
 * (the exporter then works out its shape by running the layer) or an `OnnxValue` with the shape.
 */
export type OnnxExportRule = (module: AnyModule, ctx: OnnxExportContext) => string | OnnxValue;

const rules = new Map<string, OnnxExportRule>();

/**
 * Teaches `exportOnnx` a layer type: `typeName` is the `type` of the layer's `toConfig()` (its class name
 * for a module without a config). A plugin layer registers its rule next to its `registerLayer` call.
 * A name registers once; `{ replace: true }` overrides a built-in rule.
 *
 * @example
 * registerOnnxExporter('Scale', (layer, ctx) => {
 *   const factor = ctx.constant('factor', [(layer as Scale).factor], []);
 *   return ctx.node('Mul', [ctx.input.name, factor])[0];
 * });
 */
export function registerOnnxExporter(typeName: string, rule: OnnxExportRule, options: { replace?: boolean } = {}): void {
  if (typeof typeName !== 'string' || typeName === '') {
    throw new OnnxExportError('registerOnnxExporter', `typeName must be a non-empty string, got ${JSON.stringify(typeName)}`);
  }
  if (typeof rule !== 'function') throw new OnnxExportError('registerOnnxExporter', `the rule for "${typeName}" must be a function (layer, ctx) => output, got ${typeof rule}`);
  if (rules.has(typeName) && !options.replace) {
    throw new OnnxExportError('registerOnnxExporter', `an ONNX export rule for "${typeName}" is already registered; pass { replace: true } to override it`);
  }
  rules.set(typeName, rule);
}

/** The rule for `typeName`, if any. */
export function getOnnxExporter(typeName: string): OnnxExportRule | undefined {
  return rules.get(typeName);
}

/**
 * The layer types `exportOnnx` can export, sorted.
 * @example listOnnxExporters().includes('Linear'); // true
 */
export function listOnnxExporters(): string[] {
  return [...rules.keys()].sort();
}
