// An in-memory Backend for component tests. Records every call.
import type { AttentionItem } from '../lib/bindings/AttentionItem';
import type { AuditCheck } from '../lib/bindings/AuditCheck';
import type { AuditQuery } from '../lib/bindings/AuditQuery';
import type { AuditRow } from '../lib/bindings/AuditRow';
import type { Backend, ExportQuery, ExportResult, LoginKind } from '../lib/backend';
import type { Candidate } from '../lib/bindings/Candidate';
import type { AccountView } from '../lib/bindings/AccountView';
import type { ApiError } from '../lib/bindings/ApiError';
import type { AppInfo } from '../lib/bindings/AppInfo';
import type { AttachmentView } from '../lib/bindings/AttachmentView';
import type { AttachTarget } from '../lib/bindings/AttachTarget';
import type { Changed } from '../lib/bindings/Changed';
import type { DraftFields } from '../lib/bindings/DraftFields';
import type { DraftView } from '../lib/bindings/DraftView';
import type { ImportReport } from '../lib/bindings/ImportReport';
import type { IntakeInfo } from '../lib/bindings/IntakeInfo';
import type { LinkView } from '../lib/bindings/LinkView';
import type { MethodInfo } from '../lib/bindings/MethodInfo';
import type { NewOperatorInput } from '../lib/bindings/NewOperatorInput';
import type { OperatorChangeInput } from '../lib/bindings/OperatorChangeInput';
import type { ProviderForm } from '../lib/bindings/ProviderForm';
import type { QuarantineItem } from '../lib/bindings/QuarantineItem';
import type { QueueQuery } from '../lib/bindings/QueueQuery';
import type { ReferenceView } from '../lib/bindings/ReferenceView';
import type { RequestDetail } from '../lib/bindings/RequestDetail';
import type { RequestForm } from '../lib/bindings/RequestForm';
import type { RequestStatus } from '../lib/bindings/RequestStatus';
import type { RuleView } from '../lib/bindings/RuleView';
import type { ScreenshotInput } from '../lib/bindings/ScreenshotInput';
import type { DeskPolicy } from '../lib/bindings/DeskPolicy';
import type { NotifyPrefs } from '../lib/bindings/NotifyPrefs';
import { FakeMethodSla } from './fake-method-sla';
import { FakeNotify } from './fake-notify';
import { FakePolicy } from './fake-policy';
import { FakeQueue } from './fake-queue';
import { FakeSession } from './fake-session';
import { FakeTeam } from './fake-team';
import type { TeamView } from '../lib/bindings/TeamView';
import { attentionFixture, auditFixture, auditPage } from './fake-supervise';
import { FakeSupervisorDesk } from './fake-desk';
import type { BalanceInput } from '../lib/bindings/BalanceInput';
import type { OverviewRange } from '../lib/bindings/OverviewRange';
import type { PersonQuery } from '../lib/bindings/PersonQuery';
import type { SignClose } from '../lib/bindings/SignClose';

/** Commands the core answers with nobody logged in (the rest are refused). */
const SESSIONLESS = new Set([
  'app_info',
  'session',
  'create_first_admin',
  'log_in',
  'unlock',
  'lock_desk',
  'log_out',
  'provider_forms',
  'desk_mode',
  'probe_team',
  'join_team',
  'leave_team',
]);

export const LABELS: Partial<Record<RequestStatus, string>> = {
  pending: 'pending',
  awaiting_second_approval: 'awaiting second approval',
  approved: 'waiting to send',
  rejected: 'rejected',
  rejected_by_provider: 'rejected by provider',
  outcome_unknown: 'outcome unknown — check with provider',
  completed: 'completed',
  amount_differs: 'amount differs — needs a person',
};

