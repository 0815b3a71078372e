import { dirname, resolve } from 'node:path';
import type { DatasetConfig } from '../config/data-schema.js';
import { parseDataConfig, readJsonFile } from '../config/load-config.js';
import { UsageError } from '../errors.js';

/**
 * The dataset behind `--data`: a name (`digits`, `moons`), inline JSON (`'{"synthetic": "moons", "n": 200}'`),
 * a CSV file (with `--label-column`), or a JSON file holding a dataset or a whole training config.
 */
export async function parseDataSpec(spec: string, labelColumn?: string): Promise<DatasetConfig> {
  const text = spec.trim();
  if (text.startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new UsageError(`--data is not valid JSON: ${(e as Error).message}`);
    }
    return absolutize(parseDataConfig(value, []), process.cwd());
  }
  if (/\.csv$/i.test(text)) {
    if (!labelColumn) throw new UsageError(`--data ${spec}: a CSV needs --label-column <name or index> to know which column holds the targets`);
    const column = /^\d+$/.test(labelColumn) ? Number(labelColumn) : labelColumn;
    return parseDataConfig({ csv: resolve(text), labelColumn: column }, []);
  }
  if (/\.json$/i.test(text)) {
    const value = await readJsonFile(text, '--data file');
    const isConfig = value !== null && typeof value === 'object' && 'data' in value;
    const data = isConfig ? (value as { data: unknown }).data : value;
    return absolutize(parseDataConfig(data, isConfig ? ['data'] : []), dirname(resolve(text)));
  }
  return parseDataConfig(text, []);
}

function absolutize(data: DatasetConfig, baseDir: string): DatasetConfig {
  if ('csv' in data) return { ...data, csv: resolve(baseDir, data.csv) };
  if ('idx' in data) return { ...data, idx: { images: resolve(baseDir, data.idx.images), labels: resolve(baseDir, data.idx.labels) } };
  return data;
}
