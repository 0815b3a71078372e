import { ValueError } from '@backprop/tensor';

/** Bounds for a numeric option; `*Open` makes that end exclusive. */
export interface Range {
  min?: number;
  max?: number;
  minOpen?: boolean;
  maxOpen?: boolean;
}

function describe(range: Range): string {
  const lo = range.min === undefined ? '' : `${range.minOpen ? '>' : '>='} ${range.min}`;
  const hi = range.max === undefined ? '' : `${range.maxOpen ? '<' : '<='} ${range.max}`;
  return [lo, hi].filter(Boolean).join(' and ');
}

/**
 * Throws a `ValueError` naming `owner` (the optimizer or schedule) and the option unless `value` is a
 * finite number inside `range`. `where` locates it, e.g. ' (parameter group 1)'.
 */
export function checkNumber(owner: string, key: string, value: unknown, range: Range = {}, where = ''): void {
  const ok =
    typeof value === 'number' &&
    !Number.isNaN(value) &&
    (range.min === undefined || (range.minOpen ? value > range.min : value >= range.min)) &&
    (range.max === undefined || (range.maxOpen ? value < range.max : value <= range.max));
  if (!ok) {
    const expected = describe(range);
    throw new ValueError(owner, `${key} must be a number${expected ? ` ${expected}` : ''}${where}, got ${String(value)}`);
  }
}

/** Throws unless `value` is an integer >= `min`. */
export function checkInteger(owner: string, key: string, value: unknown, min: number, where = ''): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ValueError(owner, `${key} must be an integer >= ${min}${where}, got ${String(value)}`);
  }
}

/** Throws unless `value` is a boolean. */
export function checkBoolean(owner: string, key: string, value: unknown, where = ''): void {
  if (typeof value !== 'boolean') throw new ValueError(owner, `${key} must be true or false${where}, got ${String(value)}`);
}

/** Throws unless `value` is one of `choices`. */
export function checkChoice<T>(owner: string, key: string, value: unknown, choices: readonly T[], where = ''): void {
  if (!choices.includes(value as T)) {
    const list = choices.map((c) => JSON.stringify(c)).join(', ');
    throw new ValueError(owner, `${key} must be one of ${list}${where}, got ${JSON.stringify(value)}`);
  }
}

/** Copies `options` without the keys whose value is `undefined`, so they do not hide defaults when spread. */
export function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** What `checkOptions` checks: options that are numbers >= 0, numbers in other ranges, and flags. */
export interface OptionSpec {
  nonNegative?: readonly string[];
  ranges?: Readonly<Record<string, Range>>;
  flags?: readonly string[];
}

/** Checks a parameter group's options against `spec`, throwing a `ValueError` for the first bad one. */
export function checkOptions(owner: string, group: object, spec: OptionSpec, where = ''): void {
  const values = group as Record<string, unknown>;
  for (const key of spec.nonNegative ?? []) checkNumber(owner, key, values[key], { min: 0 }, where);
  for (const [key, range] of Object.entries(spec.ranges ?? {})) checkNumber(owner, key, values[key], range, where);
  for (const key of spec.flags ?? []) checkBoolean(owner, key, values[key], where);
}