export function makeRequest(n: number, over: Partial<RequestDetail['summary']> = {}): RequestDetail {
  const status = over.status ?? 'pending';
  const created = new Date(Date.now() - (100 - n) * 1000).toISOString();
  return {
    summary: {
      id: `req-${n}`,
      kind: 'deposit',
      provider: 'zexabit',
      provider_label: 'Zexabit',
      method: 'bkash',
      method_label: 'bKash',
      money: { amount: `${n}00.00`, currency: 'BDT' },
      amount_display: `${n}00.00 BDT`,
      end_user: `user-${n}`,
      reference: `TRX${n}`,
      status,
      status_label: LABELS[status] ?? status,
      created_at: created,
      updated_at: created,
      due_at: null,
      ...over,
    },
    account_id: 'acc-1',
    account_name: 'Zexabit sandbox',
    merchant_ref: `CD-${n}`,
    end_user_ref: `user-${n}`,
    end_user_name: null,
    provider_user_id: null,
    trx_id: `TRX${n}`,
    sender: '01700000000',
    destination: null,
    agent_number: '01800000000',
    provider_txn_id: null,
    provider_status: null,
    provider_reason: null,
    status_reason: null,
    source: 'intake',
    extra: [],
    masked: false,
    history: [
      { at: created, actor: 'Operator platform', from: null, to: status, to_label: LABELS[status] ?? status, reason: null },
    ],
    can_decide: status === 'pending' || status === 'awaiting_second_approval' || status === 'failed',
    can_settle: status === 'outcome_unknown' || status === 'amount_differs',
    claim: null,
    blocked: null,
    settled: null,
    settled_display: null,
    screenshot: null,
    lookups: [],
    risk: [],
    outside_limits: null,
    approve_blocked: null,
    confirm_from: null,
  };
}

export class FakeBackend implements Backend {
  info: AppInfo = {
    version: '0.1.0',
    sandbox: true,
    operator: 'Asha',
    data_dir: '/tmp/cashdesk',
    intake_url: 'http://127.0.0.1:7400',
  };
  requests: RequestDetail[] = [];
  drafts: DraftView[] = [];
  accounts: AccountView[] = [
    { id: 'acc-1', provider: 'zexabit', provider_label: 'Zexabit', name: 'Zexabit sandbox', base_url: 'http://127.0.0.1:7501', sandbox: true },
  ];
  methods: MethodInfo[] = [
    { method: 'bkash', label: 'bKash', currency: 'BDT', kind: null, min_amount: '100.00', max_amount: '25000.00', manual: false, screenshot: false },
  ];
  /** request_form answers per account; others get a Zexabit-like form over `methods`. */
  requestForms: Record<string, RequestForm> = {};
  /** account_reference answers per account; others get `methods` and one balance. */
  accountReferences: Record<string, ReferenceView> = {};
  /** request_reference answers per request; others get nothing. */
  requestReferences: Record<string, ReferenceView> = {};
  /** Stored screenshots by attachment id, with their bytes as base64. */
  attachments: Record<string, { view: AttachmentView; data_base64: string }> = {};
  forms: ProviderForm[] = [
    {
      provider: 'zexabit',
      label: 'Zexabit',
      default_base_url: 'https://api.portal.zexabit.com',
      secrets: [
        { name: 'api_key', label: 'API key', hint: 'Partner API key (Bearer)' },
        { name: 'webhook_secret', label: 'Webhook secret', hint: 'Verifies X-Zexabit-Signature' },
      ],
      settings: [],
    },
    {
      provider: 'zimo_pagos',
      label: 'Zimo-pagos',
      default_base_url: 'https://api-stg.zimo-pagos.com',
      secrets: [
        { name: 'login', label: 'Cashout login', hint: 'Merchant Panel → Settings → API Access' },
        { name: 'pass', label: 'Cashout pass', hint: 'Merchant Panel → Settings → API Access' },
        { name: 'signing_secret', label: 'Signing secret', hint: 'Key of the Payload-Signature HMAC' },
      ],
      settings: [
        { name: 'notification_url', label: 'Notification URL', hint: 'Public HTTPS address forwarding to this desk' },
        { name: 'card_base_url', label: 'Debit-card host (Mexico)', hint: 'Given by Zimo-pagos on request; optional' },
      ],
    },
  ];
  /** list_links: one per account; acc-1 is online from the start. */
  links: LinkView[] = [
    {
      account_id: 'acc-1',
      account_name: 'Zexabit sandbox',
      provider_label: 'Zexabit',
      state: 'online',
      since: new Date(Date.now() - 3_600_000).toISOString(),
      detail: 'Connected to Zexabit',
    },
  ];
  intake: IntakeInfo = {
    url: 'http://127.0.0.1:7400/intake/v1/requests',
    openapi_url: 'http://127.0.0.1:7400/intake/v1/openapi.json',
    token_in_keychain: true,
    read_token_command: 'secret-tool lookup service cashdesk username app:intake_token',
  };
  /** quarantined: items set aside, most recent first. */
  quarantine: QuarantineItem[] = [];
  /** import_csv answers with this; by default every row is filed. */
  importReport: ((text: string) => ImportReport) | null = null;
  /** When set, add_account fails with it. */
  addAccountError: ApiError | null = null;
  /** Operators, log-in, lock, claims and approval rules (Asha, every role, is logged in). */
  desk = new FakeSession();
  calls: { name: string; args: unknown[] }[] = [];
  private handlers: ((c: Changed) => void)[] = [];
  private teamHandlers: ((v: TeamView) => void)[] = [];
  private draftSeq = 0;
  private attachmentSeq = 0;

