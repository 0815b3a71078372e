import { ModelFileError } from '../errors.js';

// A pickle reader that executes nothing. Python's pickle is a small stack machine whose GLOBAL and REDUCE
// opcodes import and call arbitrary functions; that is how a .pt file can run code. This reader builds only
// plain values (numbers, strings, lists, tuples, dicts) and resolves the few callables a state_dict needs
// against a fixed table; any other callable is refused before anything could happen.

/** A Python tuple (kept apart from lists, as `_rebuild_tensor_v2`'s arguments are tuples). */
export class PyTuple {
  constructor(readonly items: readonly PyValue[]) {}
}

/** A `module.name` reference a GLOBAL opcode pushed: only a name until REDUCE resolves it. */
export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}

  get qualified(): string {
    return `${this.module}.${this.name}`;
  }
}

export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PyValue[]
  | PyTuple
  | Map<PyValue, PyValue>
  | PyGlobal
  | { readonly kind: string };

/** How the allowed callables turn their arguments into values, keyed by `module.name`. */
export type Rebuilders = Record<string, (args: readonly PyValue[]) => PyValue>;

export interface UnpickleOptions {
  /** The callables REDUCE may apply; everything else is refused. */
  rebuilders: Rebuilders;
  /** Globals that may appear as values but never be called (torch's storage classes). */
  values: ReadonlySet<string>;
  /** Resolves BINPERSID's persistent ids (torch: storages stored as separate zip members). */
  persistentLoad(pid: PyValue): PyValue;
  source?: string;
}

const MARK = Symbol('mark');
type StackItem = PyValue | typeof MARK;

