// The desk mode for the fake backend: alone by default, or at a team desk
// server after join_team. Methods return the value or throw the ApiError
// the shell would; FakeBackend records the calls and emits `cashdesk://team`.
import type { ApiError } from '../lib/bindings/ApiError';
import type { DeskMode } from '../lib/bindings/DeskMode';
import type { TeamProbe } from '../lib/bindings/TeamProbe';
import type { TeamSessionRow } from '../lib/bindings/TeamSessionRow';
import type { TeamView } from '../lib/bindings/TeamView';
import { FakeSession } from './fake-session';

export const SERVER_FINGERPRINT =
  'SHA256:3F:9A:11:C4:7E:02:BB:58:6D:E1:90:4C:AA:17:F3:0E:62:D8:5B:29:C0:74:1D:E6:8F:33:A5:B9:04:7C:E2:16';
export const UNREACHABLE = 'Could not reach https://desk.example:8651: connection refused.';
export const MISMATCH =
  "The server's certificate is not the one you compared: its fingerprint changed. Nothing was saved.";

const MINUTE = 60_000;
const at = (msFromNow: number) => new Date(Date.now() + msFromNow).toISOString();

/** Two desktops logged in to the server: Asha's here, Bilal's at the counter. */
export function teamSessionsFixture(): TeamSessionRow[] {
  return [
    {
      id: 'sess-asha',
      operator_id: 'op-1',
      operator: 'Asha',
      device: 'front-desk-1',
      created_at: at(-90 * MINUTE),
      last_seen_at: at(-1 * MINUTE),
      expires_at: at(10 * 60 * MINUTE),
    },
    {
      id: 'sess-bilal',
      operator_id: 'op-2',
      operator: 'Bilal',
      device: 'counter-pc',
      created_at: at(-3 * 60 * MINUTE),
      last_seen_at: at(-20 * MINUTE),
      expires_at: at(9 * 60 * MINUTE),
    },
  ];
}

const fail = (code: ApiError['code'], message: string): never => {
  throw { code, message } satisfies ApiError;
};

export class FakeTeam {
  mode: DeskMode = { team: null, leaving: false };
  /** What probe_team answers about the server (any url but `down`). */
  server = { name: 'Head office desk', version: '0.4.0', fingerprint: SERVER_FINGERPRINT };
  /** URLs that cannot be reached. */
  down = new Set<string>();
  /** The desktops logged in to the server (team_sessions answers them only at a team desk). */
  sessions: TeamSessionRow[] = teamSessionsFixture();

  constructor(private session: FakeSession) {}

  /** Already joined (test set-up): the session is the server's, nobody logged in. */
  joined(url = 'https://desk.example:8651', connected = true): this {
    this.mode = { team: this.view(url, connected, connected ? null : 'connection refused'), leaving: false };
    return this;
  }

  view(url: string, connected: boolean, problem: string | null): TeamView {
    return { url, fingerprint: this.server.fingerprint, server: this.server.name, connected, problem };
  }

  probe(url: string): TeamProbe {
    if (!/^https:\/\/\S+$/.test(url)) fail('invalid_input', 'The address starts with https://, like https://desk.example:8651');
    if (this.down.has(url)) fail('server_unreachable', UNREACHABLE);
    return { url, server: this.server.name, version: this.server.version, fingerprint: this.server.fingerprint };
  }

  join(url: string, fingerprint: string): DeskMode {
    if (this.session.state !== 'first_start') fail('not_allowed', 'This desk already has operators: it cannot join a team desk.');
    this.probe(url);
    if (fingerprint !== this.server.fingerprint) fail('not_allowed', MISMATCH);
    this.mode = { team: this.view(url, true, null), leaving: false };
    // From now on the session is the server's: its operators, nobody logged in.
    this.session.operators = new FakeSession().operators;
    this.session.loggedOut();
    return this.mode;
  }

  /** team_sessions: an admin's; empty on a desk alone. */
  listSessions(): TeamSessionRow[] {
    this.session.require('administer');
    return this.mode.team ? this.sessions : [];
  }

  /** revoke_team_session: ends one (the server audits it); answers the list after. */
  revokeSession(id: string): TeamSessionRow[] {
    this.session.require('administer');
    if (!this.mode.team || !this.sessions.some((s) => s.id === id)) fail('not_found', 'No such session: it may have ended already.');
    this.sessions = this.sessions.filter((s) => s.id !== id);
    return this.sessions;
  }

  leave(): DeskMode {
    if (!this.mode.team) fail('not_allowed', 'This desk works alone.');
    this.mode = { ...this.mode, leaving: true };
    return this.mode;
  }
}
