import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigError, UsageError } from '../errors.js';
import { DATA_EXPECTED, dataSchemaFor, expandDataShorthand, type DatasetConfig } from './data-schema.js';
import { formatIssue, showValue } from './format-issue.js';
import { trainConfigSchema, type TrainConfig } from './schema.js';

/** A checked config: `data` validated, file paths absolute. */
export type ResolvedConfig = Omit<TrainConfig, 'data'> & { data: DatasetConfig };

/** Command-line flags that replace config fields. */
export interface Overrides {
  epochs?: number;
  batchSize?: number;
  lr?: number;
  seed?: number;
  save?: string;
  checkpoint?: string;
}

/** Text without the UTF-8 byte-order mark some editors put first. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Reads a JSON file the person named; a missing file or bad JSON is a usage error naming it. */
export async function readJsonFile(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `${what} ${path} does not exist` : `cannot read ${what} ${path} (${code ?? String(e)})`);
  }
  // Editors on Windows may start a UTF-8 file with a byte-order mark, which JSON.parse refuses.
  text = stripBom(text);
  if (text.trim() === '') throw new UsageError(`${what} ${path} is empty; expected JSON`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${what} ${path} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Checks a dataset description (also used by `eval --data`), with errors under `prefix` (`$.data`). */
export function parseDataConfig(value: unknown, prefix: readonly PropertyKey[] = ['data']): DatasetConfig {
  const expanded = expandDataShorthand(value);
  const schema = dataSchemaFor(expanded);
  const path = '$' + prefix.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  if (!schema) throw new ConfigError(path, `expected ${DATA_EXPECTED}, got ${showValue(value)}`);
  const result = schema.safeParse(expanded, { reportInput: true });
  if (!result.success) throw new UsageError(result.error.issues.map((i) => formatIssue(i, prefix)).join('\n'));
  return result.data;
}

/** Makes the file paths of a dataset absolute, relative to `baseDir` (the config file's folder). */
function absoluteData(data: DatasetConfig, baseDir: string): DatasetConfig {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  if ('csv' in data) return { ...data, csv: abs(data.csv) };
  if ('idx' in data) return { ...data, idx: { images: abs(data.idx.images), labels: abs(data.idx.labels) } };
  return data;
}

/**
 * Validates a raw config object (from a file, a checkpoint, or `{}` for the defaults) after applying the
 * flag overrides. Relative paths in the file are relative to `baseDir`; those from flags to the cwd.
 */
export function resolveConfig(raw: unknown, baseDir: string, overrides: Overrides = {}): ResolvedConfig {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError('$', `expected a config object { "model": …, "data": …, … }, got ${showValue(raw)}`);
  }
  const result = trainConfigSchema.safeParse(raw, { reportInput: true });
  if (!result.success) throw new UsageError(result.error.issues.map((i) => formatIssue(i)).join('\n'));
  const config = result.data;
  const abs = (p: string | undefined) => (p === undefined || isAbsolute(p) ? p : resolve(baseDir, p));
  const resolved: ResolvedConfig = {
    ...config,
    data: absoluteData(parseDataConfig(config.data), baseDir),
    save: abs(config.save),
    checkpoint: abs(config.checkpoint),
  };
  // Flags win over the file; they are checked by the command-line parser already.
  if (overrides.epochs !== undefined) resolved.epochs = overrides.epochs;
  if (overrides.batchSize !== undefined) resolved.batchSize = overrides.batchSize;
  if (overrides.seed !== undefined) resolved.seed = overrides.seed;
  if (overrides.lr !== undefined) resolved.optimizer = { ...resolved.optimizer, lr: overrides.lr };
  if (overrides.save !== undefined) resolved.save = resolve(overrides.save);
  if (overrides.checkpoint !== undefined) resolved.checkpoint = resolve(overrides.checkpoint);
  return resolved;
}

/** Loads and checks a config file. */
export async function loadConfigFile(path: string, overrides: Overrides = {}): Promise<ResolvedConfig> {
  return resolveConfig(await readJsonFile(path, 'config file'), dirname(resolve(path)), overrides);
}
