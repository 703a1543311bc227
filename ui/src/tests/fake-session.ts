// The core's session for the fake backend: operators with roles, log-in,
// lock, claims and approval rules. Methods return the value or throw the
// ApiError the core would.
import type { LoginKind } from '../lib/backend';
import type { ApiError } from '../lib/bindings/ApiError';
import type { ClaimView } from '../lib/bindings/ClaimView';
import type { NewOperatorInput } from '../lib/bindings/NewOperatorInput';
import type { OperatorBadge } from '../lib/bindings/OperatorBadge';
import type { OperatorChangeInput } from '../lib/bindings/OperatorChangeInput';
import type { OperatorRow } from '../lib/bindings/OperatorRow';
import type { Permission } from '../lib/bindings/Permission';
import type { RequestDetail } from '../lib/bindings/RequestDetail';
import type { Role } from '../lib/bindings/Role';
import type { RuleView } from '../lib/bindings/RuleView';
import type { SessionState } from '../lib/bindings/SessionState';
import type { SessionView } from '../lib/bindings/SessionView';

/** Which roles grant each permission (as the domain's Permission::granted_by). */
const GRANTED_BY: Record<Permission, Role[]> = {
  decide: ['agent', 'supervisor'],
  enter: ['agent', 'supervisor'],
  second_approval: ['supervisor'],
  settle: ['supervisor'],
  take_over: ['supervisor'],
  supervise: ['supervisor'],
  administer: ['admin'],
};
const PERMISSIONS = Object.keys(GRANTED_BY) as Permission[];
const NEEDS: Record<Permission, string> = {
  decide: 'Needs an agent: approving or rejecting requests.',
  enter: 'Needs an agent: entering requests at the desk.',
  second_approval: 'Needs a supervisor: giving the second approval.',
  settle: 'Needs a supervisor: settling an unknown outcome.',
  take_over: "Needs a supervisor: taking over another operator's claim.",
  supervise: "Needs a supervisor: the supervisor's views.",
  administer: 'Needs an admin: provider accounts, operators, thresholds and the intake token.',
};

export const WRONG_LOG_IN = 'That name and secret do not match an operator who may log in.';
export const LOGGED_OUT = 'Log in first: every decision is recorded with who made it.';
export const LOCKED = 'The desk is locked: unlock it with your password or PIN.';

export interface FakeOperator {
  id: string;
  name: string;
  roles: Role[];
  login: LoginKind;
  secret: string;
  disabled: boolean;
  locked_until: string | null;
}

interface Claim {
  by: string;
  since: string;
  until: string;
}

const fail = (code: ApiError['code'], message: string): never => {
  throw { code, message } satisfies ApiError;
};

export class FakeSession {
  /** Asha holds every role; Bilal is an agent; Rina a supervisor. */
  operators: FakeOperator[] = [
    { id: 'op-1', name: 'Asha', roles: ['agent', 'supervisor', 'admin'], login: 'password', secret: 'correct horse', disabled: false, locked_until: null },
    { id: 'op-2', name: 'Bilal', roles: ['agent'], login: 'pin', secret: '0451', disabled: false, locked_until: null },
    { id: 'op-3', name: 'Rina', roles: ['supervisor'], login: 'password', secret: 'rina at the desk', disabled: false, locked_until: null },
  ];
  state: SessionState = 'active';
  /** Logged in, or who locked the desk. */
  current: string | null = 'op-1';
  idleLockSecs = 300;
  rules: RuleView[] = [];
  claims: Record<string, Claim> = {};
  private seq = 3;
  private ruleSeq = 0;

  /** No operator yet: the window asks for the first admin. */
  firstStart(): this {
    this.operators = [];
    this.state = 'first_start';
    this.current = null;
    return this;
  }

  loggedOut(): this {
    this.state = 'logged_out';
    this.current = null;
    return this;
  }

  /** Logged in as `id` from the start. */
  as(id: string): this {
    this.state = 'active';
    this.current = id;
    return this;
  }

