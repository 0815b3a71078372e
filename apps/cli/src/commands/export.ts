import { resolve } from 'node:path';
import { Command } from 'commander';
import type { AnyModule } from '@backprop/layers';
import { CliError, UsageError, messageOf } from '../errors.js';
import { cliMeta, loadAnyModelFile } from '../model/model-file.js';
import { STANDARDIZED_MODEL, StandardizedModel } from '../model/standardized-model.js';
import { intOption, isJsonMode, shapeOption, type GlobalOptions } from '../options.js';
import { printJson } from '../output/format.js';

interface ExportOptions extends GlobalOptions {
  onnx?: string;
  pytorch?: string;
  format?: string;
  out?: string;
  name: string;
  inputShape?: number[];
  opset: number;
  staticBatch?: boolean;
}

type Onnx = typeof import('@backprop/onnx');

/** The ONNX rule of the standardization wrapper: Mul and Add per feature, then the model's layers in order. */
function registerStandardizedRule(onnx: Onnx): void {
  if (onnx.getOnnxExporter(STANDARDIZED_MODEL)) return;
  onnx.registerOnnxExporter(STANDARDIZED_MODEL, (module, ctx) => {
    const m = module as StandardizedModel;
    const [scaled] = ctx.node('Mul', [ctx.input.name, ctx.constant('input_scale', m.scale.dataSync() as Float32Array, m.scale.shape)]);
    const [shifted] = ctx.node('Add', [scaled, ctx.constant('input_shift', m.shift.dataSync() as Float32Array, m.shift.shape)]);
    let value = { ...ctx.input, name: shifted };
    for (const [name] of m.namedChildren()) value = ctx.exportChild(name, value);
    return value;
  });
}

/** Why the model cannot be exported, without the package's `exportOnnx: ` prefix. */
const reason = (e: unknown) => messageOf(e).replace(/^exportOnnx: /, '');

export function exportCommand(): Command {
  return new Command('export')
    .description('export a model file to ONNX, to run it in onnxruntime (Node, browsers, mobile) or any ONNX runtime')
    .argument('<model>', 'a model file (backprop train --save, or any backprop model file with --input-shape)')
    .option('--onnx <file>', 'the .onnx file to write (the same as --format onnx --out <file>)')
    .option('--pytorch <dir>', 'write <dir>/<name>.py (a torch.nn.Module with the same state_dict names) and <dir>/<name>.safetensors (the same as --format pytorch --out <dir>)')
    .option('--format <format>', 'onnx or pytorch, with --out')
    .option('--out <path>', 'the file (onnx) or folder (pytorch) to write')
    .option('--name <name>', 'the Python module name for --pytorch', 'model')
    .option('--input-shape <dims>', 'one example input, batch first, e.g. 1,64 (default: 1 and the input shape stored by backprop train)', shapeOption)
    .option('--opset <n>', 'ONNX opset, 13 to 21', intOption, 17)
    .option('--static-batch', 'fix the batch size to that of --input-shape (default: any batch size)')
    .action(async function (this: Command, file: string) {
      const options = this.optsWithGlobals<ExportOptions>();
      const target = exportTarget(options);
      if (target.format === 'pytorch') return exportToPytorch(file, target.out, options);
      options.onnx = target.out;
      const onnx: Onnx = await import('@backprop/onnx');
      if (options.opset < onnx.MIN_OPSET || options.opset > onnx.MAX_OPSET) {
        throw new UsageError(`--opset must be from ${onnx.MIN_OPSET} to ${onnx.MAX_OPSET}, got ${options.opset}`);
      }
      const { model, metadata } = await loadAnyModelFile(file);
      const meta = cliMeta(metadata);
      const inputShape = options.inputShape ?? (meta ? [1, ...meta.inputShape] : null);
      if (!inputShape) throw new UsageError(`${file} does not store its input shape (backprop train writes it); pass --input-shape, batch first, e.g. --input-shape 1,64`);
      // predict standardizes raw samples with the training statistics; the graph does the same.
      let exported: AnyModule = model;
      if (meta?.standardize) {
        registerStandardizedRule(onnx);
        exported = new StandardizedModel(model, meta.standardize);
      }
      const out = resolve(target.out);
      const dynamicBatch = !options.staticBatch;
      try {
        await onnx.saveOnnx(exported, out, { inputShape, opset: options.opset, dynamicBatch, docString: `exported by backprop export from ${file}` });
      } catch (e) {
        // A graph that fails validation is a bug in an export rule; anything else about the model is the person's to fix.
        if (e instanceof onnx.OnnxValidationError) throw new CliError(`exporting ${file} made an invalid ONNX graph: ${reason(e)}`);
        if (e instanceof onnx.OnnxExportError) throw new UsageError(`cannot export ${file} to ONNX: ${reason(e)}`);
        const code = (e as NodeJS.ErrnoException).code;
        if (typeof code === 'string') throw new CliError(`cannot write ${target.out}: ${messageOf(e)}`);
        throw new UsageError(`cannot export ${file} to ONNX with input shape [${inputShape.join(', ')}]: ${messageOf(e)}`);
      }
      if (isJsonMode(options.json)) {
        printJson({ event: 'export', model: file, onnx: out, inputShape, opset: options.opset, dynamicBatch, standardized: Boolean(meta?.standardize) });
      } else {
        process.stdout.write(`${out}\n`);
      }
    });
}

