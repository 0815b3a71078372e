// One line per problem, `<package>: <what> (expected <what>)`, and a non-zero exit when there was any.
export class Report {
  constructor(check) {
    this.check = check;
    this.problems = [];
  }

  problem(pkg, what, expected) {
    const line = `✗ [${this.check}] ${pkg}: ${what}${expected ? ` (expected ${expected})` : ''}`;
    this.problems.push(line);
    console.log(line);
  }

  ok(pkg, what) {
    console.log(`✓ [${this.check}] ${pkg}: ${what}`);
  }

  info(text) {
    console.log(`  [${this.check}] ${text}`);
  }

  get failed() {
    return this.problems.length > 0;
  }
}

/** Runs a check's main function when its file is the entry script, and sets the exit code. */
export async function runStandalone(importMetaUrl, main) {
  const { fileURLToPath } = await import('node:url');
  if (process.argv[1] && fileURLToPath(importMetaUrl) === (await import('node:path')).resolve(process.argv[1])) {
    const started = Date.now();
    const report = await main();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (report.failed) {
      console.log(`${report.check}: ${report.problems.length} problem(s) in ${seconds}s`);
      process.exitCode = 1;
    } else {
      console.log(`${report.check}: no problems in ${seconds}s`);
    }
  }
}