  get me(): FakeOperator | null {
    return this.operators.find((o) => o.id === this.current) ?? null;
  }

  may(p: Permission): boolean {
    return !!this.me && GRANTED_BY[p].some((r) => this.me!.roles.includes(r));
  }

  badge(o: FakeOperator): OperatorBadge {
    return {
      id: o.id,
      name: o.name,
      roles: [...o.roles],
      login: o.login,
      may: PERMISSIONS.filter((p) => GRANTED_BY[p].some((r) => o.roles.includes(r))),
    };
  }

  row(o: FakeOperator): OperatorRow {
    return { badge: this.badge(o), disabled: o.disabled, locked_until: o.locked_until };
  }

  view(): SessionView {
    const me = this.me;
    return {
      state: this.state,
      operator: me ? this.badge(me) : null,
      operators: this.operators.filter((o) => !o.disabled).map((o) => this.badge(o)),
      idle_lock_secs: this.idleLockSecs,
      sla_minutes: this.slaMinutes,
    };
  }

  /** The refusal of a command that needs someone active, or null. */
  refusal(): ApiError | null {
    if (this.state === 'active') return null;
    return this.state === 'locked' ? { code: 'locked', message: LOCKED } : { code: 'logged_out', message: LOGGED_OUT };
  }

  require(p: Permission): FakeOperator {
    const r = this.refusal();
    if (r) throw r;
    if (!this.may(p)) fail('needs_role', NEEDS[p]);
    return this.me!;
  }

  /** The supervisor's views: supervisors and admins. */
  supervising(): FakeOperator {
    const r = this.refusal();
    if (r) throw r;
    if (!this.may('supervise') && !this.may('administer')) fail('needs_role', NEEDS.supervise);
    return this.me!;
  }

  /** Minutes before a request is past the SLA (admin). */
  slaMinutes = 30;