/** Which format and destination the flags ask for: exactly one of --onnx, --pytorch, or --format with --out. */
function exportTarget(options: ExportOptions): { format: 'onnx' | 'pytorch'; out: string } {
  const given = [options.onnx !== undefined, options.pytorch !== undefined, options.format !== undefined].filter(Boolean).length;
  if (given !== 1) throw new UsageError('export needs exactly one of --onnx <file>, --pytorch <dir>, or --format onnx|pytorch with --out <path>');
  if (options.onnx !== undefined) return { format: 'onnx', out: options.onnx };
  if (options.pytorch !== undefined) return { format: 'pytorch', out: options.pytorch };
  if (options.format !== 'onnx' && options.format !== 'pytorch') throw new UsageError(`--format must be onnx or pytorch, got '${options.format}'`);
  if (options.out === undefined) throw new UsageError(`--format ${options.format} needs --out <path>`);
  return { format: options.format, out: options.out };
}

/**
 * The network as a PyTorch module plus its weights. Standardization, which `predict` applies before the
 * network, is not part of the module: it is written beside it as <name>.standardize.json (x·scale + shift).
 */
async function exportToPytorch(file: string, dirArg: string, options: ExportOptions): Promise<void> {
  const io = await import('@backprop/io');
  const { mkdir, writeFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { model, metadata } = await loadAnyModelFile(file);
  const meta = cliMeta(metadata);
  const dir = resolve(dirArg);
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw new CliError(`cannot create the folder ${dirArg}: ${messageOf(e)}`);
  }
  let written: { module: string; weights: string };
  try {
    written = await io.exportPytorch(model, dir, { name: options.name });
  } catch (e) {
    if (e instanceof io.ModelFileError) throw new UsageError(`cannot export ${file} to PyTorch: ${messageOf(e).replace(/^exportPytorch: /, '')}`);
    throw new CliError(`cannot write into ${dirArg}: ${messageOf(e)}`);
  }
  let standardize: string | null = null;
  if (meta?.standardize) {
    standardize = join(dir, `${options.name}.standardize.json`);
    const scale = meta.standardize.std.map((s) => 1 / s);
    const shift = meta.standardize.mean.map((m, j) => -m / meta.standardize!.std[j]);
    await writeFile(standardize, `${JSON.stringify({ note: 'inputs are standardized as x * scale + shift before the network', scale, shift })}\n`);
  }
  if (isJsonMode(options.json)) {
    printJson({ event: 'export', model: file, format: 'pytorch', module: written.module, weights: written.weights, standardize });
  } else {
    process.stdout.write(`${written.module}\n${written.weights}\n${standardize ? `${standardize}\n` : ''}`);
  }
}
