// The admin model against the real admin and settings routes (Hono's
// app.request, no mocks), with a cookie jar standing in for the browser's.
import assert from "node:assert/strict";
import { Hono } from "hono";
import { defaultSettings } from "../../shared/settings/settings_schema.ts";
import { createAdminAuth, hashPassword } from "../../routes/admin_auth.ts";
import { adminRoutes } from "../../routes/admin_routes.ts";
import {
  type Env,
  loadAdminAuthConfig,
} from "../../routes/admin_auth_config.ts";
import { MIN_ITERATIONS } from "../../routes/password_hash.ts";
import { settingsRoutes } from "../../routes/settings_api.ts";
import {
  openSettingsStore,
  type SettingsStore,
} from "../../routes/settings_store.ts";
import { createAdminApi, type Fetch, SETTINGS_PATH } from "./admin_api.ts";
import {
  CONFLICT_MESSAGE,
  SettingsModel,
  signInMessage,
} from "./settings_model.ts";

const PASSWORD = "correct horse battery staple";
const HASH = await hashPassword(PASSWORD, { iterations: MIN_ITERATIONS });
const PRIMARY = "https://imp1.example.com:5280/httpbinding";

interface Service {
  app: Hono;
  store: SettingsStore;
}

async function withService(
  body: (service: Service) => Promise<void>,
  env: Env = { DESKTOP_CHAT_ADMIN_PASSWORD_HASH: HASH },
): Promise<void> {
  const store = await openSettingsStore(":memory:");
  const auth = await createAdminAuth({
    config: loadAdminAuthConfig(env),
    log: () => {},
    // No sign-in waits for the user name's delay here (login_throttle.ts).
    sleep: () => Promise.resolve(),
  });
  const app = new Hono()
    .route("/", adminRoutes(auth))
    .route("/", settingsRoutes({ store, auth, defaults: defaultSettings() }));
  try {
    await body({ app, store });
  } finally {
    store.close();
  }
}

/** A browser's fetch in miniature: one cookie jar, optional request rewriting. */
function browserFetch(
  app: Hono,
  rewrite: (init: RequestInit) => RequestInit = (init) => init,
): Fetch {
  let cookie = "";
  return async (input, init) => {
    const headers = new Headers(init.headers);
    if (cookie !== "") headers.set("Cookie", cookie);
    const response = await app.request(input, { ...rewrite(init), headers });
    const setCookie = response.headers.get("Set-Cookie");
    if (setCookie !== null) {
      const pair = setCookie.split(";")[0];
      cookie = pair.endsWith("=") ? "" : pair;
    }
    return response;
  };
}

function modelFor(fetch: Fetch): SettingsModel {
  return new SettingsModel(createAdminApi({ fetch }));
}

async function signedInModel(fetch: Fetch): Promise<SettingsModel> {
  const model = modelFor(fetch);
  await model.start();
  assert.equal(await model.signIn("admin", PASSWORD), true);
  return model;
}

Deno.test("SettingsModel sign-in", async (t) => {
  await withService(async ({ app }) => {
    const model = modelFor(browserFetch(app));

    await t.step("starts signed out without a session", async () => {
      await model.start();
      assert.equal(model.phase.value, "signed-out");
      assert.equal(model.signInError.value, null);
    });

    await t.step("a wrong password says so", async () => {
      assert.equal(await model.signIn("admin", "wrong"), false);
      assert.equal(model.phase.value, "signed-out");
      assert.equal(model.signInError.value, "Wrong user name or password.");
    });

    await t.step("the right one loads the defaults", async () => {
      assert.equal(await model.signIn("admin", PASSWORD), true);
      assert.equal(model.phase.value, "signed-in");
      assert.equal(model.username.value, "admin");
      assert.equal(model.signInError.value, null);
      assert.equal(model.fields.primary.value, "");
      assert.equal(model.fields.maxSize.value, "10");
      assert.equal(model.status.value, null);
    });

    await t.step("another cookie jar has no session", async () => {
      const again = modelFor(browserFetch(app));
      await again.start();
      assert.equal(again.phase.value, "signed-out", "its own cookie jar");
    });

    await t.step("signing out resets the form", async () => {
      model.edit("primary", PRIMARY);
      await model.signOut();
      assert.equal(model.phase.value, "signed-out");
      assert.equal(model.fields.primary.value, "");
      await model.start();
      assert.equal(model.phase.value, "signed-out");
    });
  });
});

