/**
 * Base class of every error thrown by a tensor op. `op` names the operation, so that a message deep in a
 * network still says where it came from.
 *
 * @example
 * try { add(zeros([2, 3]), zeros([4])); } catch (e) { if (e instanceof ShapeError) console.log(e.op); } // 'add'
 */
export class TensorError extends Error {
  constructor(
    readonly op: string,
    message: string,
  ) {
    super(`${op}: ${message}`);
    this.name = 'TensorError';
  }
}

/** A shape (or axis) that does not fit what the op expects. */
export class ShapeError extends TensorError {
  constructor(op: string, message: string) {
    super(op, message);
    this.name = 'ShapeError';
  }
}

/** A dtype the op does not accept. */
export class DTypeError extends TensorError {
  constructor(op: string, message: string) {
    super(op, message);
    this.name = 'DTypeError';
  }
}

/** A value (argument, index, option) outside what the op accepts. */
export class ValueError extends TensorError {
  constructor(op: string, message: string) {
    super(op, message);
    this.name = 'ValueError';
  }
}

export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