/** Reads one pickle (protocols 2–5) into plain values, calling only `options.rebuilders`. */
export function unpickle(bytes: Uint8Array, options: UnpickleOptions): PyValue {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: StackItem[] = [];
  const memo = new Map<number, PyValue>();
  const text = new TextDecoder('utf-8', { fatal: true });
  let at = 0;
  const fail = (why: string): never => {
    throw new ModelFileError(`the pickle in this PyTorch file ${why}`, options.source);
  };
  const need = (n: number): number => {
    if (at + n > bytes.length) fail(`ends in the middle of an opcode at byte ${at}`);
    const start = at;
    at += n;
    return start;
  };
  const pop = (): PyValue => {
    const v = stack.pop();
    if (v === undefined || v === MARK) fail(`pops an empty stack at byte ${at}`);
    return v as PyValue;
  };
  const top = (): PyValue => {
    const v = stack[stack.length - 1];
    if (v === undefined || v === MARK) fail(`reads an empty stack at byte ${at}`);
    return v as PyValue;
  };
  const popMark = (): PyValue[] => {
    const k = stack.lastIndexOf(MARK);
    if (k < 0) fail(`has no MARK to pop to at byte ${at}`);
    const items = stack.splice(k) as PyValue[];
    items.shift();
    return items;
  };
  const line = (): string => {
    const end = bytes.indexOf(0x0a, at);
    if (end < 0) fail(`has an unterminated name at byte ${at}`);
    const s = new TextDecoder('latin1').decode(bytes.subarray(at, end));
    at = end + 1;
    return s;
  };
  const str = (n: number): string => {
    const start = need(n);
    try {
      return text.decode(bytes.subarray(start, start + n));
    } catch {
      return fail(`holds a string that is not UTF-8 at byte ${start}`);
    }
  };
  const setItems = (target: PyValue, items: PyValue[]): void => {
    if (!(target instanceof Map)) fail('sets items on something that is not a dict');
    if (items.length % 2 !== 0) fail('sets a key without a value');
    for (let i = 0; i < items.length; i += 2) (target as Map<PyValue, PyValue>).set(items[i], items[i + 1]);
  };
  const global = (module: string, name: string): PyGlobal => {
    const g = new PyGlobal(module, name);
    if (!(g.qualified in options.rebuilders) && !options.values.has(g.qualified)) {
      fail(`refers to '${g.qualified}', which a state_dict never needs: refusing to load it (only tensors and plain containers are rebuilt; nothing is executed)`);
    }
    return g;
  };
  const int = (n: bigint): number | bigint => (n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n);
  const long = (length: number): number | bigint => {
    const start = need(length);
    let n = 0n;
    for (let i = length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[start + i]);
    if (length > 0 && bytes[start + length - 1] & 0x80) n -= 1n << BigInt(8 * length);
    return int(n);
  };

  for (;;) {
    const op = bytes[need(1)];
    switch (op) {
      case 0x80: need(1); break; // PROTO
      case 0x95: need(8); break; // FRAME: a length hint only
      case 0x2e: return pop(); // STOP
      case 0x28: stack.push(MARK); break;
      case 0x30: pop(); break; // POP
      case 0x31: popMark(); break; // POP_MARK
      case 0x32: stack.push(top()); break; // DUP
      case 0x4e: stack.push(null); break;
      case 0x88: stack.push(true); break;
      case 0x89: stack.push(false); break;
      case 0x4a: stack.push(view.getInt32(need(4), true)); break; // BININT
      case 0x4b: stack.push(bytes[need(1)]); break; // BININT1
      case 0x4d: stack.push(view.getUint16(need(2), true)); break; // BININT2
      case 0x8a: stack.push(long(bytes[need(1)])); break; // LONG1
      case 0x8b: { // LONG4
        const n = view.getInt32(need(4), true);
        if (n < 0 || n > 64) fail(`has a ${n}-byte integer`);
        stack.push(long(n));
        break;
      }
      case 0x47: stack.push(view.getFloat64(need(8), false)); break; // BINFLOAT (big-endian)
      case 0x58: stack.push(str(view.getUint32(need(4), true))); break; // BINUNICODE
      case 0x8c: stack.push(str(bytes[need(1)])); break; // SHORT_BINUNICODE
      case 0x8d: stack.push(str(Number(view.getBigUint64(need(8), true)))); break; // BINUNICODE8
      case 0x55: { const n = bytes[need(1)]; const s = need(n); stack.push(new TextDecoder('latin1').decode(bytes.subarray(s, s + n))); break; } // SHORT_BINSTRING
      case 0x43: { const n = bytes[need(1)]; const s = need(n); stack.push(bytes.slice(s, s + n)); break; } // SHORT_BINBYTES
      case 0x42: { const n = view.getUint32(need(4), true); const s = need(n); stack.push(bytes.slice(s, s + n)); break; } // BINBYTES
      case 0x29: stack.push(new PyTuple([])); break; // EMPTY_TUPLE
      case 0x74: stack.push(new PyTuple(popMark())); break; // TUPLE
      case 0x85: stack.push(new PyTuple([pop()])); break; // TUPLE1
      case 0x86: { const b = pop(); const a = pop(); stack.push(new PyTuple([a, b])); break; } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); const a = pop(); stack.push(new PyTuple([a, b, c])); break; } // TUPLE3
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x6c: stack.push(popMark()); break; // LIST
      case 0x61: { const v = pop(); const list = top(); if (!Array.isArray(list)) fail('appends to something that is not a list'); (list as PyValue[]).push(v); break; } // APPEND
      case 0x65: { const items = popMark(); const list = top(); if (!Array.isArray(list)) fail('appends to something that is not a list'); (list as PyValue[]).push(...items); break; } // APPENDS
      case 0x7d: stack.push(new Map()); break; // EMPTY_DICT
      case 0x64: { const d = new Map<PyValue, PyValue>(); setItems(d, popMark()); stack.push(d); break; } // DICT
      case 0x73: { const v = pop(); const k = pop(); setItems(top(), [k, v]); break; } // SETITEM
      case 0x75: { const items = popMark(); setItems(top(), items); break; } // SETITEMS
      case 0x71: memo.set(bytes[need(1)], top()); break; // BINPUT
      case 0x72: memo.set(view.getUint32(need(4), true), top()); break; // LONG_BINPUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x68: case 0x6a: { // BINGET, LONG_BINGET
        const key = op === 0x68 ? bytes[need(1)] : view.getUint32(need(4), true);
        if (!memo.has(key)) fail(`reads memo slot ${key}, which was never written`);
        stack.push(memo.get(key)!);
        break;
      }
      case 0x63: { const module = line(); stack.push(global(module, line())); break; } // GLOBAL
      case 0x93: { const name = pop(); const module = pop(); if (typeof module !== 'string' || typeof name !== 'string') fail('has a STACK_GLOBAL without names'); stack.push(global(module as string, name as string)); break; }
      case 0x51: stack.push(options.persistentLoad(pop())); break; // BINPERSID
      case 0x52: { // REDUCE
        const args = pop();
        const callable = pop();
        if (!(callable instanceof PyGlobal) || !(args instanceof PyTuple)) fail('calls something that is not an allowed function');
        const rebuild = options.rebuilders[(callable as PyGlobal).qualified];
        if (!rebuild) fail(`calls '${(callable as PyGlobal).qualified}', which is not allowed`);
        stack.push(rebuild((args as PyTuple).items));
        break;
      }
      case 0x62: { // BUILD: an object's __setstate__; a state_dict's OrderedDict carries `_metadata` this way
        pop();
        if (!(top() instanceof Map)) fail('sets the state of an object, which only a dict may have here');
        break;
      }
      default:
        fail(`uses opcode 0x${op.toString(16).padStart(2, '0')} at byte ${at - 1}, which a saved state_dict does not need (refused: it could build or call arbitrary objects)`);
    }
  }
}
