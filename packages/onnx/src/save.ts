import { writeFileAtomic } from '@backprop/io';
import type { AnyModule } from '@backprop/layers';
import { exportOnnx, type ExportOnnxOptions } from './export.js';

/**
 * Exports `model` with `exportOnnx` and writes the file atomically (a crash leaves any previous file
 * intact). Node only. This is what `backprop export <model> --onnx out.onnx` calls.
 *
 * @example await saveOnnx(model, 'digits.onnx', { inputShape: [1, 64] });
 */
export async function saveOnnx(model: AnyModule, path: string, options: ExportOnnxOptions): Promise<void> {
  await writeFileAtomic(path, exportOnnx(model, options));
}
