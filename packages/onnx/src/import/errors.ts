/**
 * Thrown when an ONNX file cannot be imported: a malformed file, an operator without an import rule, or
 * an attribute the rule cannot honour. The message names the node and its operator.
 *
 * @example
 * try { importOnnx(bytes); } catch (e) { if (e instanceof OnnxImportError) console.error(e.message); }
 */
export class OnnxImportError extends Error {
  constructor(where: string, message: string) {
    super(`${where}: ${message}`);
    this.name = 'OnnxImportError';
  }
}
