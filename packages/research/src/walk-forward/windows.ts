export interface TimeSpan {
  /** Inclusive, epoch ms. */
  readonly start: number;
  /** Exclusive, epoch ms. */
  readonly end: number;
}

export interface WalkForwardPlan extends TimeSpan {
  readonly inSampleMs: number;
  readonly outOfSampleMs: number;
  /** In-sample windows all begin at `start` and grow (anchored), or keep their length and roll forward (rolling). */
  readonly anchored: boolean;
}

export interface WalkForwardWindow {
  readonly index: number;
  /** Where the settings are chosen. */
  readonly inSample: TimeSpan;
  /** Where the chosen settings are tested: right after the in-sample span, never overlapping it or another test. */
  readonly outOfSample: TimeSpan;
}

/**
 * The windows of a walk-forward analysis: test spans of `outOfSampleMs` one after another from `start +
 * inSampleMs`, each preceded by its in-sample span. A tail shorter than a whole test span is left out, so every
 * window is tested over the same length of time.
 */
export function walkForwardWindows(plan: WalkForwardPlan): WalkForwardWindow[] {
  const { start, end, inSampleMs, outOfSampleMs, anchored } = plan;
  if (!(inSampleMs > 0 && outOfSampleMs > 0)) throw new RangeError('in-sample and out-of-sample spans must be longer than zero');
  const windows: WalkForwardWindow[] = [];
  for (let testStart = start + inSampleMs; testStart + outOfSampleMs <= end; testStart += outOfSampleMs) {
    windows.push({
      index: windows.length,
      inSample: { start: anchored ? start : testStart - inSampleMs, end: testStart },
      outOfSample: { start: testStart, end: testStart + outOfSampleMs },
    });
  }
  return windows;
}
