/** A failure during training that a person can act on: a non-finite loss, a bad option, a shape mismatch. */
export class TrainingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrainingError';
  }
}
