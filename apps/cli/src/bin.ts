import { CommanderError } from 'commander';
import { createProgram } from './program.js';
import { CliError, messageOf } from './errors.js';

/**
 * Runs the CLI and turns every failure into one sentence on stderr and an exit code: 2 for usage and
 * config errors, 1 for failures while running (stack traces with --verbose).
 */
async function main(argv: string[]): Promise<number> {
  const program = createProgram();
  const verbose = argv.includes('--verbose');
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander has printed the message or the help already; only the exit code is ours.
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? 0 : 2;
    }
    const code = e instanceof CliError ? e.exitCode : 1;
    const prefix = e instanceof CliError ? 'backprop: ' : 'backprop: unexpected error: ';
    process.stderr.write(`${prefix}${messageOf(e)}\n`);
    if (verbose && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    else if (!(e instanceof CliError)) process.stderr.write('(run with --verbose for the stack trace)\n');
    return code;
  }
}

process.exitCode = await main(process.argv);