Deno.test("SettingsModel shows why and how long a throttled sign-in waits", async () => {
  await withService(async ({ app }) => {
    const model = modelFor(browserFetch(app));
    for (let i = 0; i < 10; i++) await model.signIn("admin", "wrong");
    assert.equal(await model.signIn("admin", PASSWORD), false);
    assert.equal(
      model.signInError.value,
      "Too many failed sign-ins from this address. Try again in 15 minutes.",
    );
  });
});

Deno.test("signInMessage words a proxy's bare 429 from Retry-After", () => {
  const bare = {
    kind: "throttled",
    message: "The service answered 429 Too Many Requests.",
    explained: false,
  } as const;
  assert.equal(
    signInMessage({ ...bare, retryAfterSeconds: 61 }),
    "Too many failed attempts. Try again in 2 minutes.",
  );
  assert.equal(
    signInMessage({ ...bare, retryAfterSeconds: null }),
    "Too many failed attempts. Try again later.",
  );
});

Deno.test("SettingsModel explains a service without an admin password", async () => {
  await withService(async ({ app }) => {
    const model = modelFor(browserFetch(app));
    await model.start();
    assert.equal(model.phase.value, "signed-out");
    assert.match(
      model.signInError.value ?? "",
      /^Administrator sign-in is not configured\. Set DESKTOP_CHAT_ADMIN_PASSWORD_HASH/,
    );
  }, {});
});

Deno.test("SettingsModel save and revert", async (t) => {
  await withService(async ({ app, store }) => {
    const model = await signedInModel(browserFetch(app));

    await t.step(
      "an invalid URL stays on the page with its field error",
      async () => {
        model.edit("primary", "javascript:alert(1)");
        assert.deepEqual(await model.save(), { ok: false, field: "primary" });
        assert.match(model.fieldErrors.value.primary ?? "", /javascript:/);
        assert.equal(model.status.value?.tone, "error");
        assert.equal(await store.get(), null, "nothing was sent");
      },
    );

    await t.step("typing a fix clears the error at once", () => {
      model.edit("primary", PRIMARY);
      assert.equal(model.fieldErrors.value.primary, undefined);
    });

    await t.step("valid values are saved, normalized", async () => {
      model.edit("allowedTypes", ".PDF, image/*");
      model.edit("attachmentsEnabled", true);
      assert.equal(model.dirty.value, true);
      assert.deepEqual(await model.save(), { ok: true });
      assert.deepEqual(model.status.value, { tone: "success", text: "Saved." });
      assert.equal(model.fields.allowedTypes.value, ".pdf, image/*");
      assert.equal(model.dirty.value, false);
      assert.equal((await store.get())?.settings.primary, PRIMARY);
    });

    await t.step("an edit takes the Saved note away", () => {
      model.edit("secondary", "https://imp2.example.com/httpbinding");
      assert.equal(model.status.value, null);
      assert.equal(model.dirty.value, true);
    });

    await t.step("Revert reads the saved values again", async () => {
      model.edit("primary", "https://elsewhere.example.com/");
      await model.revert();
      assert.equal(model.fields.primary.value, PRIMARY);
      assert.equal(model.fields.secondary.value, "");
      assert.equal(model.dirty.value, false);
      assert.equal(model.status.value?.text, "Reverted to the saved settings.");
    });

    await t.step(
      "leaving an untouched field raises nothing; a changed one is checked",
      () => {
        model.check("secondary");
        assert.deepEqual(model.fieldErrors.value, {});
        model.edit("maxSize", "lots");
        model.check("maxSize");
        assert.match(model.fieldErrors.value.maxSize ?? "", /as a number/);
      },
    );
  });
});

