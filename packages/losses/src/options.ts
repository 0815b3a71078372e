import { Tensor, ValueError } from '@backprop/tensor';

/**
 * What an option field may hold: a kind of value, or the list of strings it may be. The loss itself checks
 * ranges (delta > 0, p ∈ {1, 2}, …); this only catches misspelt fields and values of the wrong type, which
 * JavaScript callers and config files would otherwise have silently ignored.
 */
export type OptionKind = 'number' | 'integer' | 'boolean' | 'tensor' | readonly string[];

/** The option fields a loss accepts, by name. */
export type OptionSpec = Readonly<Record<string, OptionKind>>;

function describeValue(value: unknown): string {
  if (value instanceof Tensor) return `a ${value.dtype} tensor of shape [${value.shape.join(', ')}]`;
  if (typeof value === 'string') return `'${value}'`;
  if (value === null || Array.isArray(value)) return value === null ? 'null' : 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

function describeKind(kind: OptionKind): string {
  if (typeof kind !== 'string') return `one of ${kind.map((k) => `'${k}'`).join(', ')}`;
  return { number: 'a finite number', integer: 'an integer', boolean: 'true or false', tensor: 'a Tensor' }[kind];
}

function fits(value: unknown, kind: OptionKind): boolean {
  if (typeof kind !== 'string') return typeof value === 'string' && kind.includes(value);
  if (kind === 'number') return typeof value === 'number' && Number.isFinite(value);
  if (kind === 'integer') return Number.isInteger(value);
  if (kind === 'boolean') return typeof value === 'boolean';
  return value instanceof Tensor;
}

/**
 * Throws a `ValueError` naming `op` when `options` has a field `spec` does not list, or a value of the
 * wrong kind. `owner` names the loss when `op` is not the loss itself (`lossFromConfig`).
 */
export function checkOptions(op: string, options: unknown, spec: OptionSpec, owner?: string): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options) || options instanceof Tensor) {
    throw new ValueError(op, `options must be a plain object, got ${describeValue(options)}`);
  }
  const subject = owner === undefined ? '' : `${owner}: `;
  for (const [key, value] of Object.entries(options)) {
    if (!Object.hasOwn(spec, key)) {
      throw new ValueError(op, `${subject}unknown option '${key}'; the options are ${Object.keys(spec).join(', ')}`);
    }
    if (value !== undefined && !fits(value, spec[key])) {
      throw new ValueError(op, `${subject}option '${key}' must be ${describeKind(spec[key])}, got ${describeValue(value)}`);
    }
  }
}
