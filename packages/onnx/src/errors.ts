/**
 * Thrown when a model cannot be exported: a layer without an export rule, a layer option ONNX cannot
 * express, or bad export options. The message names the layer, its path in the model, what was given
 * and what was expected.
 *
 * @example
 * try { exportOnnx(model, { inputShape: [1, 4] }); } catch (e) { if (e instanceof OnnxExportError) console.error(e.message); }
 */
export class OnnxExportError extends Error {
  constructor(where: string, message: string) {
    super(`${where}: ${message}`);
    this.name = 'OnnxExportError';
  }
}

/**
 * Thrown by `validateOnnxModel` (and so by `exportOnnx` before it writes anything) when the graph would
 * be rejected by an ONNX runtime. `problems` lists every problem found, one sentence each.
 *
 * @example
 * try { validateOnnxModel(model); } catch (e) { if (e instanceof OnnxValidationError) console.error(e.problems); }
 */
export class OnnxValidationError extends OnnxExportError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    const list = problems.map((p) => `\n  - ${p}`).join('');
    super('validateOnnxModel', `the ONNX model is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):${list}`);
    this.name = 'OnnxValidationError';
    this.problems = Object.freeze([...problems]);
  }
}
