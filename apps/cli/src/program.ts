import { createRequire } from 'node:module';
import { Command } from 'commander';
import { datasetsCommand } from './commands/datasets.js';
import { evalCommand } from './commands/eval.js';
import { exportCommand } from './commands/export.js';
import { gradcheckCommand } from './commands/gradcheck.js';
import { predictCommand } from './commands/predict.js';
import { summaryCommand } from './commands/summary.js';
import { trainCommand } from './commands/train.js';
import { collect, type GlobalOptions } from './options.js';
import { loadPlugins } from './plugins.js';

// dist/bin.js sits one folder below package.json, which npm always publishes.
const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** The `backprop` command and its subcommands. */
export function createProgram(): Command {
  const program = new Command('backprop')
    .description('Train, evaluate, inspect, gradient-check and export neural networks from JSON configs.')
    .version(version, '-V, --version', 'print the version')
    .option('--json', 'machine-readable output: JSON lines on stdout (the default when stdout is not a terminal)')
    .option('--no-json', 'human-readable output even when stdout is not a terminal')
    .option('--verbose', 'print stack traces of errors')
    .option('--plugin <module>', 'load a module that registers layers (repeatable); its register() export is called', collect)
    // Every command's --help lists these global options too.
    .configureHelp({ showGlobalOptions: true })
    // Errors come back to bin.ts as exceptions, which prints them as ours (`backprop: …`, or JSON) and
    // picks the exit code (commander's own is 1); commander itself prints none.
    .configureOutput({ outputError: () => {} })
    .exitOverride()
    .hook('preAction', async (_program, action) => {
      await loadPlugins(action.optsWithGlobals<GlobalOptions>().plugin ?? []);
    });
  for (const command of [trainCommand(), evalCommand(), predictCommand(), summaryCommand(), gradcheckCommand(), exportCommand(), datasetsCommand()]) {
    // Commands built on their own do not inherit exitOverride and the help hint unless asked to.
    program.addCommand(command.copyInheritedSettings(program));
  }
  return program;
}
