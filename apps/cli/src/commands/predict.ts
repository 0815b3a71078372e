import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { parseCsv } from '@backprop/datasets';
import { setBackend, Tensor, tensor } from '@backprop/tensor';
import { predict } from '@backprop/train';
import { activateBackend, backendOption, dataBackend, threadsOption, type BackendChoice } from '../backend.js';
import { readJsonFile, stripBom } from '../config/load-config.js';
import { UsageError, messageOf } from '../errors.js';
import { prepareInputs } from '../model/inputs.js';
import { loadModelFile, type ModelMeta } from '../model/model-file.js';
import { isJsonMode, type GlobalOptions } from '../options.js';
import { printJson, table } from '../output/format.js';

interface PredictOptions extends GlobalOptions {
  input: string;
  header: boolean;
  backend?: BackendChoice;
  threads?: number;
}

async function readText(path: string): Promise<string> {
  try {
    return path === '-' ? await new Response(process.stdin as unknown as ReadableStream).text() : await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `input file ${path} does not exist` : `cannot read ${path}: ${messageOf(e)}`);
  }
}

/**
 * Samples from a CSV: with a header and a model trained on a CSV, the training columns are picked by
 * name (so the label column and extra columns may stay in the file); otherwise every column is a feature.
 */
function csvSamples(text: string, meta: ModelMeta, header: boolean): Tensor {
  const names = header ? text.split(/\r?\n/, 1)[0].split(',').map((s) => s.trim().replace(/^"|"$/g, '')) : [];
  const wanted = meta.featureNames;
  const columns = wanted && header ? Object.fromEntries(names.filter((n) => !wanted.includes(n)).map((n) => [n, 'ignore' as const])) : undefined;
  if (wanted && header) {
    const missing = wanted.filter((n) => !names.includes(n));
    if (missing.length > 0) throw new UsageError(`the input CSV lacks the column(s) ${missing.map((n) => JSON.stringify(n)).join(', ')} that the model was trained on`);
  }
  try {
    const { x, featureNames } = parseCsv(text, { header, columns });
    // parseCsv keeps the file's column order; the model wants the training order.
    return wanted && header ? x.indexSelect(1, tensor(wanted.map((n) => featureNames.indexOf(n)), 'int32')) : x;
  } catch (e) {
    throw new UsageError(`the input CSV cannot be read: ${messageOf(e)}`);
  }
}

/** Samples from JSON: an array of samples (numbers or nested arrays), or `{ "inputs": [...] }`. */
function jsonSamples(value: unknown): Tensor {
  const rows = Array.isArray(value) ? value : (value as { inputs?: unknown })?.inputs;
  if (!Array.isArray(rows) || rows.length === 0) throw new UsageError('the input JSON must be a non-empty array of samples, or { "inputs": [...] }');
  try {
    const x = tensor(rows as number[][], 'float32');
    return x.rank === 1 ? x.reshape([x.shape[0], 1]) : x;
  } catch (e) {
    throw new UsageError(`the input JSON is not a rectangular array of numbers: ${messageOf(e)}`);
  }
}

/** Empty input and binary files are refused here; the CSV parser would report them as missing columns. */
function checkText(text: string, path: string): void {
  const where = path === '-' ? 'stdin' : `input file ${path}`;
  if (text.trim() === '') throw new UsageError(`${where} is empty; expected samples as CSV rows or a JSON array`);
  // NUL bytes and undecodable UTF-8 (U+FFFD) do not occur in CSV or JSON text.
  if (text.includes('\u0000') || text.includes('\ufffd')) throw new UsageError(`${where} is not a text file (it holds binary data); expected samples as CSV rows or a JSON array`);
}

async function readSamples(path: string, meta: ModelMeta, header: boolean): Promise<Tensor> {
  if (/\.json$/i.test(path)) return jsonSamples(await readJsonFile(path, 'input file'));
  const text = stripBom(await readText(path));
  checkText(text, path);
  if (path === '-' && /^\s*[[{]/.test(text)) {
    try {
      return jsonSamples(JSON.parse(text));
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`stdin is not valid JSON: ${messageOf(e)}`);
    }
  }
  return csvSamples(text, meta, header);
}

/** `t`'s values as nested arrays, read asynchronously so that a GPU's results come back too. */
async function nested(t: Tensor): Promise<unknown[]> {
  return new Tensor(await t.read(), t.shape, t.dtype).toArray() as unknown[];
}

export function predictCommand(): Command {
  return new Command('predict')
    .description('predictions of a saved model for the samples in a CSV or JSON file')
    .argument('<model>', 'a model file from backprop train --save')
    .requiredOption('--input <file>', 'samples: a .csv (one per row) or .json (array of samples) file, or - for stdin')
    .option('--no-header', 'the CSV has no header line')
    .addOption(backendOption())
    .addOption(threadsOption())
    .action(async function (this: Command, file: string) {
      const options = this.optsWithGlobals<PredictOptions>();
      const active = await activateBackend(options.backend, options.threads);
      const { name: backend } = active;
      // The model file and the samples are read and standardized on the host; the model runs on the backend.
      setBackend(dataBackend(active));
      const { model, meta } = await loadModelFile(file);
      const raw = await readSamples(options.input, meta, options.header);
      const inputs = prepareInputs(raw, meta, options.input);
      setBackend(backend);
      const out = predict(model, inputs);
      let predictions: Record<string, unknown>[];
      if (meta.task === 'classification') {
        const binary = out.shape[1] === 1;
        const probs = binary ? ((await nested(out.sigmoid())) as number[][]).map(([p]) => [1 - p, p]) : ((await nested(out.softmax(-1))) as number[][]);
        predictions = probs.map((p) => {
          const k = p.indexOf(Math.max(...p));
          return { class: k, label: meta.classNames?.[k] ?? String(k), probability: p[k], probabilities: p };
        });
      } else {
        predictions = ((await nested(out)) as number[][]).map((v) => ({ value: v.length === 1 ? v[0] : v }));
      }
      if (isJsonMode(options.json)) {
        // One line per sample, in input order, so that scripts can stream them.
        predictions.forEach((p, sample) => printJson({ event: 'prediction', sample, ...p, backend }));
        return;
      }
      const rows = predictions.map((p, i) =>
        meta.task === 'classification' ? [String(i), String(p.label), `${((p.probability as number) * 100).toFixed(1)}%`] : [String(i), JSON.stringify(p.value)],
      );
      const header = meta.task === 'classification' ? ['sample', 'class', 'probability'] : ['sample', 'prediction'];
      process.stdout.write(`${table(header, rows)}\n`);
    });
}
