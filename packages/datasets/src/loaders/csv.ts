import { Tensor, ValueError } from '@backprop/tensor';
import { DataFormatError } from '../errors.js';
import { readSource, type SourceOptions } from './read-source.js';

/** How a CSV column is read: a number, a category (strings coded 0, 1, … in sorted order), or not at all. */
export type CsvColumnType = 'number' | 'category' | 'ignore';

/** Options of `parseCsv` and `loadCsv`. */
export interface CsvOptions {
  /** The first line names the columns (default true). */
  header?: boolean;
  /** Field separator (default ','). */
  delimiter?: string;
  /** The target column, by name or 0-based index; it goes to `y` instead of `x`. */
  labelColumn?: string | number;
  /**
   * Column types by name (or index), default 'number'. The label column defaults to 'number' when all its
   * values are numbers and to 'category' otherwise (class names, such as Iris species).
   */
  columns?: Record<string | number, CsvColumnType>;
}

/** A parsed CSV: features x float32 [rows, features] and, with a label column, targets y. */
export interface CsvData {
  x: Tensor;
  /** int32 for a category label or whole numbers, float32 otherwise. */
  y?: Tensor;
  /** Names of the columns in x, in order (from the header, else `column <index>`). */
  featureNames: string[];
  /** The label's category names; label k is `classNames[k]`. */
  classNames?: string[];
  /** The names behind the codes of every 'category' feature column. */
  categories: Record<string, string[]>;
}

/** Splits one line into fields; double quotes may enclose a field, with "" for a quote inside. */
export function splitFields(op: string, line: string, delimiter: string, lineNo: number): string[] {
  const fields: string[] = [];
  let i = 0;
  while (true) {
    if (line[i] === '"') {
      let value = '';
      i++;
      while (true) {
        const close = line.indexOf('"', i);
        if (close < 0) throw new DataFormatError(op, `line ${lineNo}: a quoted field is not closed`, lineNo);
        value += line.slice(i, close);
        i = close + 1;
        if (line[i] !== '"') break;
        value += '"';
        i++;
      }
      fields.push(value);
      if (i < line.length && !line.startsWith(delimiter, i)) {
        throw new DataFormatError(op, `line ${lineNo}: unexpected text after a quoted field at column ${i + 1}`, lineNo);
      }
    } else {
      const end = line.indexOf(delimiter, i);
      fields.push(line.slice(i, end < 0 ? line.length : end).trim());
      i = end < 0 ? line.length : end;
    }
    if (i >= line.length) return fields;
    i += delimiter.length;
    if (i === line.length) return [...fields, ''];
  }
}

function parseNumber(field: string): number {
  return field === '' ? NaN : Number(field);
}

/** Codes of category values in sorted order, so that the same data always gives the same codes. */
function categoryCodes(values: string[]): { names: string[]; codes: number[] } {
  const names = [...new Set(values)].sort();
  const index = new Map(names.map((n, k) => [n, k]));
  return { names, codes: values.map((v) => index.get(v) ?? -1) };
}

/**
 * Parses CSV text into tensors. Every row must have as many fields as the header (or the first row), and
 * every 'number' field must be a number; otherwise the `DataFormatError` names the line (1-based, counting
 * the header), the column and the value. Blank lines are skipped; quoted fields may not span lines.
 *
 * @example
 * const { x, y, classNames } = parseCsv('a,b,kind\n1,2,cat\n3,4,dog\n', { labelColumn: 'kind' });
 * // x [[1, 2], [3, 4]], y [0, 1], classNames ['cat', 'dog']
 */
export function parseCsv(text: string, options: CsvOptions = {}): CsvData {
  return parseCsvAs('parseCsv', text, options);
}

