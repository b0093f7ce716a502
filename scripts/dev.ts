// `deno task dev`: the whole product on one machine. A Prosody with demo
// agents on 127.0.0.1:5280, the service on :8000 with the bundles rebuilt
// whenever islands/ or shared/ change, the admin in dev mode, and the
// settings defaulting to the dev Prosody so the shell page works at once.
import { start } from "../main.ts";
import { loadConfig } from "../routes/config.ts";
import { buildBundles } from "./build.ts";
import { startDevProsody } from "./dev_prosody.ts";

const prosody = await startDevProsody();
console.log(`Chat server (Prosody): ${prosody.server.boshUrl}`);
for (const user of prosody.users) {
  const role = user.role.padEnd(10);
  console.log(`  ${role} ${user.username} / ${user.password}  (${user.name})`);
}
const config = loadConfig(
  {
    DESKTOP_CHAT_DEV: "1",
    DESKTOP_CHAT_DEFAULT_PRIMARY: prosody.server.boshUrl,
    DESKTOP_CHAT_XMPP_DOMAIN: prosody.server.domain,
    ...Deno.env.toObject(),
  },
  ["--build"],
);
const controller = new AbortController();
const server = await start(config, {
  signal: controller.signal,
  onListen: ({ port }) => {
    console.log(`Agent desktop:  http://localhost:${port}/`);
    console.log(`Admin settings: http://localhost:${port}/admin`);
  },
});

const watcher = Deno.watchFs([
  new URL("../islands", import.meta.url).pathname,
  new URL("../shared", import.meta.url).pathname,
]);
let rebuild: ReturnType<typeof setTimeout> | undefined;
async function watch() {
  for await (const event of watcher) {
    if (event.kind === "access") continue;
    clearTimeout(rebuild);
    rebuild = setTimeout(async () => {
      try {
        await buildBundles({ outDir: config.distDir });
        console.log("Bundles rebuilt.");
      } catch (error) {
        // A syntax error mid-edit must not end the dev server; say it and
        // wait for the next save.
        console.error("Bundle build failed:", error);
      }
    }, 150);
  }
}
const watching = watch();

async function shutdown() {
  clearTimeout(rebuild);
  watcher.close();
  controller.abort();
  await server.finished;
  await watching;
  await prosody.server.stop();
  Deno.exit(0);
}
Deno.addSignalListener("SIGINT", shutdown);
Deno.addSignalListener("SIGTERM", shutdown);
