import assert from "node:assert/strict";
import { join } from "node:path";
import {
  type ChatServerSettings,
  defaultSettings,
} from "../shared/settings/settings_schema.ts";
import {
  DEFAULT_KV_PATH,
  KvSettingsStore,
  openSettingsStore,
  SettingsStoreError,
  settingsStorePath,
} from "./settings_store.ts";

function settings(primary: string): ChatServerSettings {
  return { ...defaultSettings(), primary };
}

const A = settings("https://imp-a.example.com:5280/http-bind");
const B = settings("https://imp-b.example.com:5280/http-bind");

async function withTempDir(
  body: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "settings_store_test_" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("KvSettingsStore", async (t) => {
  await withTempDir(async (dir) => {
    const path = join(dir, "nested", "dir", "desktop-chat.kv");

    await t.step("creates the directory and starts empty", async () => {
      const store = await openSettingsStore(path);
      try {
        assert.equal(await store.get(), null);
        assert.ok((await Deno.stat(path)).isFile);
      } finally {
        store.close();
      }
    });

    await t.step(
      "first write needs expectedVersion null, later ones the current version",
      async () => {
        const store = await openSettingsStore(path);
        try {
          const first = await store.put(A, null);
          assert.ok(first.ok);
          assert.match(
            first.version,
            /^[\x21\x23-\x7e]+$/,
            "usable inside an ETag",
          );
          assert.deepEqual(await store.get(), {
            settings: A,
            version: first.version,
          });

          assert.deepEqual(await store.put(B, null), {
            ok: false,
            current: first.version,
          });
          const second = await store.put(B, first.version);
          assert.ok(second.ok);
          assert.notEqual(second.version, first.version);
          assert.deepEqual(await store.get(), {
            settings: B,
            version: second.version,
          });
        } finally {
          store.close();
        }
      },
    );

    await t.step(
      "settings and version survive closing and reopening the file",
      async () => {
        const before = await openSettingsStore(path);
        const saved = await before.get();
        before.close();
        const after = await openSettingsStore(path);
        try {
          assert.deepEqual(await after.get(), saved);
          assert.deepEqual(saved?.settings, B);
        } finally {
          after.close();
        }
      },
    );

    await t.step(
      "of two writers holding the same version, exactly one wins",
      async () => {
        const one = await openSettingsStore(path);
        const two = await openSettingsStore(path);
        try {
          const base = await one.get();
          assert.ok(base);
          const results = await Promise.all([
            one.put(A, base.version),
            two.put(B, base.version),
          ]);
          const winners = results.filter((result) => result.ok);
          const losers = results.filter((result) => !result.ok);
          assert.equal(winners.length, 1);
          assert.equal(losers.length, 1);
          const stored = await two.get();
          assert.deepEqual(losers[0], { ok: false, current: stored?.version });
          assert.deepEqual(stored?.settings, results[0].ok ? A : B);
        } finally {
          one.close();
          two.close();
        }
      },
    );

    await t.step("one handle racing itself: exactly one wins", async () => {
      const store = await openSettingsStore(path);
      try {
        const base = await store.get();
        assert.ok(base);
        const results = await Promise.all([
          store.put(A, base.version),
          store.put(B, base.version),
        ]);
        assert.equal(results.filter((result) => result.ok).length, 1);
      } finally {
        store.close();
      }
    });

    await t.step("a stale version loses even after a reopen", async () => {
      const store = await openSettingsStore(path);
      try {
        const current = await store.get();
        assert.ok(current);
        const moved = await store.put(A, current.version);
        assert.ok(moved.ok);
        assert.deepEqual(await store.put(B, current.version), {
          ok: false,
          current: moved.version,
        });
      } finally {
        store.close();
      }
    });

    await t.step("close is idempotent", async () => {
      const store = await openSettingsStore(path);
      store.close();
      store.close();
    });
  });
});

Deno.test("KvSettingsStore refuses a record it cannot read instead of guessing", async () => {
  const kv = await Deno.openKv(":memory:");
  const store = new KvSettingsStore(kv);
  try {
    await kv.set(["desktop-chat", "chat-server-settings"], {
      format: 99,
      settings: A,
    });
    await assert.rejects(store.get(), SettingsStoreError);
    await kv.set(["desktop-chat", "chat-server-settings"], {
      format: 1,
      settings: { primary: "javascript:alert(1)" },
    });
    await assert.rejects(store.get(), /no longer valid/);
  } finally {
    store.close();
  }
});

Deno.test("the development password hash is stored once", async () => {
  const store = await openSettingsStore(":memory:");
  try {
    assert.equal(await store.getDevPasswordHash(), null);
    assert.deepEqual(await store.putDevPasswordHashIfAbsent("first"), {
      created: true,
      hash: "first",
    });
    assert.deepEqual(await store.putDevPasswordHashIfAbsent("second"), {
      created: false,
      hash: "first",
    });
    assert.equal(await store.getDevPasswordHash(), "first");
    assert.equal(await store.get(), null, "kept apart from the settings");
  } finally {
    store.close();
  }
});

Deno.test("settingsStorePath reads DESKTOP_CHAT_KV_PATH", () => {
  assert.equal(settingsStorePath({}), DEFAULT_KV_PATH);
  assert.equal(
    settingsStorePath({ DESKTOP_CHAT_KV_PATH: "" }),
    DEFAULT_KV_PATH,
  );
  assert.equal(
    settingsStorePath({ DESKTOP_CHAT_KV_PATH: "/var/lib/desktop-chat/kv" }),
    "/var/lib/desktop-chat/kv",
  );
});
