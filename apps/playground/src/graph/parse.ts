// Expressions the graph explorer accepts: numbers, variables, + − · / ^, unary minus, and the classic
// functions. Parsed by precedence climbing into a computational graph in which a variable used twice is
// one node with two outgoing edges, so the backward pass shows gradients adding up where paths meet.

/** The operations a graph node can compute. */
export type Op = 'input' | 'const' | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'neg' | FunctionName;

export const FUNCTIONS = ['sin', 'cos', 'exp', 'log', 'tanh', 'sigmoid', 'relu', 'sqrt', 'square'] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

/** One node: an input (a variable), a constant, or an operation on earlier nodes (`inputs` are indices). */
export interface GraphNode {
  readonly id: number;
  readonly op: Op;
  readonly inputs: readonly number[];
  /** The variable's name, the constant's value, or the operation's symbol. */
  readonly label: string;
  /** For constants, the value. */
  readonly value?: number;
}

/** A parsed expression: nodes in topological order (every input before its uses); the last is the output. */
export interface Graph {
  readonly nodes: readonly GraphNode[];
  readonly variables: readonly string[];
  readonly output: number;
}

export class ParseError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
    this.name = 'ParseError';
  }
}

type Token = { kind: 'num'; value: number; at: number } | { kind: 'name'; name: string; at: number } | { kind: 'sym'; sym: string; at: number };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i++;
    } else if (/[0-9.]/.test(c)) {
      const m = /^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?/i.exec(source.slice(i))!;
      if (!m) throw new ParseError(`'${c}' does not start a number`, i);
      tokens.push({ kind: 'num', value: Number(m[0]), at: i });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z_0-9]*/.exec(source.slice(i))!;
      tokens.push({ kind: 'name', name: m[0], at: i });
      i += m[0].length;
    } else if ('+-*/^(),·×−'.includes(c)) {
      const sym = c === '·' || c === '×' ? '*' : c === '−' ? '-' : c;
      tokens.push({ kind: 'sym', sym, at: i });
      i++;
    } else {
      throw new ParseError(`unexpected character '${c}'`, i);
    }
  }
  return tokens;
}

const BINARY: Record<string, { precedence: number; right: boolean; op: Op }> = {
  '+': { precedence: 1, right: false, op: 'add' },
  '-': { precedence: 1, right: false, op: 'sub' },
  '*': { precedence: 2, right: false, op: 'mul' },
  '/': { precedence: 2, right: false, op: 'div' },
  '^': { precedence: 4, right: true, op: 'pow' },
};

const SYMBOLS: Partial<Record<Op, string>> = { add: '+', sub: '−', mul: '·', div: '/', pow: '^', neg: '−' };

/**
 * Parses `source` (for example `x * y + sin(x)`) into a graph. Variables are any other names; each becomes
 * one input node however often it appears.
 */
export function parseExpression(source: string): Graph {
  const tokens = tokenize(source);
  const nodes: GraphNode[] = [];
  const variables = new Map<string, number>();
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const add = (op: Op, inputs: number[], label: string, value?: number): number => {
    nodes.push({ id: nodes.length, op, inputs, label, value });
    return nodes.length - 1;
  };
  const expectSym = (sym: string): void => {
    const t = tokens[pos];
    if (!t || t.kind !== 'sym' || t.sym !== sym) {
      throw new ParseError(`expected '${sym}' ${t ? `at position ${t.at + 1}` : 'at the end'}`, t?.at ?? source.length);
    }
    pos++;
  };

  const primary = (): number => {
    const t = tokens[pos++];
    if (!t) throw new ParseError('the expression ends where a value was expected', source.length);
    if (t.kind === 'num') return add('const', [], String(t.value), t.value);
    if (t.kind === 'sym' && t.sym === '(') {
      const inner = expression(0);
      expectSym(')');
      return inner;
    }
    if (t.kind === 'sym' && t.sym === '-') return add('neg', [expression(3)], '−');
    if (t.kind === 'name') {
      if ((FUNCTIONS as readonly string[]).includes(t.name)) {
        expectSym('(');
        const arg = expression(0);
        expectSym(')');
        return add(t.name as FunctionName, [arg], t.name);
      }
      if (peek()?.kind === 'sym' && (peek() as { sym: string }).sym === '(') {
        throw new ParseError(`unknown function '${t.name}' (known: ${FUNCTIONS.join(', ')})`, t.at);
      }
      let id = variables.get(t.name);
      if (id === undefined) {
        id = add('input', [], t.name);
        variables.set(t.name, id);
      }
      return id;
    }
    throw new ParseError(`unexpected '${(t as { sym: string }).sym}' at position ${t.at + 1}`, t.at);
  };

  const expression = (minPrecedence: number): number => {
    let left = primary();
    for (;;) {
      const t = peek();
      if (!t || t.kind !== 'sym' || !(t.sym in BINARY)) break;
      const { precedence, right, op } = BINARY[t.sym];
      if (precedence < minPrecedence) break;
      pos++;
      const rhs = expression(right ? precedence : precedence + 1);
      left = add(op, [left, rhs], SYMBOLS[op]!);
    }
    return left;
  };

  if (tokens.length === 0) throw new ParseError('type an expression, for example x * y + sin(x)', 0);
  const output = expression(0);
  if (pos < tokens.length) throw new ParseError(`unexpected '${describe(tokens[pos])}' at position ${tokens[pos].at + 1}`, tokens[pos].at);
  if (variables.size === 0) throw new ParseError('the expression has no variables to differentiate by', 0);
  return { nodes, variables: [...variables.keys()], output };
}

function describe(t: Token): string {
  return t.kind === 'num' ? String(t.value) : t.kind === 'name' ? t.name : t.sym;
}
