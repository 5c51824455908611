import type { ReplayDecision, SkipWhy } from './replay-decision';

export interface ReasonCounts {
  replayed: number;
  skipped: Partial<Record<SkipWhy | 'null-headers-unsupported', number>>;
  /** Before the reason's progress: handled by an earlier run. */
  alreadyHandled: number;
  /** After --until: left for a later run. */
  left: number;
}

/** Counts per reason, and the table printed at the end of a run. */
export class ReplaySummary {
  readonly byReason = new Map<string, ReasonCounts>();

  private counts(reason: string): ReasonCounts {
    let c = this.byReason.get(reason);
    if (!c) {
      c = { replayed: 0, skipped: {}, alreadyHandled: 0, left: 0 };
      this.byReason.set(reason, c);
    }
    return c;
  }

  add(decision: ReplayDecision): void {
    if (decision.action === 'ignore') return;
    const c = this.counts(decision.reason);
    if (decision.action === 'replay') c.replayed++;
    else if (decision.action === 'skip') c.skipped[decision.why] = (c.skipped[decision.why] ?? 0) + 1;
    else c.left++;
  }

  skip(reason: string, why: 'null-headers-unsupported'): void {
    const c = this.counts(reason);
    c.skipped[why] = (c.skipped[why] ?? 0) + 1;
  }

  alreadyHandled(reason: string): void {
    this.counts(reason).alreadyHandled++;
  }

  total(field: 'replayed' | 'alreadyHandled' | 'left'): number {
    let n = 0;
    for (const c of this.byReason.values()) n += c[field];
    return n;
  }

  format(dryRun: boolean): string {
    const rows = [...this.byReason.entries()].sort(([a], [b]) => a.localeCompare(b));
    const lines = [`${'reason'.padEnd(28)} ${dryRun ? 'would replay' : 'replayed'.padStart(12)}  skipped (why)`];
    for (const [reason, c] of rows) {
      const skipped = Object.entries(c.skipped).map(([why, n]) => `${n} ${why}`);
      if (c.alreadyHandled > 0) skipped.push(`${c.alreadyHandled} already handled`);
      if (c.left > 0) skipped.push(`${c.left} after --until`);
      lines.push(`${reason.padEnd(28)} ${String(c.replayed).padStart(12)}  ${skipped.join(', ') || '-'}`);
    }
    if (rows.length === 0) lines.push('(no dead letters for this run)');
    return lines.join('\n');
  }
}
