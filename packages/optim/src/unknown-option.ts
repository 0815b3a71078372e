import { ValueError } from '@backprop/tensor';

/**
 * Thrown when an optimizer, a parameter group or a schedule is given an option it does not have: a typo
 * such as `weightdecay` would otherwise train silently with the default. `key` is the option given,
 * `known` the valid ones and `suggestion` the closest of them, if one is close.
 *
 * @example
 * try { new SGD(params, { lr: 0.1, weightdecay: 1e-4 } as SGDOptions); }
 * catch (e) { if (e instanceof UnknownOptionError) console.log(e.key, e.suggestion); } // 'weightdecay' 'weightDecay'
 */
export class UnknownOptionError extends ValueError {
  constructor(
    /** The optimizer or schedule, e.g. `'SGD'`. */
    readonly owner: string,
    /** The unknown option as given. */
    readonly key: string,
    /** Every option `owner` takes. */
    readonly known: readonly string[],
    /** The known option closest to `key` (case, `_` and `-` ignored), if any is close. */
    readonly suggestion: string | undefined,
    where = '',
  ) {
    const hint = suggestion === undefined ? '' : `; did you mean "${suggestion}"?`;
    const valid = known.length > 0 ? `valid options: ${known.join(', ')}` : 'it takes no options';
    super(owner, `unknown option "${key}"${where}${hint} (${valid})`);
    this.name = 'UnknownOptionError';
  }
}

/** Lower case without `_` and `-`, so `weight_decay`, `WeightDecay` and `weightdecay` all read `weightdecay`. */
const normalize = (name: string) => name.toLowerCase().replace(/[_-]/g, '');

/** Levenshtein distance (insertions, deletions, substitutions). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * The known name closest to `key`: same letters up to case and `_`/`-` (PyTorch's `weight_decay`), or
 * within about one edit per three letters (`momentun`, `beta`), else `undefined`.
 *
 * @example
 * closestOption('momentun', ['lr', 'momentum']); // 'momentum'
 */
export function closestOption(key: string, known: readonly string[]): string | undefined {
  const target = normalize(key);
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(target, normalize(name));
    if (best === undefined || distance < best.distance) best = { name, distance };
  }
  return best && best.distance <= Math.max(1, Math.floor(target.length / 3)) ? best.name : undefined;
}

/**
 * Throws unless `options` is an object whose keys are all in `known` (plus `extra`, keys allowed there
 * without being options, such as a parameter group's `params`). `where` locates it in messages. Other
 * packages (the training loop) use it so that every options object rejects typos the same way.
 *
 * @example
 * checkOptionKeys('fit', { epoch: 3 }, ['epochs', 'batchSize']); // UnknownOptionError: … did you mean "epochs"?
 */
export function checkOptionKeys(owner: string, options: unknown, known: readonly string[], { where = '', extra = [] as readonly string[] } = {}): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ValueError(owner, `options must be an object { ${known.join(', ')} }${where}, got ${Array.isArray(options) ? 'an array' : String(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key) && !extra.includes(key)) throw new UnknownOptionError(owner, key, known, closestOption(key, known), where);
  }
}
