/**
 * Every problem with a model file: a truncated or malformed file, a header that lies about offsets, a
 * tensor of the wrong shape, a format version from the future. `path` names the file when there is one.
 */
export class ModelFileError extends Error {
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(path ? `${path}: ${message}` : message);
    this.name = 'ModelFileError';
  }
}
