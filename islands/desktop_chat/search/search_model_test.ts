import assert from "node:assert/strict";
import { signal } from "@preact/signals";
import {
  type DirectoryEntry,
  NoDirectoryError,
} from "../../../shared/xmpp/directory/directory_search.ts";
import {
  NO_DIRECTORY_MESSAGE,
  UNSEARCHABLE_DIRECTORY_MESSAGE,
} from "../../../shared/xmpp/directory/search_discovery.ts";
import { StanzaError, TimeoutError } from "../../../shared/xmpp/core/errors.ts";
import { describePerson } from "../../../shared/xmpp/identity/person.ts";
import {
  entryName,
  type Identify,
  searchEmptyText,
  type SearchFunction,
  SearchModel,
  searchOptions,
  typedAddress,
} from "./search_model.ts";

const DELAY = 15;
const OWN = "me@example.com";
const ANN: DirectoryEntry = {
  jid: "ann@example.com",
  first: "Ann",
  last: "Lee",
};
const BOB: DirectoryEntry = { jid: "bob@example.com", nick: "bobby" };

interface Call {
  readonly term: string;
  readonly signal: AbortSignal;
  resolve(entries: readonly DirectoryEntry[]): void;
  reject(error: unknown): void;
}

/** A directory that answers only when the test says so. */
function directory() {
  const calls: Call[] = [];
  const search: SearchFunction = (term, { signal }) => {
    assert.ok(signal, "every search can be abandoned");
    return new Promise((resolve, reject) => {
      signal.addEventListener("abort", () => reject(signal.reason));
      calls.push({ term, signal, resolve, reject });
    });
  };
  return { calls, search };
}

function model(
  search: SearchFunction,
  contacts = new Map<string, { readonly name?: string }>(),
) {
  return new SearchModel({
    search,
    ownJid: OWN,
    identify: rosterIdentify(contacts),
    listed: signal<ReadonlySet<string>>(new Set()),
    delayMs: DELAY,
  });
}

/** The roster's names only: no vCards, no imitation flags. */
function rosterIdentify(
  contacts: ReadonlyMap<string, { readonly name?: string }>,
): Identify {
  return (jid, claim) => {
    const item = contacts.get(jid);
    return describePerson(
      jid,
      item === undefined
        ? { contact: false, ...(claim === undefined ? {} : { claim }) }
        : { contact: true, ...(item.name ? { rosterName: item.name } : {}) },
      new Map(),
    );
  };
}