  constructor(requests: RequestDetail[] = []) {
    this.requests = requests;
  }

  callsTo(name: string): unknown[][] {
    return this.calls.filter((c) => c.name === name).map((c) => c.args);
  }

  emit(c: Partial<Changed>): void {
    const full: Changed = { requests: [], new_requests: 0, drafts: false, accounts: false, links: false, ...c };
    for (const h of this.handlers) h(full);
  }

  private log<T>(name: string, args: unknown[], value: T): Promise<T> {
    this.calls.push({ name, args });
    const refused = SESSIONLESS.has(name) ? null : this.desk.refusal();
    if (refused) return Promise.reject(refused);
    return Promise.resolve(structuredClone(value));
  }

  /** Records the call and answers with what `run` returns, or the ApiError it throws. */
  private act<T>(name: string, args: unknown[], run: () => T): Promise<T> {
    try {
      return this.log(name, args, run());
    } catch (e) {
      this.calls.push({ name, args });
      return Promise.reject(e);
    }
  }

  private find(id: string): RequestDetail {
    const r = this.requests.find((x) => x.summary.id === id);
    if (!r) throw { code: 'not_found', message: `No request ${id}.` } satisfies ApiError;
    return r;
  }

  private transition(id: string, to: RequestStatus, reason: string | null): RequestDetail {
    const r = this.find(id);
    r.history.push({ at: new Date().toISOString(), actor: this.desk.me?.name ?? '?', from: r.summary.status, to, to_label: LABELS[to] ?? to, reason });
    r.summary = { ...r.summary, status: to, status_label: LABELS[to] ?? to };
    r.status_reason = reason;
    r.can_decide = false;
    r.can_settle = false;
    return r;
  }

