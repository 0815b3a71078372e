import { TensorError } from '@backprop/tensor';

/**
 * A file or text that does not follow its format (a ragged CSV row, a bad IDX magic number). `line` is the
 * 1-based line of a text format, counting any header, when there is one.
 *
 * @example
 * try { parseCsv('a,b\n1'); } catch (e) { if (e instanceof DataFormatError) console.log(e.line); } // 2
 */
export class DataFormatError extends TensorError {
  constructor(
    op: string,
    message: string,
    readonly line?: number,
  ) {
    super(op, message);
    this.name = 'DataFormatError';
  }
}

/**
 * Downloaded or read bytes whose SHA-256 digest is not the one promised; both digests are in the message.
 *
 * @example
 * await loadIdx(bytes, { sha256: '00…' }).catch((e) => e instanceof ChecksumError && console.log(e.actual));
 */
export class ChecksumError extends TensorError {
  constructor(
    op: string,
    readonly source: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(op, `SHA-256 of ${source} is ${actual}, expected ${expected}`);
    this.name = 'ChecksumError';
  }
}
