/**
 * Ctrl-C during training: the first one aborts `fit` after the current step (the last checkpoint stays
 * as it is), a second one quits at once. Exit code 130 is the shell's convention for SIGINT.
 */
export function interruptOnSigint(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nstopping after the current step (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}

export const SIGINT_EXIT_CODE = 130;
