import assert from "node:assert/strict";
import { luaDataFile, luaRecord, luaString } from "./prosody_lua.ts";
import { encodePathPart, scramAccount } from "./prosody_storage.ts";

// Expected values were written by `prosodyctl register` (Prosody 0.12.3).
Deno.test("scramAccount matches prosodyctl's SCRAM-SHA-1 account", async () => {
  const account = await scramAccount(
    "secret",
    "SHA-1",
    4096,
    "ba74fc9c-c09c-4ef9-be36-3705fdfcc0fc",
  );
  assert.equal(account.storedKey, "9483bc336d794847e31f7e2f8ff6325820dd944e");
  assert.equal(account.serverKey, "c16e8f8315760b80dc25202410f276a2f6f4081e");
});

Deno.test("scramAccount matches prosodyctl's SCRAM-SHA-256 account", async () => {
  const account = await scramAccount(
    'pä"ss',
    "SHA-256",
    4096,
    "01c5f85e-a08a-4fcb-9891-fbaf8a5d2cab",
  );
  assert.equal(
    account.storedKey,
    "b877d14ad4d43693f2f5062a16a00a4c32b06295f10748320cf40c7669b4798f",
  );
  assert.equal(
    account.serverKey,
    "a45f4390de741670bfdd727893769caf4521ee1d2ea3eebde013177c8d9404d4",
  );
});

Deno.test("encodePathPart escapes like datamanager's %W rule", () => {
  assert.equal(encodePathPart("zoë.x"), "zo%c3%ab%2ex");
  assert.equal(encodePathPart("agent42"), "agent42");
  assert.equal(encodePathPart("a_b-c"), "a%5fb%2dc");
});

Deno.test("luaString escapes quotes, backslashes and control bytes", () => {
  assert.equal(luaString('a"b\\c\n'), '"a\\"b\\\\c\\n"');
  assert.equal(luaString("x\u00011"), '"x\\0011"');
  assert.equal(luaString("é"), '"é"');
});

Deno.test("luaDataFile renders nested tables with a `false` key", () => {
  assert.equal(
    luaDataFile({ keyed: [[false, luaRecord({ version: 1 })], ["k", "v"]] }),
    'return {\n\t[false] = {\n\t\t["version"] = 1;\n\t};\n\t["k"] = "v";\n};\n',
  );
});
