// The team desk server this desktop works at, or none: the mode (the badge,
// the banner, the leave link), the server's lost / back event, joining and
// leaving. The Desk composes it (`desk.teamDesk`) and hands itself over as
// the host that shows refusals and reads the window again.
import { errorCode, errorMessage, type Backend } from './backend';
import type { DeskMode } from './bindings/DeskMode';
import type { TeamProbe } from './bindings/TeamProbe';
import type { TeamView } from './bindings/TeamView';
import type { ShownError } from './desk.svelte';

/** What the team desk uses of the Desk that holds it. */
export interface TeamHost {
  readonly backend: Backend;
  error: ShownError | null;
  fail(e: unknown): void;
  refreshSession(): Promise<void>;
  loadInfo(): Promise<void>;
  /** Reads everything the window shows again, as at start. */
  refreshAll(): Promise<void>;
}

export class TeamDesk {
  /** The team desk server this desktop works at; null when it works alone. */
  team = $state<TeamView | null>(null);
  /** The desktop forgets the team server at its next start (asked on the log-in screen). */
  leaving = $state(false);

  private unlisten: (() => void) | null = null;
  private stopped = false;

  constructor(private readonly host: TeamHost) {}

  private get backend(): Backend {
    return this.host.backend;
  }

  /**
   * Listens for the server's state (lost / back), an event of its own;
   * resolves once listening. The mode read at start is newer than any
   * announced before it listens.
   */
  listen(): Promise<void> {
    return this.backend.onTeam((v) => this.onTeam(v)).then(
      (unlisten) => {
        // Stopped meanwhile (the window closing): nothing to listen for.
        if (this.stopped) unlisten();
        else this.unlisten = unlisten;
      },
      (e: unknown) => this.host.fail(e),
    );
  }

  stop(): void {
    this.stopped = true;
    this.unlisten?.();
    this.unlisten = null;
  }

  /** Alone or at a team desk server (the badge, the banner, the leave link). */
  async loadMode(): Promise<void> {
    try {
      this.applyMode(await this.backend.deskMode());
    } catch (e) {
      // Not through fail(): the session is read by itself at start.
      this.host.error = { code: errorCode(e), message: errorMessage(e) };
    }
  }

  private applyMode(m: DeskMode): void {
    this.team = m.team;
    this.leaving = m.leaving;
  }

  /** The team server was lost or is back. */
  onTeam(v: TeamView): void {
    const wasLost = this.team !== null && !this.team.connected;
    this.team = v;
    // Back after being lost: what the window shows may be stale (and its
    // "unreachable" errors no longer true), so everything is read again.
    if (wasLost && v.connected) void this.host.refreshAll();
  }

  /** Contacts a team server before joining it; resolves to what it said, or the refusal. */
  async probe(url: string): Promise<{ probe: TeamProbe } | { error: string }> {
    try {
      return { probe: await this.backend.probeTeam(url.trim()) };
    } catch (e) {
      return { error: errorMessage(e) };
    }
  }

  /**
   * Joins the team server, pinning the fingerprint the person compared.
   * The session then comes from the server (its operators log in here).
   * Resolves to the refusal, if any.
   */
  async join(url: string, fingerprint: string): Promise<string | null> {
    try {
      this.applyMode(await this.backend.joinTeam(url.trim(), fingerprint));
    } catch (e) {
      return errorMessage(e);
    }
    await Promise.all([this.host.refreshSession(), this.host.loadInfo()]);
    return null;
  }

  /** Works alone from the next start. Resolves to the refusal, if any. */
  async leave(): Promise<string | null> {
    try {
      this.applyMode(await this.backend.leaveTeam());
      return null;
    } catch (e) {
      return errorMessage(e);
    }
  }
}
