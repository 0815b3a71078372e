import { Tensor, ValueError } from '@backprop/tensor';
import { DataFormatError } from '../errors.js';
import { checkOptionKeys } from '../options.js';
import { Pipeline } from '../pipeline.js';
import { byteChunks, type StreamSource, type StreamSourceOptions } from './byte-stream.js';
import { splitFields } from './csv.js';

/** Options of `streamCsv`. */
export interface CsvStreamOptions extends StreamSourceOptions {
  /** The first line names the columns (default true). */
  header?: boolean;
  /** Field separator (default ','). */
  delimiter?: string;
  /** The target column, by name or 0-based index; it goes to `y`. */
  labelColumn?: string | number;
  /** Columns to skip, by name or index ('ignore'); every other feature column is a number. */
  columns?: Record<string | number, 'number' | 'ignore'>;
  /** The label's classes, for a column of names (Iris species): label k is `classNames[k]`, an unknown name an error. */
  classNames?: string[];
  /** dtype of y: 'int32' (default with `classNames`) or 'float32' (default otherwise). */
  labelDtype?: 'int32' | 'float32';
  /** Rows per batch (default 256). */
  batchSize?: number;
}

const OPTIONS = ['header', 'delimiter', 'labelColumn', 'columns', 'classNames', 'labelDtype', 'batchSize', 'chunkSize'];

/** Lines of a byte stream, decoded as UTF-8 across chunk boundaries, with their 1-based numbers. */
async function* lines(op: string, source: StreamSource, options: StreamSourceOptions): AsyncGenerator<{ text: string; line: number }> {
  const decoder = new TextDecoder();
  let rest = '';
  let line = 0;
  for await (const chunk of byteChunks(op, source, options)) {
    const text = rest + decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl >= 0; nl = text.indexOf('\n', start)) {
      line++;
      yield { text: text.charCodeAt(nl - 1) === 13 ? text.slice(start, nl - 1) : text.slice(start, nl), line };
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  rest += decoder.decode();
  if (rest !== '') yield { text: rest.endsWith('\r') ? rest.slice(0, -1) : rest, line: line + 1 };
}

/**
 * Reads a CSV file in chunks and yields batches `[x, y]` (x float32 [rows, features], y [rows]) or `[x]`
 * without a label column, so that a file larger than memory trains in bounded memory: a pass holds one
 * chunk (`chunkSize`, 1 MiB) and one batch at a time. Every pass (epoch) reads the source again from its
 * start; paths, URLs and Blobs can be read any number of times, a stream once. Gzipped files are
 * decompressed as they stream. Rows are checked as in `parseCsv`, with the line in the `DataFormatError`.
 * Unlike `loadCsv`, which sees all values first, category codes cannot be inferred: give `classNames`.
 *
 * @example
 * const train = streamCsv('data/big.csv', { labelColumn: 'label', labelDtype: 'int32', batchSize: 512 });
 * await fit(model, { data: train.prefetch(2), loss: 'crossEntropy', optimizer, epochs: 3 });
 */
export function streamCsv(source: StreamSource, options: CsvStreamOptions = {}): Pipeline<Tensor[]> {
  const op = 'streamCsv';
  checkOptionKeys(op, options, OPTIONS);
  const delimiter = options.delimiter ?? ',';
  if (delimiter === '' || delimiter === '"') throw new ValueError(op, `delimiter must be a non-empty string other than '"', got '${delimiter}'`);
  const batchSize = options.batchSize ?? 256;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ValueError(op, `batchSize must be a positive integer, got ${batchSize}`);
  const labelDtype = options.labelDtype ?? (options.classNames ? 'int32' : 'float32');
  if (labelDtype !== 'int32' && labelDtype !== 'float32') throw new ValueError(op, `labelDtype must be 'int32' or 'float32', got ${String(labelDtype)}`);
  const classIndex = options.classNames ? new Map(options.classNames.map((n, k) => [n, k])) : null;
  const header = options.header ?? true;
  return Pipeline.from(async function* () {
    let names: string[] | null = null;
    let width = 0;
    let featureIdx: number[] = [];
    let labelIdx = -1;
    let x = new Float32Array(0);
    let y = new Float32Array(0);
    let rows = 0;
    let dataRows = 0;
    const flush = (): Tensor[] => {
      const f = featureIdx.length;
      const xt = new Tensor(x.slice(0, rows * f), [rows, f], 'float32');
      const out = [xt];
      if (labelIdx >= 0) out.push(labelDtype === 'int32' ? new Tensor(Int32Array.from(y.subarray(0, rows)), [rows], 'int32') : new Tensor(y.slice(0, rows), [rows], 'float32'));
      rows = 0;
      return out;
    };
    for await (const { text, line } of lines(op, source, options)) {
      if (text.trim() === '') continue;
      // Most lines have no quotes: a plain split is several times faster than the quote-aware scan.
      const fields = text.includes('"') ? splitFields(op, text, delimiter, line) : text.split(delimiter).map((f) => f.trim());
      if (names === null) {
        width = fields.length;
        names = header ? fields : fields.map((_, j) => `column ${j}`);
        const cols = names;
        const index = (key: string | number, what: string): number => {
          const j = typeof key === 'number' ? key : /^\d+$/.test(key) && !cols.includes(key) ? Number(key) : cols.indexOf(key);
          if (!(Number.isInteger(j) && j >= 0 && j < width)) throw new ValueError(op, `${what} ${JSON.stringify(key)} is not a column; the columns are ${cols.join(', ')}`);
          return j;
        };
        const ignored = new Set(Object.entries(options.columns ?? {}).filter(([, t]) => t === 'ignore').map(([k]) => index(k, 'columns key')));
        labelIdx = options.labelColumn === undefined ? -1 : index(options.labelColumn, 'labelColumn');
        featureIdx = Array.from({ length: width }, (_, j) => j).filter((j) => j !== labelIdx && !ignored.has(j));
        x = new Float32Array(batchSize * featureIdx.length);
        y = new Float32Array(batchSize);
        if (header) continue;
      }
      if (fields.length !== width) {
        throw new DataFormatError(op, `line ${line} has ${fields.length} field${fields.length === 1 ? '' : 's'}, expected ${width} as in ${header ? 'the header' : 'line 1'}`, line);
      }
      const f = featureIdx.length;
      for (let k = 0; k < f; k++) {
        const field = fields[featureIdx[k]];
        const v = field === '' ? NaN : Number(field);
        if (!Number.isFinite(v)) {
          throw new DataFormatError(op, `line ${line}, column '${names[featureIdx[k]]}': '${field}' is not a number (mark the column 'ignore' if it is not numeric)`, line);
        }
        x[rows * f + k] = v;
      }
      if (labelIdx >= 0) {
        const field = fields[labelIdx];
        let v: number;
        if (classIndex) {
          const code = classIndex.get(field);
          if (code === undefined) throw new DataFormatError(op, `line ${line}: label '${field}' is not one of classNames (${[...classIndex.keys()].join(', ')})`, line);
          v = code;
        } else {
          v = field === '' ? NaN : Number(field);
          if (!Number.isFinite(v) || (labelDtype === 'int32' && !Number.isInteger(v))) {
            throw new DataFormatError(op, `line ${line}, label column '${names[labelIdx]}': '${field}' is not ${labelDtype === 'int32' ? 'an integer' : 'a number'} (give classNames for class names)`, line);
          }
        }
        y[rows] = v;
      }
      dataRows++;
      if (++rows === batchSize) yield flush();
    }
    if (dataRows === 0) throw new DataFormatError(op, 'the source has no data rows');
    if (rows > 0) yield flush();
  });
}
