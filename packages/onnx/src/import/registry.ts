import { BASIC_RULES, type OnnxImportRule } from './rules-basic.js';
import { NN_RULES } from './rules-nn.js';
import { RECURRENT_RULES } from './rules-recurrent.js';

const rules = new Map<string, OnnxImportRule>(Object.entries({ ...BASIC_RULES, ...NN_RULES, ...RECURRENT_RULES }));

/**
 * Supplies (or replaces) the import rule of an ONNX operator, for operators this package does not know or
 * custom-domain ones (key them `domain:OpType`). The rule gets the node's inputs as tensors and an
 * `ImportContext` for its attributes, and returns its output(s), built from tensor ops so they train.
 *
 * @example
 * registerOnnxImporter('HardSwish', ([x]) => x!.mul(x!.add(3).clamp(0, 6)).div(6));
 */
export function registerOnnxImporter(opType: string, rule: OnnxImportRule): void {
  rules.set(opType, rule);
}

export function importRule(opType: string, domain = ''): OnnxImportRule | undefined {
  return domain && domain !== 'ai.onnx' ? rules.get(`${domain}:${opType}`) : rules.get(opType);
}

/** The ONNX operators `importOnnx` can read, sorted. */
export function listOnnxImporters(): string[] {
  return [...rules.keys()].sort();
}
