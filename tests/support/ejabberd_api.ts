// The harness's writes to a private ejabberd node through mod_http_api on
// loopback (ejabberd_config.ts grants it every command): accounts, roster
// items and vCards in milliseconds each, where every `ejabberdctl` call
// starts an Erlang VM.

import type {
  ProsodyUser,
  RosterItem,
  RosterSeed,
  Vcard,
} from "../../scripts/servers/prosody.ts";

export class EjabberdCommandError extends Error {
  constructor(command: string, readonly status: number, body: string) {
    super(`ejabberd ${command} answered ${status}: ${body}`);
    this.name = "EjabberdCommandError";
  }
}

type Args = Record<string, unknown>;

export class EjabberdApi {
  // Every write by what it is about (a later write with the same key
  // replaces it), so that replay() can write it all again.
  readonly #written = new Map<string, [string, Args]>();

  constructor(readonly url: string, readonly domain: string) {}

  /** A command, e.g. `command("get_roster", {user, host})`; its JSON answer. */
  async command(name: string, args: Args): Promise<unknown> {
    const response = await fetch(`${this.url}/${name}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(args),
    });
    const body = await response.text();
    if (!response.ok) {
      throw new EjabberdCommandError(name, response.status, body);
    }
    return JSON.parse(body) as unknown;
  }

  /** Whether the node answers `status` as started and running. */
  async running(): Promise<boolean> {
    try {
      const status = await this.command("status", {});
      return typeof status === "string" && status.includes("is running");
    } catch (error) {
      // fetch rejects with a TypeError while nothing listens yet.
      if (error instanceof TypeError) return false;
      throw error;
    }
  }

  /** Accounts first, then the roster items and vCards that name them. */
  async seed(seed: {
    readonly users?: readonly ProsodyUser[];
    readonly roster?: RosterSeed;
    readonly vcards?: Readonly<Record<string, Vcard>>;
  }): Promise<void> {
    for (const user of seed.users ?? []) {
      await this.register(user.username, user.password);
    }
    for (const [owner, items] of Object.entries(seed.roster ?? {})) {
      for (const item of items) await this.addRosterItem(owner, item);
    }
    for (const [username, vcard] of Object.entries(seed.vcards ?? {})) {
      await this.setVcard(username, vcard);
    }
  }

  register(username: string, password: string): Promise<void> {
    const args = { user: username, host: this.domain, password };
    return this.#write(`user ${username}`, "register", args);
  }

  addRosterItem(owner: string, item: RosterItem): Promise<void> {
    const [user, host] = item.jid.split("@");
    return this.#write(`roster ${owner} ${item.jid}`, "add_rosteritem", {
      localuser: owner,
      localhost: this.domain,
      user,
      host,
      nick: item.name ?? "",
      // mod_admin_extra 23.01 splits the group argument at ";".
      group: item.groups.join(";"),
      subs: item.subscription,
    });
  }

  async setVcard(username: string, vcard: Vcard): Promise<void> {
    const user = { user: username, host: this.domain };
    // XEP-0054 fields, the ones mod_vcard indexes for search.
    const fields: readonly (readonly [string, string | null, string])[] = [
      ["FN", null, vcard.fn],
      ["NICKNAME", null, vcard.nick],
      ["N", "GIVEN", vcard.given],
      ["N", "FAMILY", vcard.family],
      ["EMAIL", "USERID", vcard.email],
    ];
    for (const [name, subname, content] of fields) {
      const key = `vcard ${username} ${name} ${subname}`;
      if (subname === null) {
        await this.#write(key, "set_vcard", { ...user, name, content });
      } else {
        const args = { ...user, name, subname, content };
        await this.#write(key, "set_vcard2", args);
      }
    }
  }

  /** Writes again everything written so far (after a crash, see restart()). */
  async replay(): Promise<void> {
    for (const [key, [name, args]] of this.#written) {
      await this.#write(key, name, args, true);
    }
  }

  /**
   * mod_admin_extra's commands answer 0 for success; register answers 409
   * for an existing account, which a replay leaves as it is.
   */
  async #write(
    key: string,
    name: string,
    args: Args,
    replay = false,
  ): Promise<void> {
    if (!replay) this.#written.set(key, [name, args]);
    try {
      const result = await this.command(name, args);
      if (name !== "register" && result !== 0) {
        throw new EjabberdCommandError(name, 200, JSON.stringify(result));
      }
    } catch (error) {
      const kept = replay && error instanceof EjabberdCommandError &&
        error.status === 409;
      if (!kept) throw error;
    }
  }
}
