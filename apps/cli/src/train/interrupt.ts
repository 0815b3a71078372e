/**
 * Ctrl-C during training: the first one aborts `fit` after the current step (the last checkpoint stays
 * as it is), a second one quits at once. Exit code 130 is the shell's convention for SIGINT.
 */
export function interruptOnSigint(): { signal: AbortSignal; dispose(): void; onInterrupt(end: () => void): void } {
  const controller = new AbortController();
  // Ends whatever is on the current line before the message: the progress bar, or the `^C` that a
  // terminal echoes where the cursor is.
  let endLine: () => void = () => {
    if (process.stderr.isTTY) process.stderr.write('\n');
  };
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    endLine();
    process.stderr.write('stopping after the current step (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint), onInterrupt: (end) => void (endLine = end) };
}

export const SIGINT_EXIT_CODE = 130;
