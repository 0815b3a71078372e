import { TensorError, ValueError } from '@backprop/tensor';
import { checkOptionKeys } from '../options.js';

/**
 * Reads a text corpus from class folders (Node): `root/pos/*.txt`, `root/neg/*.txt`, as IMDB's reviews are
 * laid out. Classes are the sorted folder names; files are read in sorted order as UTF-8.
 *
 * @example
 * const { texts, labels, classes } = await readTextFolder('data/aclImdb/train', { classes: ['neg', 'pos'] });
 */
export async function readTextFolder(
  root: string,
  options: { extensions?: string[]; classes?: string[] } = {},
): Promise<{ texts: string[]; labels: number[]; classes: string[] }> {
  const op = 'readTextFolder';
  checkOptionKeys(op, options, ['extensions', 'classes']);
  const extensions = (options.extensions ?? ['.txt']).map((e) => e.toLowerCase());
  const [fs, { join }] = await Promise.all([import('node:fs/promises'), import('node:path')]);
  let entries;
  try {
    entries = await fs.readdir(root, { withFileTypes: true });
  } catch (e) {
    throw new TensorError(op, `cannot list ${root}: ${(e as Error).message}`);
  }
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const found = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort(byName);
  const classes = options.classes ?? found;
  for (const c of classes) if (!found.includes(c)) throw new ValueError(op, `class folder '${c}' is not in ${root} (found ${found.join(', ') || 'none'})`);
  if (classes.length === 0) throw new ValueError(op, `${root} has no class folders; expected root/<class>/<file>`);
  const texts: string[] = [];
  const labels: number[] = [];
  for (const [label, cls] of classes.entries()) {
    const files = (await fs.readdir(join(root, cls), { withFileTypes: true }))
      .filter((e) => e.isFile() && extensions.some((x) => e.name.toLowerCase().endsWith(x)))
      .map((e) => e.name)
      .sort(byName);
    for (const f of files) {
      texts.push(await fs.readFile(join(root, cls, f), 'utf8'));
      labels.push(label);
    }
  }
  return { texts, labels, classes };
}
