import { describeLedgerReport, ledgerFromTopics, type LedgerReport, type LedgerTopics } from '@sentiment/testing';

export interface LedgerFigures {
  inputs: number;
  results: number;
  deadLetters: number;
  lost: number;
  /** Inputs with more than one outcome. */
  duplicatedInputs: number;
  /** Outcomes beyond the first, summed over the duplicated inputs. */
  extraOutcomes: number;
  unknown: number;
}

export function ledgerFigures(report: LedgerReport): LedgerFigures {
  return {
    inputs: report.inputs,
    results: report.results,
    deadLetters: report.deadLetters,
    lost: report.lost.length,
    duplicatedInputs: report.duplicates.length,
    extraOutcomes: report.duplicates.reduce((n, d) => n + d.results + d.deadLetters - 1, 0),
    unknown: report.unknown.length,
  };
}

/**
 * Balances the topics until no input is left without an outcome (the worker has caught up),
 * or the time is up; returns the last report either way so the caller asserts on it and a
 * failure names the lost offsets.
 */
export async function waitForNothingLost(bootstrap: string, topics: LedgerTopics, timeoutMs = 90000): Promise<LedgerReport> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const report = await ledgerFromTopics(bootstrap, topics);
    if ((report.inputs > 0 && report.lost.length === 0) || Date.now() > deadline) return report;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** For assertion messages: `expect(summary(report)).toMatchObject({ lost: 0 })` prints the offsets on failure. */
export function summary(report: LedgerReport): LedgerFigures & { text: string } {
  return { ...ledgerFigures(report), text: describeLedgerReport(report) };
}

/** Prints the figures a test measured (docs/reliability.md quotes them). */
export function reportFigures(test: string, figures: Record<string, unknown>): void {
  process.stderr.write(`[reliability] ${test}: ${JSON.stringify(figures)}\n`);
}