  appInfo = () => this.log('app_info', [], { ...this.info, operator: this.desk.me?.name ?? null });
  session = () => this.log('session', [], this.desk.view());
  createFirstAdmin = (name: string, login: LoginKind, secret: string) =>
    this.act('create_first_admin', [name, login, secret], () => this.desk.createFirstAdmin(name, login, secret));
  logIn = (id: string, secret: string) => this.act('log_in', [id, secret], () => this.desk.logIn(id, secret));
  unlock = (secret: string) => this.act('unlock', [secret], () => this.desk.unlock(secret));
  lockDesk = () => this.act('lock_desk', [], () => this.desk.lock());
  touchSession = () => this.act('touch_session', [], () => null);
  logOut = () => this.act('log_out', [], () => this.desk.logOut());
  setIdleLock = (secs: number) => this.act('set_idle_lock', [secs], () => this.desk.setIdleLock(secs));
  operators = () => this.act('operators', [], () => this.desk.list());
  addOperator = (input: NewOperatorInput) => this.act('add_operator', [input], () => this.desk.add(input));
  changeOperator = (id: string, input: OperatorChangeInput) =>
    this.act('change_operator', [id, input], () => this.desk.change(id, input));
  approvalRules = () => this.act('approval_rules', [], () => this.desk.rulesList());
  /** What verifying the audit log answers (tests set a broken one). */
  audit: AuditCheck = { ok: true, entries: 12, keyed: 12, unverified: 0, message: 'All 12 entries intact' };
  verifyAudit = () => this.act('verify_audit', [], () => this.audit);
  /** What `attention` answers (supervisors and admins). */
  attentionItems: AttentionItem[] = attentionFixture();
  attention = () =>
    this.act('attention', [], () => {
      this.desk.supervising();
      return this.attentionItems;
    });
  /** The audit log `audit_trail` filters, newest first. */
  auditRows: AuditRow[] = auditFixture();
  auditTrail = (query: AuditQuery) =>
    this.act('audit_trail', [query], () => {
      this.desk.supervising();
      return auditPage(this.auditRows, query, (id) => this.desk.operators.find((o) => o.id === id)?.name ?? null);
    });
  exportAudit = (query: AuditQuery) =>
    this.act('export_audit', [query], () => {
      this.desk.supervising();
      const all = auditPage(this.auditRows, { ...query, limit: 1_000_000 }, (id) =>
        this.desk.operators.find((o) => o.id === id)?.name ?? null,
      );
      return { path: '/home/asha/Downloads/cashdesk-audit.csv', rows: all.length };
    });
  /** The desk's policy (fake-policy.ts); approving goes by it too. */
  policy = new FakePolicy(this.desk);
  deskPolicy = () => this.act('desk_policy', [], () => this.policy.get());
  setDeskPolicy = (p: DeskPolicy) => this.act('set_desk_policy', [p], () => this.policy.set(p));
  /** This desk's notification preferences (fake-notify.ts). */
  notify = new FakeNotify(this.desk);
  notifyPrefs = () => this.act('notify_prefs', [], () => this.notify.get());
  setNotifyPrefs = (p: NotifyPrefs) => this.act('set_notify_prefs', [p], () => this.notify.set(p));
  setSlaMinutes = (minutes: number) => this.act('set_sla_minutes', [minutes], () => this.desk.setSla(minutes));
  /** The SLA per payment method (fake-method-sla.ts); setting one re-dates that method's pending requests. */
  methodSla = new FakeMethodSla(this.desk, () => this.requests);
  methodSlas = () => this.act('method_slas', [], () => this.methodSla.list());
  setMethodSla = (method: string, minutes: number | null) =>
    this.act('set_method_sla', [method, minutes], () => this.methodSla.set(method, minutes));
  /** When set, export_view answers with it; else the view's row count. */
  exportAnswer: ExportResult | null = null;
  exportView = (query: ExportQuery) =>
    this.act('export_view', [query], () => {
      const rows = this.queue.rows(query).length;
      return this.exportAnswer ?? { path: `/home/asha/Downloads/cashdesk-${query.tab}.csv`, rows };
    });
  addApprovalRule = (rule: RuleView) => this.act('add_approval_rule', [rule], () => this.desk.addRule(rule));
  removeApprovalRule = (id: number) => this.act('remove_approval_rule', [id], () => this.desk.removeRule(id));
  claim = (id: string) => this.act('claim', [id], () => this.desk.claim(id));
  releaseClaim = (id: string) => this.act('release_claim', [id], () => this.desk.release(id));
  takeOver = (id: string) =>
    this.act('take_over', [id], () => {
      const claim = this.desk.takeOver(id);
      this.sv.tookOver(id);
      return claim;
    });
  /** The overview, people pages and shifts (supervisors and admins). */
  sv = new FakeSupervisorDesk();
  private supervised<T>(name: string, args: unknown[], run: () => T): Promise<T> {
    return this.act(name, args, () => {
      this.desk.supervising();
      return run();
    });
  }
  overview = (range: OverviewRange) => this.supervised('overview', [range], () => this.sv.overview(range));
  people = () => this.supervised('people', [], () => this.sv.peopleRows);
  person = (query: PersonQuery) => this.supervised('person', [query], () => this.sv.person(query));
  shifts = () => this.supervised('shifts', [], () => this.sv.shifts());
  openShift = (balances: BalanceInput[]) =>
    this.act('open_shift', [balances], () => this.sv.openShift(balances, this.desk.require('supervise').name));
  previewClose = () => this.act('preview_close', [], () => (this.desk.require('supervise'), this.sv.previewClose()));
  signClose = (form: SignClose) => this.act('sign_close', [form], () => this.sv.signClose(form, this.desk.require('supervise')));
  shiftReport = (id: number) => this.supervised('shift_report', [id], () => this.sv.shiftReport(id));
  exportShift = (id: number) => this.supervised('export_shift', [id], () => this.sv.exportShift(id));
  /** list_queue's narrowing, order and cursor, and the saved views, over `requests`. */
  queue = new FakeQueue(() => this.requests);
  listQueue = (query: QueueQuery) => this.act('list_queue', [query], () => this.queue.page(query));
  savedViews = () => this.act('saved_views', [], () => this.queue.counted());
  filterChoices = () => this.act('filter_choices', [], () => this.queue.choices());
  saveView = (name: string, query: QueueQuery) => this.act('save_view', [name, query], () => this.queue.save(name, query));
  deleteView = (name: string) => this.act('delete_view', [name], () => this.queue.remove(name));
  getRequest = async (id: string) => this.log('get_request', [id], this.desk.shown(this.find(id)));
  /** Recorded as [id], or [id, true] when confirmed. */
  approve = async (id: string, confirmed?: boolean) =>
    this.act('approve', confirmed === undefined ? [id] : [id, confirmed], () => {
      this.policy.checkApprove(this.find(id), confirmed === true);
      return this.desk.shown(this.transition(id, 'approved', null));
    });
  reject = async (id: string, reason: string) =>
    this.log('reject', [id, reason], this.desk.shown(this.transition(id, 'rejected', reason)));
  candidates: Record<string, Candidate[]> = {};
  settleCandidates = async (id: string) => this.log('settle_candidates', [id], this.candidates[id] ?? []);
  settleWithCandidate = async (id: string, eventKey: string) =>
    this.log('settle_with_candidate', [id, eventKey], this.transition(id, 'completed', `matched by hand to ${eventKey}`));
  settle = async (id: string, outcome: string, note: string) =>
    this.log('settle', [id, outcome, note], this.transition(id, outcome === 'completed' ? 'completed' : 'rejected_by_provider', note));
  checkWithProvider = async (id: string) => this.log('check_with_provider', [id], this.find(id));
  listDrafts = () => this.log('list_drafts', [], this.drafts);
  saveDraft = (id: string | null, fields: DraftFields) => {
    const now = new Date().toISOString();
    let d = id ? this.drafts.find((x) => x.id === id) : undefined;
    if (d) {
      d.fields = structuredClone(fields);
      d.updated_at = now;
    } else {
      d = { id: `draft-${++this.draftSeq}`, fields: structuredClone(fields), updated_at: now, screenshot: null };
      this.drafts.push(d);
    }
    return this.log('save_draft', [id, fields], d);
  };
  discardDraft = (id: string) => {
    this.drafts = this.drafts.filter((d) => d.id !== id);
    return this.log('discard_draft', [id], null);
  };
  submitDraft = (id: string) => {
    const d = this.drafts.find((x) => x.id === id);
    if (!d || !d.fields.amount) {
      this.calls.push({ name: 'submit_draft', args: [id] });
      return Promise.reject({ code: 'invalid_input', message: 'amount: enter an amount' } satisfies ApiError);
    }
    this.drafts = this.drafts.filter((x) => x.id !== id);
    const r = makeRequest(this.requests.length + 1, { amount_display: `${d.fields.amount} BDT` });
    this.requests.push(r);
    return this.log('submit_draft', [id], r);
  };
  listAccounts = () => this.log('list_accounts', [], this.accounts);
  quarantined = () => this.log('quarantined', [], this.quarantine);
  providerForms = () => this.log('provider_forms', [], this.forms);
  addAccount = (input: Parameters<Backend['addAccount']>[0]) => {
    if (this.addAccountError) {
      this.calls.push({ name: 'add_account', args: [input] });
      return Promise.reject(this.addAccountError);
    }
    const a: AccountView = {
      id: `acc-${this.accounts.length + 1}`,
      provider: input.provider,
      provider_label: this.forms.find((f) => f.provider === input.provider)?.label ?? input.provider,
      name: input.name,
      base_url: input.base_url,
      sandbox: false,
    };
    this.accounts.push(a);
    return this.log('add_account', [input], a);
  };
  checkConnection = async (id: string) => this.log('check_connection', [id], `Connected to ${this.accounts.find((a) => a.id === id)?.provider_label ?? '?'}`);
  removeAccount = (id: string) => {
    this.accounts = this.accounts.filter((a) => a.id !== id);
    return this.log('remove_account', [id], null);
  };
  listMethods = (accountId: string) => this.log('list_methods', [accountId], this.methods);
  agentNumber = (accountId: string, method: string) =>
    this.log('agent_number', [accountId, method], {
      method,
      account_number: '01811111111',
      agent_name: 'Agent Rahim',
      instructions: 'Send money to this number, then enter the TrxID.',
    });
  requestForm = (accountId: string) => {
    const a = this.accounts.find((x) => x.id === accountId);
    if (!a) {
      this.calls.push({ name: 'request_form', args: [accountId] });
      return Promise.reject({ code: 'not_found', message: `No account ${accountId}.` } satisfies ApiError);
    }
    const form: RequestForm = this.requestForms[accountId] ?? {
      account_id: accountId,
      provider: a.provider,
      kinds: ['deposit', 'withdrawal'],
      methods: this.methods,
      details: [],
      agent_numbers: a.provider === 'zexabit',
      unavailable: null,
    };
    return this.log('request_form', [accountId], form);
  };
  accountReference = (accountId: string) =>
    this.log(
      'account_reference',
      [accountId],
      this.accountReferences[accountId] ?? { methods: this.methods, facts: [{ label: 'Balance', value: '1,000.00 BDT' }], media: [] },
    );
  requestReference = (id: string) =>
    this.log('request_reference', [id], this.requestReferences[id] ?? { methods: [], facts: [], media: [] });
  attachScreenshot = (target: AttachTarget, input: ScreenshotInput) => {
    const fail = (e: ApiError) => {
      this.calls.push({ name: 'attach_screenshot', args: [target, input] });
      return Promise.reject(e);
    };
    const view: AttachmentView = {
      id: `att-${++this.attachmentSeq}`,
      file_name: input.file_name,
      mime: input.content_type,
      size: atob(input.data_base64).length,
      sha256: '0'.repeat(64),
    };
    if (target.type === 'draft') {
      const d = this.drafts.find((x) => x.id === target.id);
      if (!d) return fail({ code: 'not_found', message: `No draft ${target.id}.` });
      d.screenshot = view;
    } else {
      const r = this.requests.find((x) => x.summary.id === target.id);
      if (!r) return fail({ code: 'not_found', message: `No request ${target.id}.` });
      if (r.summary.status !== 'pending') return fail({ code: 'not_allowed', message: 'Only a pending request takes a screenshot.' });
      r.screenshot = view;
    }
    this.attachments[view.id] = { view, data_base64: input.data_base64 };
    return this.log('attach_screenshot', [target, input], view);
  };
  attachmentData = (id: string) => {
    const a = this.attachments[id];
    if (!a) {
      this.calls.push({ name: 'attachment_data', args: [id] });
      return Promise.reject({ code: 'not_found', message: `No attachment ${id}.` } satisfies ApiError);
    }
    return this.log('attachment_data', [id], `data:${a.view.mime};base64,${a.data_base64}`);
  };
  listLinks = () => this.log('list_links', [], this.links);
  intakeInfo = () => this.log('intake_info', [], this.intake);
  /** Whole card numbers by request id (the detail shows them masked). */
  cards: Record<string, { field: string; value: string }[]> = {};
  revealCard = (id: string) =>
    this.log('reveal_card', [id], this.cards[id] ?? []);
  rotateIntakeToken = () => this.log('rotate_intake_token', [], this.intake);
  importCsv = (text: string) => {
    const report: ImportReport = this.importReport?.(text) ?? this.fileAll(text);
    return this.log('import_csv', [text], report);
  };

