// The desk mode for the fake backend: alone by default, or at a team desk
// server after join_team. Methods return the value or throw the ApiError
// the shell would; FakeBackend records the calls and emits `cashdesk://team`.
import type { ApiError } from '../lib/bindings/ApiError';
import type { DeskMode } from '../lib/bindings/DeskMode';
import type { TeamProbe } from '../lib/bindings/TeamProbe';
import type { TeamView } from '../lib/bindings/TeamView';
import { FakeSession } from './fake-session';

export const SERVER_FINGERPRINT =
  'SHA256:3F:9A:11:C4:7E:02:BB:58:6D:E1:90:4C:AA:17:F3:0E:62:D8:5B:29:C0:74:1D:E6:8F:33:A5:B9:04:7C:E2:16';
export const UNREACHABLE = 'Could not reach https://desk.example:8651: connection refused.';
export const MISMATCH =
  "The server's certificate is not the one you compared: its fingerprint changed. Nothing was saved.";

const fail = (code: ApiError['code'], message: string): never => {
  throw { code, message } satisfies ApiError;
};

export class FakeTeam {
  mode: DeskMode = { team: null, leaving: false };
  /** What probe_team answers about the server (any url but `down`). */
  server = { name: 'Head office desk', version: '0.4.0', fingerprint: SERVER_FINGERPRINT };
  /** URLs that cannot be reached. */
  down = new Set<string>();

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

  leave(): DeskMode {
    if (!this.mode.team) fail('not_allowed', 'This desk works alone.');
    this.mode = { ...this.mode, leaving: true };
    return this.mode;
  }
}