  setSla(minutes: number): number {
    this.require('administer');
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 24 * 60) fail('invalid_input', 'SLA: 1 minute to 24 hours');
    this.slaMinutes = minutes;
    return minutes;
  }

  private check(login: string, secret: string): void {
    if (login === 'pin' && !/^[0-9]{4,12}$/.test(secret)) fail('invalid_input', 'A PIN is 4 to 12 digits');
    if (login === 'password' && (secret.length < 8 || secret.length > 128)) {
      fail('invalid_input', 'A password needs 8 to 128 characters');
    }
  }

  private newOperator(name: string, roles: Role[], login: LoginKind, secret: string): FakeOperator {
    if (name.trim() === '' || name.trim().length > 60) fail('invalid_input', 'A name: 1 to 60 characters');
    this.check(login, secret);
    const o: FakeOperator = { id: `op-${++this.seq}`, name: name.trim(), roles: [...roles], login, secret, disabled: false, locked_until: null };
    this.operators.push(o);
    return o;
  }

  createFirstAdmin(name: string, login: LoginKind, secret: string): SessionView {
    if (this.state !== 'first_start') fail('not_allowed', 'The first admin already exists.');
    const o = this.newOperator(name, ['agent', 'supervisor', 'admin'], login, secret);
    return this.as(o.id).view();
  }

  private verify(id: string, secret: string): FakeOperator {
    const o = this.operators.find((x) => x.id === id);
    if (!o || o.disabled || o.secret !== secret) fail('logged_out', WRONG_LOG_IN);
    return o!;
  }

  logIn(id: string, secret: string): SessionView {
    return this.as(this.verify(id, secret).id).view();
  }

  unlock(secret: string): SessionView {
    if (this.current === null) fail('logged_out', LOGGED_OUT);
    return this.as(this.verify(this.current!, secret).id).view();
  }

  lock(): SessionView {
    if (this.current !== null) this.state = 'locked';
    return this.view();
  }

  logOut(): SessionView {
    this.current = null;
    this.state = this.operators.length ? 'logged_out' : 'first_start';
    return this.view();
  }

  setIdleLock(secs: number): SessionView {
    this.require('administer');
    if (secs < 30 || secs > 8 * 3600) fail('invalid_input', 'Idle lock: 30 seconds to 8 hours');
    this.idleLockSecs = secs;
    return this.view();
  }

  list(): OperatorRow[] {
    this.require('administer');
    return this.operators.map((o) => this.row(o));
  }

  add(input: NewOperatorInput): OperatorRow {
    this.require('administer');
    if (input.roles.length === 0) fail('invalid_input', 'Give the operator at least one role');
    return this.row(this.newOperator(input.name, input.roles, input.login as LoginKind, input.secret));
  }

  change(id: string, input: OperatorChangeInput): OperatorRow {
    this.require('administer');
    const o = this.operators.find((x) => x.id === id) ?? fail('not_found', `No operator ${id}.`);
    if ((input.login === null) !== (input.secret === null)) {
      fail('invalid_input', 'A reset needs both the kind of log-in and the secret');
    }
    if (input.login !== null && input.secret !== null) {
      this.check(input.login, input.secret);
      o.login = input.login as LoginKind;
      o.secret = input.secret;
      o.locked_until = null;
    }
    if (input.roles !== null) o.roles = [...input.roles];
    if (input.disabled !== null) o.disabled = input.disabled;
    return this.row(o);
  }

  rulesList(): RuleView[] {
    this.require('administer');
    return this.rules;
  }

  addRule(rule: RuleView): RuleView[] {
    this.require('administer');
    if (!['request', 'agent_day', 'end_user_day'].includes(rule.scope)) {
      fail('invalid_input', 'Scope: request, agent_day or end_user_day');
    }
    if (!/^[0-9]+(\.[0-9]+)?$/.test(rule.threshold) || Number(rule.threshold) <= 0) {
      fail('invalid_input', 'Threshold: more than zero');
    }
    this.rules.push({ ...rule, id: ++this.ruleSeq });
    return this.rules;
  }

  removeRule(id: number): RuleView[] {
    this.require('administer');
    this.rules = this.rules.filter((r) => r.id === null || Number(r.id) !== Number(id));
    return this.rules;
  }

  private live(id: string): Claim | null {
    const c = this.claims[id];
    return c && Date.parse(c.until) > Date.now() ? c : null;
  }

  private claimView(c: Claim): ClaimView {
    const by = this.operators.find((o) => o.id === c.by)?.name ?? '?';
    return { by, since: c.since, until: c.until, mine: c.by === this.current };
  }

  private lease(id: string, by: string): ClaimView {
    const now = Date.now();
    const since = this.live(id)?.by === by ? this.claims[id].since : new Date(now).toISOString();
    this.claims[id] = { by, since, until: new Date(now + 120_000).toISOString() };
    return this.claimView(this.claims[id]);
  }

  /** Another operator holds a claim on `id` (test set-up). */
  claimedBy(id: string, operatorId: string, since = new Date()): void {
    this.claims[id] = { by: operatorId, since: since.toISOString(), until: new Date(Date.now() + 120_000).toISOString() };
  }

  claim(id: string): ClaimView {
    const me = this.require('decide');
    const c = this.live(id);
    if (c && c.by !== me.id) {
      fail('claimed', `${this.claimView(c).by} is on it (since ${c.since.slice(11, 16)} UTC).`);
    }
    return this.lease(id, me.id);
  }

  release(id: string): null {
    const r = this.refusal();
    if (r) throw r;
    if (this.live(id)?.by === this.current) delete this.claims[id];
    return null;
  }

  takeOver(id: string): ClaimView {
    const me = this.require('take_over');
    return this.lease(id, me.id);
  }

  /** A request as the logged-in operator sees it: who is on it, and why they may not decide. */
  shown(r: RequestDetail): RequestDetail {
    const c = this.live(r.summary.id);
    const claim = c ? this.claimView(c) : null;
    const other = claim && !claim.mine ? `${claim.by} is on it (since ${claim.since.slice(11, 16)} UTC).` : null;
    return { ...r, claim, blocked: r.blocked ?? (r.can_decide ? other : null) };
  }
}
