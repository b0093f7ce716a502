import assert from "node:assert/strict";
import {
  fetchChatServerSettings,
  type FetchedSettings,
  SettingsFetchError,
  type SettingsFetchErrorKind,
} from "./settings_client.ts";
import { type ChatServerSettings, defaultSettings } from "./settings_schema.ts";

const URL_ = "https://desktop.example.com/api/chat-server-settings";

const SAVED: ChatServerSettings = {
  primary: "https://imp1.example.com:5280/http-bind",
  secondary: "https://imp2.example.com:5280/http-bind",
  attachments: { enabled: false, maxBytes: 1024, allowedTypes: [".pdf"] },
};

function answering(
  body: BodyInit | null,
  init: ResponseInit = {},
): { fetch: typeof fetch; requests: Request[] } {
  const requests: Request[] = [];
  const fetch = ((input: RequestInfo | URL, requestInit?: RequestInit) => {
    requests.push(new Request(input, requestInit));
    return Promise.resolve(new Response(body, init));
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

function json(value: unknown, headers: Record<string, string> = {}) {
  return answering(JSON.stringify(value), {
    headers: { "Content-Type": "application/json", ...headers },
  });
}

async function fetched(
  stub: { fetch: typeof fetch },
): Promise<FetchedSettings> {
  const result = await fetchChatServerSettings(URL_, { fetch: stub.fetch });
  if (result instanceof SettingsFetchError) {
    assert.fail(`expected settings, got ${result.kind}: ${result.message}`);
  }
  return result;
}

async function failure(
  stub: { fetch: typeof fetch },
  kind: SettingsFetchErrorKind,
  options: { maxBytes?: number; signal?: AbortSignal } = {},
): Promise<SettingsFetchError> {
  const result = await fetchChatServerSettings(URL_, {
    fetch: stub.fetch,
    ...options,
  });
  assert.ok(
    result instanceof SettingsFetchError,
    `expected a ${kind} failure, got ${JSON.stringify(result)}`,
  );
  assert.equal(result.kind, kind, result.message);
  return result;
}

Deno.test("fetchChatServerSettings", async (t) => {
  await t.step("returns validated settings and the ETag", async () => {
    const stub = json(SAVED, { ETag: '"s-42"' });
    const result = await fetched(stub);
    assert.deepEqual(result, { settings: SAVED, etag: '"s-42"' });
    assert.equal(stub.requests[0].method, "GET");
    assert.equal(stub.requests[0].headers.get("Accept"), "application/json");
  });

  await t.step("normalizes what it accepts, as the service does", async () => {
    const result = await fetched(
      json({ ...SAVED, primary: "HTTPS://IMP1.Example.com:443/http-bind" }, {
        "Content-Type": "application/json; charset=utf-8",
      }),
    );
    assert.equal(result.settings.primary, "https://imp1.example.com/http-bind");
  });

  await t.step(
    "keeps a weak ETag; drops a missing or malformed one",
    async () => {
      assert.equal(
        (await fetched(json(SAVED, { ETag: 'W/"d-1"' }))).etag,
        'W/"d-1"',
      );
      assert.equal((await fetched(json(SAVED))).etag, null);
      assert.equal((await fetched(json(SAVED, { ETag: "s-42" }))).etag, null);
      assert.equal(
        (await fetched(json(SAVED, { ETag: '"a" "b"' }))).etag,
        null,
      );
    },
  );

  await t.step("network failure", async () => {
    const fetch = (() =>
      Promise.reject(
        new TypeError("error sending request"),
      )) as typeof globalThis.fetch;
    const error = await failure({ fetch }, "network");
    assert.match(error.message, /could not be reached/);
    assert.ok(error.cause instanceof TypeError);
  });

  await t.step("aborted by the caller", async () => {
    const controller = new AbortController();
    controller.abort();
    const fetch = ((_: unknown, init?: RequestInit) =>
      Promise.reject(init?.signal?.reason)) as typeof globalThis.fetch;
    await failure({ fetch }, "aborted", { signal: controller.signal });
  });

  await t.step("non-200 answers name the status", async () => {
    for (const status of [304, 404, 500, 503]) {
      const error = await failure(
        answering(null, { status }),
        "http",
      );
      assert.equal(error.status, status);
      assert.match(error.message, new RegExp(`HTTP ${status}`));
    }
    assert.match(
      (await failure(answering(null, { status: 502 }), "http")).message,
      /try again/,
    );
  });

  await t.step("an HTML page with status 200 is not settings", async () => {
    const error = await failure(
      answering("<html>Sign in</html>", {
        headers: { "Content-Type": "text/html; charset=utf-8" },
      }),
      "not-json",
    );
    assert.match(error.message, /text\/html/);
    await failure(answering("{}"), "not-json");
  });

  await t.step("malformed JSON and bad UTF-8", async () => {
    await failure(
      answering('{"primary":', {
        headers: { "Content-Type": "application/json" },
      }),
      "not-json",
    );
    await failure(
      answering(new Uint8Array([0x7b, 0xff, 0x7d]), {
        headers: { "Content-Type": "application/json" },
      }),
      "not-json",
    );
  });

  await t.step("a body larger than the cap is not read whole", async () => {
    const big = JSON.stringify({ ...SAVED, pad: "x".repeat(2000) });
    await failure(json(JSON.parse(big)), "too-large", { maxBytes: 1000 });
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(600).fill(0x20));
      },
    });
    await failure(
      answering(stream, { headers: { "Content-Type": "application/json" } }),
      "too-large",
      { maxBytes: 1000 },
    );
  });

  await t.step("settings failing the schema are refused", async () => {
    const error = await failure(
      json({ ...SAVED, primary: "javascript:alert(1)" }),
      "invalid",
    );
    assert.ok(error.errors?.primary, JSON.stringify(error.errors));
    await failure(json({ ...SAVED, extra: true }), "invalid");
    await failure(json([SAVED]), "invalid");
    await failure(json(null), "invalid");
  });

  await t.step("the service's defaults mean chat is not set up", async () => {
    const error = await failure(json(defaultSettings()), "not-configured");
    assert.match(error.message, /Primary Chat Server/);
  });
});