function parseCsvAs(op: string, text: string, options: CsvOptions): CsvData {
  const delimiter = options.delimiter ?? ',';
  if (delimiter === '' || delimiter === '"') throw new ValueError(op, `delimiter must be a non-empty string other than '"', got '${delimiter}'`);
  const rows: { line: number; fields: string[] }[] = [];
  text.split(/\r?\n/).forEach((line, k) => {
    if (line.trim() !== '') rows.push({ line: k + 1, fields: splitFields(op, line, delimiter, k + 1) });
  });
  const header = options.header ?? true;
  if (rows.length === 0 || (header && rows.length === 1)) throw new DataFormatError(op, 'the text has no data rows');
  const width = rows[0].fields.length;
  const names = header ? rows[0].fields : rows[0].fields.map((_, j) => `column ${j}`);
  const data = header ? rows.slice(1) : rows;
  for (const { line, fields } of data) {
    if (fields.length !== width) {
      throw new DataFormatError(op, `line ${line} has ${fields.length} field${fields.length === 1 ? '' : 's'}, expected ${width} as in ${header ? 'the header' : 'line ' + rows[0].line}`, line);
    }
  }
  const columnIndex = (key: string | number, what: string): number => {
    const j = typeof key === 'number' ? key : names.indexOf(key);
    if (!(Number.isInteger(j) && j >= 0 && j < width)) {
      throw new ValueError(op, `${what} ${JSON.stringify(key)} is not a column; the columns are ${names.join(', ')}`);
    }
    return j;
  };
  const types: (CsvColumnType | undefined)[] = new Array(width).fill(undefined);
  for (const [key, type] of Object.entries(options.columns ?? {})) {
    const j = /^\d+$/.test(key) && !names.includes(key) ? Number(key) : key;
    types[columnIndex(j, 'columns key')] = type;
  }
  const labelIndex = options.labelColumn === undefined ? -1 : columnIndex(options.labelColumn, 'labelColumn');
  const column = (j: number): string[] => data.map((r) => r.fields[j]);

  const featureNames: string[] = [];
  const categories: Record<string, string[]> = {};
  const featureColumns: number[][] = [];
  for (let j = 0; j < width; j++) {
    if (j === labelIndex || types[j] === 'ignore') continue;
    featureNames.push(names[j]);
    if (types[j] === 'category') {
      const { names: cats, codes } = categoryCodes(column(j));
      categories[names[j]] = cats;
      featureColumns.push(codes);
    } else {
      featureColumns.push(numericColumn(op, data, j, names[j]));
    }
  }
  const n = data.length;
  const x = new Float32Array(n * featureColumns.length);
  featureColumns.forEach((values, f) => values.forEach((v, i) => (x[i * featureColumns.length + f] = v)));
  const result: CsvData = { x: new Tensor(x, [n, featureColumns.length], 'float32'), featureNames, categories };
  if (labelIndex >= 0) {
    const raw = column(labelIndex);
    const labelType = types[labelIndex] ?? (raw.every((v) => Number.isFinite(parseNumber(v))) ? 'number' : 'category');
    if (labelType === 'category') {
      const { names: classNames, codes } = categoryCodes(raw);
      result.y = new Tensor(Int32Array.from(codes), [n], 'int32');
      result.classNames = classNames;
    } else {
      const values = numericColumn(op, data, labelIndex, names[labelIndex]);
      result.y = values.every(Number.isInteger) ? new Tensor(Int32Array.from(values), [n], 'int32') : new Tensor(Float32Array.from(values), [n], 'float32');
    }
  }
  return result;
}

function numericColumn(op: string, data: { line: number; fields: string[] }[], j: number, name: string): number[] {
  return data.map(({ line, fields }) => {
    const v = parseNumber(fields[j]);
    if (!Number.isFinite(v)) {
      throw new DataFormatError(op, `line ${line}, column '${name}': '${fields[j]}' is not a number (mark the column 'category' or 'ignore' if it is not numeric)`, line);
    }
    return v;
  });
}

/**
 * Loads CSV from text (any string containing a line break), a local path or an http(s) URL, then parses it
 * as `parseCsv` does; errors name `loadCsv` and the line.
 *
 * @example
 * const { x, y } = await loadCsv('data/iris.csv', { labelColumn: 'species' });
 */
export async function loadCsv(textOrPath: string | URL, options: CsvOptions & SourceOptions = {}): Promise<CsvData> {
  const isText = typeof textOrPath === 'string' && /[\r\n]/.test(textOrPath);
  const text = isText ? (textOrPath as string) : new TextDecoder().decode(await readSource('loadCsv', textOrPath, options));
  return parseCsvAs('loadCsv', text, options);
}