  /** Every data line filed, keyed by its first column. */
  private fileAll(text: string): ImportReport {
    const lines = text.split(/\r?\n/).slice(1).filter((l) => l.trim() !== '');
    const rows = lines.map((l, i) => ({ line: i + 2, intake_ref: l.split(',')[0], ok: true, message: 'filed' }));
    return { committed: true, filed: rows.length, already_filed: 0, file_error: null, rows };
  }

  /** Alone by default; `team.joined()` sets a desk up at a team server (fake-team.ts). */
  team = new FakeTeam(this.desk);
  deskMode = () => this.act('desk_mode', [], () => this.team.mode);
  probeTeam = (url: string) => this.act('probe_team', [url], () => this.team.probe(url));
  joinTeam = (url: string, fingerprint: string) => this.act('join_team', [url, fingerprint], () => this.team.join(url, fingerprint));
  leaveTeam = () => this.act('leave_team', [], () => this.team.leave());
  teamSessions = () => this.act('team_sessions', [], () => this.team.listSessions());
  revokeTeamSession = (id: string) => this.act('revoke_team_session', [id], () => this.team.revokeSession(id));

  /** The team server lost (or back): updates the mode and emits `cashdesk://team`. */
  emitTeam(over: Partial<TeamView>): void {
    const base = this.team.mode.team ?? this.team.view('https://desk.example:8651', true, null);
    const v: TeamView = { ...base, ...over };
    this.team.mode = { ...this.team.mode, team: v };
    for (const h of this.teamHandlers) h(structuredClone(v));
  }

  onTeam = (handler: (v: TeamView) => void) => {
    this.teamHandlers.push(handler);
    return Promise.resolve(() => {
      this.teamHandlers = this.teamHandlers.filter((h) => h !== handler);
    });
  };

  onChanged = (handler: (c: Changed) => void) => {
    this.handlers.push(handler);
    return Promise.resolve(() => {
      this.handlers = this.handlers.filter((h) => h !== handler);
    });
  };
}
