/**
 * Errors the CLI reports as one sentence. `exitCode` 2 means the command or config was wrong (usage),
 * 1 that something failed while running.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

/** A config field that is wrong: the message starts with its JSON path (`$.optimizer.lr: …`). */
export class ConfigError extends UsageError {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'ConfigError';
  }
}

/** The message of anything thrown, without the class-name prefix that Node adds to stacks. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
