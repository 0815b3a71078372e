// README blocks that fail today and are kept out of the checked set until their README is fixed.
//
// Each entry pins the block's text by hash: it applies only while the README still holds exactly that
// text, and its test then expects the block to FAIL. So a fixed README makes the test fail with
// "remove its entry", and an edited-but-still-broken block is run and reported like any other.
// The only valid reason for an entry is a README bug whose exact fix has been handed to the lead.

export interface KnownBroken {
  /** Package name, e.g. `@backprop/layers`. */
  packageName: string;
  /** 1-based position among the README's ts/js blocks. */
  block: number;
  /** `blockHash` of the block's current (broken) text. */
  hash: string;
  /** What is wrong, and where the fix is recorded. */
  reason: string;
}

export const KNOWN_BROKEN: KnownBroken[] = [];