const pause = (ms = DELAY * 2) =>
  new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("search model", async (t) => {
  await t.step("asks once typing pauses, for the last term only", async () => {
    const { calls, search } = directory();
    using box = model(search);
    box.input("a");
    box.input("an");
    box.input("ann");
    assert.equal(box.status.value, "searching");
    assert.equal(box.note.value, "Searching the directory…");
    assert.equal(calls.length, 0);
    await pause();
    assert.deepEqual(calls.map((call) => call.term), ["ann"]);
    calls[0].resolve([ANN]);
    await pause(0);
    assert.equal(box.status.value, "done");
    assert.equal(box.note.value, undefined);
    // Ann is no contact: her address is the name, the directory's name
    // for her only her claim (issue 14).
    assert.deepEqual(box.options.value, [
      {
        jid: "ann@example.com",
        name: "ann@example.com",
        person: {
          jid: "ann@example.com",
          contact: false,
          name: "ann@example.com",
          source: "address",
          claim: "Ann Lee",
        },
        inContacts: false,
        typed: false,
      },
    ]);
  });

  await t.step(
    "aborts a stale request; its answer is never shown",
    async () => {
      const { calls, search } = directory();
      using box = model(search);
      box.input("an");
      await pause();
      box.input("bo");
      assert.equal(calls[0].signal.aborted, true);
      await pause();
      assert.deepEqual(calls.map((call) => call.term), ["an", "bo"]);
      // A directory that ignores the abort and answers late anyway.
      calls[0].resolve([ANN]);
      calls[1].resolve([BOB]);
      await pause(0);
      assert.deepEqual(box.options.value.map((option) => option.jid), [
        "bob@example.com",
      ]);
    },
  );

  await t.step("a late answer after a newer one changes nothing", async () => {
    const { calls, search } = directory();
    const late: SearchFunction = (term, options) =>
      term === "an"
        ? new Promise((resolve) => setTimeout(() => resolve([ANN]), DELAY * 3))
        : search(term, options);
    using box = model(late);
    box.input("an");
    await pause();
    box.input("bo");
    await pause();
    calls[0].resolve([BOB]);
    await pause(DELAY * 3);
    assert.deepEqual(box.options.value.map((option) => option.jid), [
      "bob@example.com",
    ]);
  });

  await t.step(
    "fewer than 2 characters: no request, no drop-down",
    async () => {
      const { calls, search } = directory();
      using box = model(search);
      box.input("a ");
      box.input(" a");
      await pause();
      assert.equal(calls.length, 0);
      assert.equal(box.status.value, "idle");
      assert.equal(box.open.value, false);
      assert.equal(box.note.value, undefined);
    },
  );

  await t.step("shortening below 2 characters cancels and clears", async () => {
    const { calls, search } = directory();
    using box = model(search);
    box.input("an");
    await pause();
    calls[0].resolve([ANN]);
    await pause(0);
    box.input("ann");
    box.input("a");
    await pause();
    assert.equal(calls.length, 1);
    assert.equal(box.status.value, "idle");
    assert.deepEqual(box.options.value, []);
  });

  await t.step("the same cleaned term is not asked again", async () => {
    const { calls, search } = directory();
    using box = model(search);
    box.input("ann");
    await pause();
    box.input("ann ");
    await pause();
    assert.equal(calls.length, 1);
  });

  await t.step("no match says so", async () => {
    const { calls, search } = directory();
    using box = model(search);
    box.input("zed");
    await pause();
    calls[0].resolve([]);
    await pause(0);
    assert.equal(box.note.value, undefined);
    assert.equal(
      box.empty.value,
      "No contacts or directory entries match “zed”.",
    );
  });

  await t.step("an error shows its message", async () => {
    const { calls, search } = directory();
    using box = model(search);
    box.input("ann");
    await pause();
    calls[0].reject(new TimeoutError("The chat server did not answer."));
    await pause(0);
    assert.equal(box.status.value, "failed");
    assert.equal(box.note.value, "The chat server did not answer.");
    box.input("anne");
    assert.equal(box.status.value, "searching");
    await pause();
    assert.equal(calls.length, 2);
  });

  await t.step("no directory: said once, never asked again", async () => {
    const { calls, search } = directory();
    using box = model(search);
    box.input("ann");
    await pause();
    calls[0].reject(
      new NoDirectoryError("service-unavailable"),
    );
    await pause(0);
    assert.equal(box.status.value, "no-directory");
    assert.equal(box.note.value, NO_DIRECTORY_MESSAGE);
    box.input("bob@example.com");
    await pause();
    assert.equal(calls.length, 1);
    assert.equal(box.note.value, NO_DIRECTORY_MESSAGE);
    assert.deepEqual(box.options.value, [
      {
        jid: "bob@example.com",
        name: "bob@example.com",
        person: {
          jid: "bob@example.com",
          contact: false,
          name: "bob@example.com",
          source: "address",
        },
        inContacts: false,
        typed: true,
      },
    ]);
  });

  await t.step(
    "a directory that cannot be searched by name says so, not 'none'",
    async () => {
      const { calls, search } = directory();
      using box = model(search);
      box.input("ann");
      await pause();
      calls[0].reject(
        new NoDirectoryError("feature-not-implemented"),
      );
      await pause(0);
      assert.equal(box.status.value, "no-directory");
      assert.equal(box.note.value, UNSEARCHABLE_DIRECTORY_MESSAGE);
      box.input("a");
      box.input("anne");
      assert.equal(box.note.value, UNSEARCHABLE_DIRECTORY_MESSAGE);
    },
  );

  await t.step(
    "a directory that refused the search is a plain failure",
    async () => {
      const { calls, search } = directory();
      using box = model(search);
      box.input("ann");
      await pause();
      calls[0].reject(
        new StanzaError("service-unavailable", "cancel", "Refused, retry."),
      );
      await pause(0);
      assert.equal(box.status.value, "failed");
      assert.equal(box.note.value, "Refused, retry.");
      box.input("anne");
      await pause();
      assert.equal(calls.length, 2, "asked again");
    },
  );

  await t.step("a typed full address is always offered", async () => {
    const { calls, search } = directory();
    using box = model(search, new Map([["ann@example.com", {}]]));
    box.input("Cy@Example.com");
    assert.deepEqual(box.options.value.map((option) => option.jid), [
      "cy@example.com",
    ]);
    await pause();
    calls[0].resolve([ANN]);
    await pause(0);
    assert.deepEqual(
      box.options.value.map(({ jid, inContacts, typed }) => ({
        jid,
        inContacts,
        typed,
      })),
      [
        { jid: "cy@example.com", inContacts: false, typed: true },
        { jid: "ann@example.com", inContacts: true, typed: false },
      ],
    );
  });

  await t.step("Down and Up move the active option, wrapping", async () => {
    const { calls, search } = directory();
    using box = model(search);
    box.input("example");
    await pause();
    calls[0].resolve([ANN, BOB]);
    await pause(0);
    assert.equal(box.active.value, -1);
    box.move(1);
    assert.equal(box.active.value, 0);
    box.move(1);
    box.move(1);
    assert.equal(box.active.value, 0);
    box.move(-1);
    assert.equal(box.active.value, 1);
  });

  await t.step("blur leaves no option active; the results stay", async () => {
    const { calls, search } = directory();
    using box = model(search);
    box.input("ann");
    await pause();
    calls[0].resolve([ANN]);
    await pause(0);
    box.move(1);
    assert.equal(box.active.value, 0);
    box.blur();
    assert.equal(box.active.value, -1);
    assert.equal(box.open.value, true);
    assert.equal(box.options.value.length, 1);
  });

  await t.step(
    "people the filtered list shows are left out, live",
    async () => {
      const { calls, search } = directory();
      const listed = signal<ReadonlySet<string>>(new Set());
      using box = new SearchModel({
        search,
        ownJid: OWN,
        identify: rosterIdentify(new Map([["bob@example.com", {}]])),
        listed,
        delayMs: DELAY,
      });
      box.input("bo");
      await pause();
      calls[0].resolve([ANN, BOB]);
      await pause(0);
      assert.deepEqual(box.options.value.map((o) => o.jid), [
        "ann@example.com",
        "bob@example.com",
      ]);
      listed.value = new Set(["bob@example.com"]);
      assert.deepEqual(box.options.value.map((o) => o.jid), [
        "ann@example.com",
      ]);
      assert.equal(box.empty.value, undefined);
    },
  );

  await t.step(
    "one empty state: only when nothing at all matches",
    async () => {
      const { calls, search } = directory();
      const listed = signal<ReadonlySet<string>>(new Set(["x@example.com"]));
      using box = new SearchModel({
        search,
        ownJid: OWN,
        identify: rosterIdentify(new Map()),
        listed,
        delayMs: DELAY,
      });
      box.input("zed");
      assert.equal(box.empty.value, undefined, "while asking");
      await pause();
      calls[0].resolve([]);
      await pause(0);
      assert.equal(box.empty.value, undefined, "a contact matches");
      listed.value = new Set();
      assert.equal(
        box.empty.value,
        "No contacts or directory entries match “zed”.",
      );
    },
  );

  await t.step("dispose aborts the request in flight", async () => {
    const { calls, search } = directory();
    const box = model(search);
    box.input("ann");
    await pause();
    box[Symbol.dispose]();
    assert.equal(calls[0].signal.aborted, true);
  });

  await t.step("dispose drops a pending pause", async () => {
    const { calls, search } = directory();
    const box = model(search);
    box.input("ann");
    box[Symbol.dispose]();
    await pause();
    assert.equal(calls.length, 0);
  });
});

