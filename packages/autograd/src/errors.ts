/** An error in differentiation: a gradient asked through a non-differentiable op, a released graph, … */
export class AutogradError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AutogradError';
  }
}
