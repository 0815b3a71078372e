import { CommanderError } from 'commander';
import { createProgram } from './program.js';
import { CliError, messageOf } from './errors.js';
import { isJsonMode } from './options.js';

/** Commander's own messages start with `error: `; ours start with `backprop: ` everywhere. */
const commanderMessage = (e: CommanderError) => e.message.replace(/^error: /, '');

/**
 * Writes a failure on stderr: one sentence for people, and in JSON mode also one `{"event": "error"}`
 * line for scripts (which read the lines that start with `{`).
 */
function report(message: string, exitCode: number, json: boolean, stack?: string): void {
  process.stderr.write(`backprop: ${message}\n`);
  if (stack) process.stderr.write(`${stack}\n`);
  if (json) process.stderr.write(`${JSON.stringify({ event: 'error', message, exitCode })}\n`);
}

/**
 * Runs the CLI and turns every failure into one sentence on stderr and an exit code: 2 for usage and
 * config errors, 1 for failures while running (stack traces with --verbose).
 */
async function main(argv: string[]): Promise<number> {
  const program = createProgram();
  const verbose = argv.includes('--verbose');
  const json = isJsonMode(argv.includes('--no-json') ? false : argv.includes('--json') || undefined);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
      // `backprop help` asks for the help (exit code 0); `backprop` alone is missing its command.
      if (e.code === 'commander.help') {
        if (e.exitCode === 0) return 0;
        report('no command given; the help above lists them (e.g. backprop train)', 2, json);
        return 2;
      }
      report(`${commanderMessage(e)} (run with --help for usage)`, 2, json);
      return 2;
    }
    const code = e instanceof CliError ? e.exitCode : 1;
    const message = e instanceof CliError ? messageOf(e) : `unexpected error: ${messageOf(e)}`;
    const stack = verbose && e instanceof Error && e.stack ? e.stack : undefined;
    report(message, code, json, stack);
    if (!stack && !(e instanceof CliError)) process.stderr.write('(run with --verbose for the stack trace)\n');
    return code;
  }
}

process.exitCode = await main(process.argv);