Deno.test("searchOptions", async (t) => {
  await t.step("leaves out the agent and marks contacts", () => {
    assert.deepEqual(
      searchOptions(
        [ANN, BOB, { jid: OWN, nick: "me" }],
        undefined,
        OWN,
        new Set(),
        rosterIdentify(new Map([["bob@example.com", { name: "Bob B" }]])),
      ).map(({ jid, name, person, inContacts }) => ({
        jid,
        name,
        claim: person.claim,
        inContacts,
      })),
      [
        // The directory's names: Ann's only as her claim; Bob is a contact,
        // named as the roster names him, not as the directory does.
        {
          jid: "ann@example.com",
          name: "ann@example.com",
          claim: "Ann Lee",
          inContacts: false,
        },
        {
          jid: "bob@example.com",
          name: "Bob B",
          claim: undefined,
          inContacts: true,
        },
      ],
    );
  });

  await t.step(
    "the typed address is not repeated or offered for the agent",
    () => {
      assert.deepEqual(
        searchOptions(
          [ANN],
          "ann@example.com",
          OWN,
          new Set(),
          rosterIdentify(new Map()),
        ).map((o) => o.typed),
        [false],
      );
      assert.deepEqual(
        searchOptions([], OWN, OWN, new Set(), rosterIdentify(new Map())),
        [],
      );
    },
  );

  await t.step("no one the contact list already shows", () => {
    const shown = new Set(["bob@example.com"]);
    assert.deepEqual(
      searchOptions(
        [ANN, BOB],
        undefined,
        OWN,
        shown,
        rosterIdentify(new Map()),
      ).map((o) => o.jid),
      ["ann@example.com"],
    );
    assert.deepEqual(
      searchOptions(
        [],
        "bob@example.com",
        OWN,
        shown,
        rosterIdentify(new Map()),
      ),
      [],
      "not even as the typed address",
    );
  });
});

