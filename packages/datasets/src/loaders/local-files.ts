import { TensorError } from '@backprop/tensor';

/** The first of `names` that exists in `dir` (Node only), or an error listing what was looked for. */
export async function findFile(op: string, dir: string, names: readonly string[], what: string): Promise<string> {
  const [{ access }, { join }] = await Promise.all([import('node:fs/promises'), import('node:path')]);
  for (const name of names) {
    const path = join(dir, name);
    if (await access(path).then(() => true, () => false)) return path;
  }
  throw new TensorError(op, `no ${what} in ${dir}: looked for ${names.join(', ')} (nothing is downloaded; put the files there first)`);
}

/** A text file's lines without blanks, or null when it does not exist. */
export async function readLinesIfPresent(path: string): Promise<string[] | null> {
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(path, 'utf8').catch(() => null);
  return text === null ? null : text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
}
