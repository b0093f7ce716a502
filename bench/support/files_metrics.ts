// The figures of files_bench.ts from its raw samples: one transfer's whole
// path (send → verified Blob on the receiver) and its parts, turned into
// bench-format metrics. MB is 1,000,000 bytes, so MB/s is bytes / µs.
import type { ReceivedTimes, SentTimes } from "./files_page.ts";
import { type Metric, percentile, round } from "./results.ts";

/** One transfer, in milliseconds. */
export interface TransferSample {
  /** Send → Blob verified on the receiver: the whole path. */
  total: number;
  /** SHA-256 on the sender and the XEP-0363 slot request. */
  prepare: number;
  /** The HTTP PUT. */
  upload: number;
  /** PUT answered → the offer seen by the receiving account. */
  offer: number;
  /** Accept → Blob: the HTTP GET and the SHA-256 check. */
  download: number;
}

export function sampleOf(sent: SentTimes, got: ReceivedTimes): TransferSample {
  return {
    total: got.verified - sent.start,
    prepare: sent.uploading - sent.start,
    upload: sent.offered - sent.uploading,
    offer: got.offer - sent.offered,
    download: got.verified - got.offer,
  };
}

/** `1mb`, `5mb`: the size in a metric name. */
export function sizeLabel(bytes: number): string {
  return `${bytes / 1_000_000}mb`;
}

function p50(values: readonly number[]): number {
  return percentile(values.toSorted((a, b) => a - b), 50);
}

/**
 * `<prefix>.MBps` (the median transfer's rate), `.MBps.min` (the slowest
 * run's), `.ms.p50` and `.ms.max` of the whole path, and the median of
 * each part.
 */
export function fileMetrics(
  prefix: string,
  bytes: number,
  samples: readonly TransferSample[],
): Metric[] {
  const n = samples.length;
  const totals = samples.map((s) => s.total);
  const median = p50(totals);
  const slowest = Math.max(...totals);
  const rate = (ms: number) => round(bytes / 1000 / ms, 1);
  const part = (name: keyof TransferSample): Metric => ({
    name: `${prefix}.${name}.ms.p50`,
    value: round(p50(samples.map((s) => s[name]))),
    unit: "ms",
    n,
  });
  return [
    { name: `${prefix}.MBps`, value: rate(median), unit: "MB/s", n },
    { name: `${prefix}.MBps.min`, value: rate(slowest), unit: "MB/s", n },
    { name: `${prefix}.ms.p50`, value: round(median), unit: "ms", n },
    { name: `${prefix}.ms.max`, value: round(slowest), unit: "ms", n },
    part("prepare"),
    part("upload"),
    part("offer"),
    part("download"),
  ];
}