Deno.test("searchEmptyText", () => {
  assert.equal(searchEmptyText("", "idle", 0, 0), undefined);
  assert.equal(searchEmptyText("z", "idle", 0, 0), "No contacts match “z”.");
  assert.equal(searchEmptyText("zz", "searching", 0, 0), undefined);
  assert.equal(
    searchEmptyText("zz", "done", 0, 0),
    "No contacts or directory entries match “zz”.",
  );
  // The reason the directory could not help is the section's note.
  assert.equal(
    searchEmptyText("zz", "no-directory", 0, 0),
    "No contacts match “zz”.",
  );
  assert.equal(
    searchEmptyText("zz", "failed", 0, 0),
    "No contacts match “zz”.",
  );
  assert.equal(searchEmptyText("zz", "done", 1, 0), undefined);
  assert.equal(searchEmptyText("zz", "done", 0, 2), undefined);
});

Deno.test("entryName: first and last, else full name, else nick, else JID", () => {
  assert.equal(entryName(ANN), "Ann Lee");
  assert.equal(entryName({ jid: "c@x", last: "Cole" }), "Cole");
  assert.equal(
    entryName({ jid: "e@x", fullName: "Eve Ng", nick: "eve" }),
    "Eve Ng",
  );
  assert.equal(entryName(BOB), "bobby");
  assert.equal(entryName({ jid: "d@x" }), "d@x");
});

Deno.test("typedAddress: a full bare JID only", () => {
  assert.equal(typedAddress("Ann@Example.com"), "ann@example.com");
  assert.equal(typedAddress("example.com"), undefined);
  assert.equal(typedAddress("ann@example.com/desk"), undefined);
  assert.equal(typedAddress("ann@"), undefined);
  assert.equal(typedAddress("ann"), undefined);
  assert.equal(typedAddress(""), undefined);
  assert.equal(typedAddress("@example.com"), undefined);
});
