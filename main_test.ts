import assert from "node:assert/strict";
import { join } from "node:path";
import { start } from "./main.ts";
import { loadConfig } from "./routes/config.ts";

Deno.test("start builds the missing bundles and serves the shell and the bundle", async () => {
  const distDir = await Deno.makeTempDir({ prefix: "desktop_chat_main_" });
  const ac = new AbortController();
  const config = {
    ...loadConfig({
      PORT: "0",
      DESKTOP_CHAT_HOSTNAME: "127.0.0.1",
      // Production answers only for configured hosts (host_policy.ts).
      DESKTOP_CHAT_ALLOWED_HOSTS: "127.0.0.1",
    }),
    distDir,
    kvPath: ":memory:",
  };
  const server = await start(config, { signal: ac.signal, onListen: () => {} });
  try {
    const origin = `http://127.0.0.1:${server.addr.port}`;
    const manifest = JSON.parse(
      await Deno.readTextFile(join(distDir, "manifest.json")),
    );
    const bundle = `/static/dist/${manifest["desktop-chat.js"]}`;

    const page = await fetch(`${origin}/`);
    assert.equal(page.status, 200);
    assert.ok(
      (await page.text()).includes(
        `<script type="module" src="${bundle}"></script>`,
      ),
    );

    const script = await fetch(`${origin}${bundle}`);
    assert.equal(script.status, 200);
    assert.equal(
      script.headers.get("Content-Type"),
      "text/javascript; charset=utf-8",
    );
    assert.equal(
      script.headers.get("Cache-Control"),
      "public, max-age=31536000, immutable",
    );
    assert.match(
      await script.text(),
      /customElements\.define\("desktop-chat",/,
    );

    const gadget = await fetch(`${origin}/gadgets/DesktopChat.xml`);
    assert.ok((await gadget.text()).includes(`src="${origin}${bundle}"`));
  } finally {
    ac.abort();
    await server.finished;
    await Deno.remove(distDir, { recursive: true });
  }
});

Deno.test("start serves through the front; shutdown stops the front and the internal server", async () => {
  const config = {
    ...loadConfig({ PORT: "0", DESKTOP_CHAT_HOSTNAME: "127.0.0.1" }, [
      "--no-build",
    ]),
    kvPath: ":memory:",
  };
  let listening: Deno.NetAddr | undefined;
  const server = await start(config, {
    onListen: (address) => listening = address,
  });
  const origin = `http://127.0.0.1:${server.addr.port}`;
  assert.deepEqual(listening, server.addr);
  const settings = await fetch(`${origin}/api/chat-server-settings`);
  assert.equal(settings.status, 200);
  await settings.body?.cancel();
  // A kept-alive connection is idle now: shutdown closes it and returns.
  await server.shutdown();
  await server.finished;
  await assert.rejects(
    Deno.connect({ hostname: "127.0.0.1", port: server.addr.port }),
    Deno.errors.ConnectionRefused,
  );
});
