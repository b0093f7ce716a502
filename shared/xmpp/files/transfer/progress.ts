// A transfer's progress for the UI (bar, rate, time left), pure: every
// function takes the time as an argument, so tests need no clock. Upload
// and download report (bytes, total) at whatever pace their chunks come;
// the rate is measured over windows of at least RATE_WINDOW_MS so a burst
// of tiny chunks does not make it jump.

export interface TransferProgress {
  readonly bytes: number;
  readonly total: number;
  /** Bytes per second, smoothed; 0 until a first window has passed. */
  readonly rate: number;
  /** When the current rate window began (ms) and the bytes then. */
  readonly windowAt: number;
  readonly windowBytes: number;
}

export const RATE_WINDOW_MS = 250;
/** The smoothing's time constant: a change of pace shows within ~1 s. */
const SMOOTHING_MS = 1000;

export function startProgress(total: number, now: number): TransferProgress {
  return { bytes: 0, total, rate: 0, windowAt: now, windowBytes: 0 };
}

export function advanceProgress(
  progress: TransferProgress,
  bytes: number,
  now: number,
): TransferProgress {
  const elapsed = now - progress.windowAt;
  if (elapsed < RATE_WINDOW_MS) return { ...progress, bytes };
  const measured = (bytes - progress.windowBytes) * 1000 / elapsed;
  // An exponential moving average weighted by the window's length.
  const rate = progress.rate === 0 ? measured : progress.rate +
    (1 - Math.exp(-elapsed / SMOOTHING_MS)) * (measured - progress.rate);
  return { ...progress, bytes, rate, windowAt: now, windowBytes: bytes };
}

/** 0 … 1, for the bar; an empty file is done as soon as it starts. */
export function progressFraction(progress: TransferProgress): number {
  if (progress.total <= 0) return 1;
  return Math.min(1, Math.max(0, progress.bytes / progress.total));
}

/** Milliseconds left at the current rate, unknown until a rate is measured. */
export function remainingMs(progress: TransferProgress): number | undefined {
  if (progress.rate <= 0) return undefined;
  const left = Math.max(0, progress.total - progress.bytes);
  return Math.ceil(left * 1000 / progress.rate);
}
