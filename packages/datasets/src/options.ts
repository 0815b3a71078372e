import { ValueError } from '@backprop/tensor';

/**
 * Throws a `ValueError` naming `owner` and the unknown key unless every key of `options` is in `known`, so
 * that a typo such as `numWorker` fails instead of silently taking the default.
 */
export function checkOptionKeys(owner: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ValueError(owner, `options must be an object { ${known.join(', ')} }, got ${Array.isArray(options) ? 'an array' : String(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      const lower = key.toLowerCase();
      const near = known.find((k) => k.toLowerCase() === lower || k.toLowerCase().startsWith(lower) || lower.startsWith(k.toLowerCase()));
      throw new ValueError(owner, `unknown option "${key}"${near ? `; did you mean "${near}"?` : ''} (valid options: ${known.join(', ')})`);
    }
  }
}
