// One server process a launcher owns (Prosody, ejabberd): spawned in the
// foreground with both pipes drained, its exit watched, stopped with SIGTERM
// and a grace period before SIGKILL. Shared so each launcher keeps only what
// is its server's own (config, readiness, accounts).

export class ServerProcess {
  readonly #child: Deno.ChildProcess;
  #exited = false;
  /** Settles once the process has exited, with what it printed. */
  readonly exit: Promise<Deno.CommandOutput>;

  constructor(
    command: string,
    options: { args: readonly string[]; env?: Record<string, string> },
  ) {
    this.#child = new Deno.Command(command, {
      args: [...options.args],
      env: options.env,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    // output() drains both pipes and awaits the status: a full pipe never
    // blocks the server, and what it printed is kept for error messages.
    this.exit = this.#child.output().then((output) => {
      this.#exited = true;
      return output;
    });
  }

  get exited(): boolean {
    return this.#exited;
  }

  /** Exit code and the tail of stdout and stderr, for an error message. */
  async report(): Promise<string> {
    const output = await this.exit;
    const decoder = new TextDecoder();
    return `exit code ${output.code}\n` +
      `--- stdout ---\n${decoder.decode(output.stdout).slice(-4000)}\n` +
      `--- stderr ---\n${decoder.decode(output.stderr).slice(-4000)}`;
  }

  signal(signal: Deno.Signal): void {
    if (this.#exited) return;
    try {
      this.#child.kill(signal);
    } catch (error) {
      // The process may exit between the check and the kill; Deno reports
      // that as a TypeError, and the exit promise still settles.
      const gone = error instanceof TypeError &&
        error.message.includes("already terminated");
      if (!gone) throw error;
    }
  }

  async kill(): Promise<void> {
    this.signal("SIGKILL");
    await this.exit;
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it exited. */
  async terminate(graceMs: number): Promise<void> {
    if (this.#exited) return;
    this.signal("SIGTERM");
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), graceMs);
    });
    const outcome = await Promise.race([this.exit, late]);
    clearTimeout(timer);
    if (outcome === "late") await this.kill();
  }
}

/** A file's text, or "" when it does not exist (yet). */
export function readIfPresent(path: string): string {
  try {
    return Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "";
    throw error;
  }
}

/** The last `lines` lines of `text`. */
export function lastLines(text: string, lines: number): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}
