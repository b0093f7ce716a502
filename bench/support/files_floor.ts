// The floor under the attachment figures: the same bytes PUT and GET by
// bare XHR and fetch in the same Chromium pages, to slots a Deno client asks
// the same Prosody for (XEP-0363 §4). What the whole path takes above these
// is the core's (hash, slot, offer, progress, bounded read, hash check).
import type { Page } from "playwright-core";
import { client } from "../../shared/xmpp/session/client.ts";
import {
  query,
  slotOf,
  slotRequest,
} from "../../tests/support/upload_probe.ts";
import type { FilesPageApi } from "./files_page.ts";
import { type Metric, percentile, round } from "./results.ts";

type FilesWindow = { filesBench?: FilesPageApi };

export interface FloorServer {
  readonly boshUrl: string;
  readonly uploadJid: string;
  readonly domain: string;
  readonly username: string;
  readonly password: string;
}

/**
 * `runs` bare PUTs of `size` bytes from `sender`, each followed by a bare
 * GET of it from `receiver`: `http.put.<label>.ms.p50` and
 * `http.get.<label>.ms.p50`.
 */
export async function httpFloor(
  server: FloorServer,
  sender: Page,
  receiver: Page,
  size: number,
  label: string,
  runs: number,
): Promise<Metric[]> {
  const xmpp = client({
    service: server.boshUrl,
    domain: server.domain,
    username: server.username,
    password: server.password,
  });
  await xmpp.start();
  const puts: number[] = [];
  const gets: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const slot = slotOf(
        await query(
          xmpp,
          slotRequest(
            server.uploadJid,
            size,
            `floor-${i}.bin`,
            "application/octet-stream",
          ),
        ),
      );
      puts.push(
        await sender.evaluate(
          ([url, headers, size]) =>
            (globalThis as FilesWindow).filesBench!.rawPut(url, headers, size),
          [slot.put, slot.headers, size] as const,
        ),
      );
      gets.push(
        await receiver.evaluate(
          ([url, size]) =>
            (globalThis as FilesWindow).filesBench!.rawGet(url, size),
          [slot.get, size] as const,
        ),
      );
    }
  } finally {
    await xmpp.stop();
  }
  const p50 = (values: number[]) =>
    round(percentile(values.toSorted((a, b) => a - b), 50));
  return [
    { name: `http.put.${label}.ms.p50`, value: p50(puts), unit: "ms", n: runs },
    { name: `http.get.${label}.ms.p50`, value: p50(gets), unit: "ms", n: runs },
  ];
}