Deno.test("SettingsModel after someone else saved: 412 loads theirs", async () => {
  await withService(async ({ app }) => {
    const mine = await signedInModel(browserFetch(app));
    const theirs = await signedInModel(browserFetch(app));
    theirs.edit("primary", "https://imp3.example.com/httpbinding");
    assert.deepEqual(await theirs.save(), { ok: true });

    mine.edit("primary", PRIMARY);
    assert.deepEqual(await mine.save(), { ok: false, field: null });
    assert.deepEqual(mine.status.value, {
      tone: "error",
      text: CONFLICT_MESSAGE,
    });
    assert.equal(
      mine.fields.primary.value,
      "https://imp3.example.com/httpbinding",
    );
    // The reload brought their ETag, so a second try lands.
    mine.edit("primary", PRIMARY);
    assert.deepEqual(await mine.save(), { ok: true });
  });
});

Deno.test("SettingsModel shows the service's 422 per field", async () => {
  await withService(async ({ app }) => {
    // Stands for a service whose rules are stricter than this page's copy
    // of the schema: the page's check passes, the service refuses.
    const stricter = browserFetch(app, (init) => {
      if (init.method !== "PUT" || typeof init.body !== "string") return init;
      const body = JSON.parse(init.body);
      return { ...init, body: JSON.stringify({ ...body, primary: "ftp://x" }) };
    });
    const model = await signedInModel(stricter);
    model.edit("primary", PRIMARY);
    assert.deepEqual(await model.save(), { ok: false, field: "primary" });
    assert.match(model.fieldErrors.value.primary ?? "", /ftp:/);
    assert.equal(
      model.status.value?.text,
      "Save failed: correct the marked fields.",
    );
  });
});

Deno.test("SettingsModel keeps the edits across an ended session", async () => {
  await withService(async ({ app, store }) => {
    const fetch = browserFetch(app);
    const model = await signedInModel(fetch);
    model.edit("primary", PRIMARY);
    // Another tab of the same browser signs out: the shared cookie ends.
    await modelFor(fetch).signOut();

    assert.deepEqual(await model.save(), { ok: false, field: null });
    assert.equal(model.phase.value, "signed-out");
    assert.match(model.signInError.value ?? "", /session has ended/);

    assert.equal(await model.signIn("admin", PASSWORD), true);
    assert.equal(model.fields.primary.value, PRIMARY);
    assert.deepEqual(await model.save(), { ok: true });
    assert.equal((await store.get())?.settings.primary, PRIMARY);
  });
});

Deno.test("SettingsModel reports an unreachable service", async () => {
  const unreachable: Fetch = () =>
    Promise.reject(new TypeError("connection refused"));
  const model = modelFor(unreachable);
  await model.start();
  assert.equal(model.phase.value, "signed-out");
  assert.equal(
    model.signInError.value,
    "Cannot reach the Desktop Chat service (connection refused).",
  );
});

Deno.test("the model's requests go to the configured origin", async () => {
  const seen: string[] = [];
  const api = createAdminApi({
    origin: "https://chat.example.com",
    fetch: (input) => {
      seen.push(input);
      return Promise.resolve(new Response(null, { status: 500 }));
    },
  });
  const result = await api.loadSettings();
  assert.deepEqual(seen, [`https://chat.example.com${SETTINGS_PATH}`]);
  assert.deepEqual(result, {
    ok: false,
    failure: { kind: "failed", message: "The service answered 500." },
  });
});

Deno.test("SettingsModel never saves over settings it could not load", async () => {
  await withService(async ({ app, store }) => {
    const browser = browserFetch(app);
    let settingsReads = 0;
    // The first read of the settings fails, as behind a flaky proxy.
    const flaky: Fetch = (input, init) => {
      if (input === SETTINGS_PATH && init.method === undefined) {
        settingsReads++;
        if (settingsReads === 1) {
          return Promise.resolve(new Response("Bad gateway", { status: 502 }));
        }
      }
      return browser(input, init);
    };
    const model = await signedInModel(flaky);
    assert.equal(
      model.status.value?.text,
      "Loading the settings failed: The service answered 502.",
    );
    model.edit("primary", PRIMARY);
    assert.deepEqual(await model.save(), { ok: false, field: null });
    assert.match(model.status.value?.text ?? "", /Press Revert/);
    assert.equal(await store.get(), null);

    await model.revert();
    model.edit("primary", PRIMARY);
    assert.deepEqual(await model.save(), { ok: true });
  });
});
