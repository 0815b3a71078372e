import { Tensor, TensorError, cast, copy_, fmtShape } from '@backprop/tensor';

/** A state dict as `stateDict()` returns it, or as a plain record (e.g. decoded from a file). */
export type StateDict = Map<string, Tensor> | Record<string, Tensor>;

/** A key whose tensor does not fit the model: wrong shape, or not a tensor at all. */
export interface StateDictMismatch {
  key: string;
  /** Shape in the model. */
  expected: readonly number[];
  /** Shape in the state dict, or `null` when the value is not a tensor. */
  got: readonly number[] | null;
}

/** What `loadStateDict` found: names in the model absent from the dict, and names in the dict unknown to the model. */
export interface LoadResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/**
 * `loadStateDict` refused a state dict. It lists every problem at once (missing, unexpected and
 * mis-shaped keys) and is thrown before any weight is touched.
 */
export class StateDictError extends TensorError {
  constructor(
    module: string,
    readonly missingKeys: string[],
    readonly unexpectedKeys: string[],
    readonly mismatched: StateDictMismatch[],
  ) {
    const lines = [`error(s) in loading state dict for ${module}:`];
    if (missingKeys.length > 0) lines.push(`  missing keys: ${missingKeys.map((k) => `"${k}"`).join(', ')}`);
    if (unexpectedKeys.length > 0) lines.push(`  unexpected keys: ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}`);
    for (const m of mismatched) {
      const got = m.got === null ? 'a value that is not a Tensor' : `a tensor of shape ${fmtShape(m.got)}`;
      lines.push(`  size mismatch for "${m.key}": the model has shape ${fmtShape(m.expected)}, the state dict ${got}`);
    }
    super('loadStateDict', lines.join('\n'));
    this.name = 'StateDictError';
  }
}

function entriesOf(dict: StateDict): [string, unknown][] {
  return dict instanceof Map ? [...dict.entries()] : Object.entries(dict);
}

/**
 * Checks `dict` against the model's own tensors, then copies every matching value into them in place (so
 * optimizers holding the parameters keep working). Values are converted to the model's dtype.
 */
export function copyStateDict(moduleName: string, own: Map<string, Tensor>, dict: StateDict, strict: boolean): LoadResult {
  const given = new Map(entriesOf(dict));
  const missingKeys = [...own.keys()].filter((k) => !given.has(k));
  const unexpectedKeys = [...given.keys()].filter((k) => !own.has(k));
  const mismatched: StateDictMismatch[] = [];
  for (const [key, target] of own) {
    if (!given.has(key)) continue;
    const value = given.get(key);
    if (!(value instanceof Tensor)) mismatched.push({ key, expected: target.shape, got: null });
    else if (value.shape.length !== target.shape.length || value.shape.some((d, i) => d !== target.shape[i])) {
      mismatched.push({ key, expected: target.shape, got: value.shape });
    }
  }
  // As PyTorch: without `strict` missing and unexpected keys are reported, but a wrong shape is always an error.
  if (mismatched.length > 0 || (strict && (missingKeys.length > 0 || unexpectedKeys.length > 0))) {
    throw new StateDictError(moduleName, strict ? missingKeys : [], strict ? unexpectedKeys : [], mismatched);
  }
  for (const [key, target] of own) {
    const value = given.get(key);
    if (value instanceof Tensor) copy_(target, value.dtype === target.dtype ? value : cast(value, target.dtype));
  }
  return { missingKeys, unexpectedKeys };
}
