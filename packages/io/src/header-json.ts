/**
 * A strict JSON reader for safetensors headers that accepts exactly what the reference Rust reader
 * (safetensors 0.8, through serde_json) accepts where `JSON.parse` is laxer:
 * - it keeps integer literals apart from float literals (`4`, not `4e0` or `4.0`, is a valid offset) and
 *   keeps integers past 2^53 exact (as bigint), so shape products can be checked for u64 overflow;
 * - it rejects escapes that decode to a lone UTF-16 surrogate (`"\ud800"`), which Rust strings cannot hold;
 * - it limits nesting as serde_json does (at most 127 open brackets), so depth never costs stack;
 * - objects come back as `Map`s that remember which keys were repeated (serde refuses a repeated
 *   `__metadata__` or a repeated field of a tensor entry, but lets a later tensor of the same name win).
 */

/** A float literal (`0.0`, `4e0`): kept apart from integers, which offsets and shapes must be. */
export class JsonFloat {
  constructor(
    readonly value: number,
    readonly text: string,
  ) {}
}

/** An object: its entries (a repeated key keeps its last value) and the keys that appeared more than once. */
export class JsonObject {
  readonly entries = new Map<string, JsonValue>();
  readonly repeated = new Set<string>();
}

export type JsonValue = string | number | bigint | boolean | null | JsonFloat | JsonValue[] | JsonObject;

/** serde_json's default recursion limit: the 128th nested bracket is refused. */
export const MAX_HEADER_NESTING = 127;

/** Thrown for text the reader refuses; `at` is the character offset. */
export class HeaderSyntaxError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(`${message} at character ${at}`);
  }
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
// eslint-disable-next-line no-control-regex -- control characters are what a JSON string must not hold raw
const SPECIAL = /["\\\u0000-\u001f]/g;

/** Parses `text` as one JSON value (whitespace around it allowed, nothing else). */
export function parseHeaderJson(text: string): JsonValue {
  let i = 0;
  const n = text.length;
  const fail = (message: string): never => {
    throw new HeaderSyntaxError(message, i);
  };
  const skipWs = () => {
    while (i < n && WS.has(text.charCodeAt(i))) i++;
  };

  const parseString = (): string => {
    // At the opening quote.
    i++;
    let out = '';
    let start = i;
    for (;;) {
      // Jump to the next quote, backslash or control character.
      SPECIAL.lastIndex = i;
      if (!SPECIAL.test(text)) {
        i = n;
        fail('unterminated string');
      }
      i = SPECIAL.lastIndex - 1;
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(start, i);
        i++;
        return out;
      }
      if (c < 0x20) fail('control character in a string');
      out += text.slice(start, i);
      i++;
      const e = text[i++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          const unit = readHex();
          if (unit >= 0xdc00 && unit <= 0xdfff) fail('lone trailing surrogate in a \\u escape');
          if (unit >= 0xd800 && unit <= 0xdbff) {
            if (text[i] !== '\\' || text[i + 1] !== 'u') fail('lone leading surrogate in a \\u escape');
            i += 2;
            const low = readHex();
            if (low < 0xdc00 || low > 0xdfff) fail('lone leading surrogate in a \\u escape');
            out += String.fromCharCode(unit, low);
          } else {
            out += String.fromCharCode(unit);
          }
          break;
        }
        default:
          fail(`invalid escape \\${e ?? ''}`);
      }
      start = i;
    }
  };
  const readHex = (): number => {
    const hex = text.slice(i, i + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid \\u escape');
    i += 4;
    return parseInt(hex, 16);
  };

  const parseNumber = (): number | bigint | JsonFloat => {
    const start = i;
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else if (text[i] >= '1' && text[i] <= '9') while (text[i] >= '0' && text[i] <= '9') i++;
    else fail('invalid number');
    let float = false;
    if (text[i] === '.') {
      float = true;
      i++;
      if (!(text[i] >= '0' && text[i] <= '9')) fail('invalid number');
      while (text[i] >= '0' && text[i] <= '9') i++;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      float = true;
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!(text[i] >= '0' && text[i] <= '9')) fail('invalid number');
      while (text[i] >= '0' && text[i] <= '9') i++;
    }
    const literal = text.slice(start, i);
    if (float) return new JsonFloat(Number(literal), literal);
    const value = Number(literal);
    return Number.isSafeInteger(value) ? (value === 0 ? 0 : value) : BigInt(literal);
  };

  const parseLiteral = (word: string, value: JsonValue): JsonValue => {
    if (text.startsWith(word, i)) {
      i += word.length;
      return value;
    }
    return fail('invalid value');
  };

  const parseValue = (depth: number): JsonValue => {
    skipWs();
    const c = text[i];
    if (c === '{' || c === '[') {
      if (depth + 1 > MAX_HEADER_NESTING) fail(`nesting deeper than ${MAX_HEADER_NESTING} levels (the limit serde_json keeps)`);
      return c === '{' ? parseObject(depth + 1) : parseArray(depth + 1);
    }
    if (c === '"') return parseString();
    if (c === 't') return parseLiteral('true', true);
    if (c === 'f') return parseLiteral('false', false);
    if (c === 'n') return parseLiteral('null', null);
    if (c === '-' || (c >= '0' && c <= '9')) return parseNumber();
    return fail(i >= n ? 'unexpected end of the header' : `unexpected character ${JSON.stringify(c)}`);
  };

  const parseArray = (depth: number): JsonValue[] => {
    i++;
    const out: JsonValue[] = [];
    skipWs();
    if (text[i] === ']') {
      i++;
      return out;
    }
    for (;;) {
      out.push(parseValue(depth));
      skipWs();
      if (text[i] === ',') i++;
      else if (text[i] === ']') {
        i++;
        return out;
      } else fail("expected ',' or ']'");
    }
  };

  const parseObject = (depth: number): JsonObject => {
    i++;
    const out = new JsonObject();
    skipWs();
    if (text[i] === '}') {
      i++;
      return out;
    }
    for (;;) {
      skipWs();
      if (text[i] !== '"') fail('expected a string key');
      const key = parseString();
      skipWs();
      if (text[i] !== ':') fail("expected ':'");
      i++;
      const value = parseValue(depth);
      if (out.entries.has(key)) out.repeated.add(key);
      out.entries.set(key, value);
      skipWs();
      if (text[i] === ',') i++;
      else if (text[i] === '}') {
        i++;
        return out;
      } else fail("expected ',' or '}'");
    }
  };

  const value = parseValue(0);
  skipWs();
  if (i < n) fail('trailing characters after the header object');
  return value;
}

/** A short rendering of a parsed value for error messages (floats as written, bigints exact). */
export function showJson(value: JsonValue | undefined, limit = 80): string {
  const text = render(value, 0);
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

function render(value: JsonValue | undefined, depth: number): string {
  if (value === undefined) return 'nothing';
  if (depth > 3) return '…';
  if (value instanceof JsonFloat) return value.text;
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return `[${value.slice(0, 8).map((v) => render(v, depth + 1)).join(', ')}${value.length > 8 ? ', …' : ''}]`;
  if (value instanceof JsonObject) {
    const keys = [...value.entries.keys()];
    return `{${keys.slice(0, 4).map((k) => `${JSON.stringify(k)}: ${render(value.entries.get(k), depth + 1)}`).join(', ')}${keys.length > 4 ? ', …' : ''}}`;
  }
  return JSON.stringify(value);
}
