// The one place the UI talks to the Rust side. Components never call
// `invoke` directly: they use a `Backend` handed to them (see context.ts),
// so tests can substitute an in-memory fake.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type { Candidate } from './bindings/Candidate';
import type { AccountId } from './bindings/AccountId';
import type { AccountView } from './bindings/AccountView';
import type { AgentNumberView } from './bindings/AgentNumberView';
import type { ApiError } from './bindings/ApiError';
import type { AppInfo } from './bindings/AppInfo';
import type { AttachmentView } from './bindings/AttachmentView';
import type { AttentionItem } from './bindings/AttentionItem';
import type { AuditCheck } from './bindings/AuditCheck';
import type { AuditQuery } from './bindings/AuditQuery';
import type { AuditRow } from './bindings/AuditRow';
import type { BalanceInput } from './bindings/BalanceInput';
import type { ClosePreview } from './bindings/ClosePreview';
import type { AttachTarget } from './bindings/AttachTarget';
import type { Changed } from './bindings/Changed';
import type { ClaimView } from './bindings/ClaimView';
import type { DeskMode } from './bindings/DeskMode';
import type { DeskPolicy } from './bindings/DeskPolicy';
import type { DraftFields } from './bindings/DraftFields';
import type { DraftId } from './bindings/DraftId';
import type { DraftView } from './bindings/DraftView';
import type { ErrorCode } from './bindings/ErrorCode';
import type { ImportReport } from './bindings/ImportReport';
import type { IntakeInfo } from './bindings/IntakeInfo';
import type { LinkView } from './bindings/LinkView';
import type { MethodInfo } from './bindings/MethodInfo';
import type { MethodSla } from './bindings/MethodSla';
import type { NewAccountInput } from './bindings/NewAccountInput';
import type { NewOperatorInput } from './bindings/NewOperatorInput';
import type { NotifyPrefs } from './bindings/NotifyPrefs';
import type { OperatorChangeInput } from './bindings/OperatorChangeInput';
import type { OperatorId } from './bindings/OperatorId';
import type { OperatorRow } from './bindings/OperatorRow';
import type { OverviewRange } from './bindings/OverviewRange';
import type { OverviewView } from './bindings/OverviewView';
import type { PersonPage } from './bindings/PersonPage';
import type { PersonQuery } from './bindings/PersonQuery';
import type { PersonRow } from './bindings/PersonRow';
import type { ProviderForm } from './bindings/ProviderForm';
import type { QuarantineItem } from './bindings/QuarantineItem';
import type { QueuePage } from './bindings/QueuePage';
import type { QueueQuery } from './bindings/QueueQuery';
import type { ReferenceView } from './bindings/ReferenceView';
import type { SavedView } from './bindings/SavedView';
import type { FilterChoices } from './bindings/FilterChoices';
import type { RequestDetail } from './bindings/RequestDetail';
import type { RequestForm } from './bindings/RequestForm';
import type { RequestId } from './bindings/RequestId';
import type { RuleView } from './bindings/RuleView';
import type { ScreenshotInput } from './bindings/ScreenshotInput';
import type { SessionView } from './bindings/SessionView';
import type { SettleOutcome } from './bindings/SettleOutcome';
import type { ShiftInfo } from './bindings/ShiftInfo';
import type { ShiftReport } from './bindings/ShiftReport';
import type { ShiftsView } from './bindings/ShiftsView';
import type { SignClose } from './bindings/SignClose';
import type { TeamProbe } from './bindings/TeamProbe';
import type { TeamSessionRow } from './bindings/TeamSessionRow';
import type { TeamView } from './bindings/TeamView';

import type { RevealedCard } from './bindings/RevealedCard';
import type { ExportResult } from './bindings/ExportResult';
/** An export takes the queue's own query: what is shown is what is saved. */
export type ExportQuery = QueueQuery;
export type { ExportResult };

export const CHANGED_EVENT = 'cashdesk://changed';
/** The team desk server's connection state changed (lost / back). */
export const TEAM_EVENT = 'cashdesk://team';

/** How an operator logs in: a password, or a PIN on a number pad. */
export type LoginKind = 'password' | 'pin';

export interface Backend {
  appInfo(): Promise<AppInfo>;
  /** Where the desk's session stands: log-in, lock screen or the desk. */
  session(): Promise<SessionView>;
  /** Only on first start: the first admin (all three roles), logged in at once. */
  createFirstAdmin(name: string, login: LoginKind, secret: string): Promise<SessionView>;
  /** Logs an operator in; also the quick switch from one operator to another. */
  logIn(id: OperatorId, secret: string): Promise<SessionView>;
  /** Unlocks the desk for the operator who locked it. */
  unlock(secret: string): Promise<SessionView>;
  lockDesk(): Promise<SessionView>;
  /** The person is at the window: keeps the core's session from locking. */
  touchSession(): Promise<null>;
  logOut(): Promise<SessionView>;
  /** Idle seconds before the desk locks (admin). */
  setIdleLock(secs: number): Promise<SessionView>;
  /** Every operator, for the admin's list. */
  operators(): Promise<OperatorRow[]>;
  addOperator(input: NewOperatorInput): Promise<OperatorRow>;
  /** Roles, disabled, or a reset of the password/PIN (admin). */
  changeOperator(id: OperatorId, input: OperatorChangeInput): Promise<OperatorRow>;
  /** Thresholds above which a second approval is needed (admin). */
  approvalRules(): Promise<RuleView[]>;
  /** Re-computes the keyed audit chain; names the first bad entry. */
  verifyAudit(): Promise<AuditCheck>;
  /** Everything that needs a person, oldest first (supervisor, admin). */
  attention(): Promise<AttentionItem[]>;
  /** The audit log, filtered, newest first (supervisor, admin). */
  auditTrail(query: AuditQuery): Promise<AuditRow[]>;
  /** Every entry the filter matches, to a CSV file (no page size). */
  exportAudit(query: AuditQuery): Promise<ExportResult>;
  /** The desk's policy: duplicate references, confirmation thresholds, reject reasons (anyone logged in). */
  deskPolicy(): Promise<DeskPolicy>;
  /** Replaces the whole policy (admin); answers it as stored. */
  setDeskPolicy(policy: DeskPolicy): Promise<DeskPolicy>;
  /** Which desktop notifications this desk shows, and when (anyone logged in). */
  notifyPrefs(): Promise<NotifyPrefs>;
  /** Replaces them (anyone logged in; this screen's preference, not audited); answers them as stored. */
  setNotifyPrefs(prefs: NotifyPrefs): Promise<NotifyPrefs>;
  /** Minutes a request may wait before it is past the SLA (admin). */
  setSlaMinutes(minutes: number): Promise<number>;
  /** The payment methods with an SLA of their own; the rest wait the desk's (anyone logged in). */
  methodSlas(): Promise<MethodSla[]>;
  /** Sets a method's SLA in minutes (1–1440), or with null removes it; re-dates that method's waiting requests (admin). Answers the whole list. */
  setMethodSla(method: string, minutes: number | null): Promise<MethodSla[]>;
  /** Writes the whole filtered view to a CSV file in the downloads folder. */
  exportView(query: ExportQuery): Promise<ExportResult>;
  /** The desk at a glance over a range: queue depth, throughput, times to decide, rejections. */
  overview(range: OverviewRange): Promise<OverviewView>;
  /** Every operator with today's figures, for the people list. */
  people(): Promise<PersonRow[]>;
  /** One operator's decisions (filtered, paged by seq), claims held now, totals and rejections. */
  person(query: PersonQuery): Promise<PersonPage>;
  /** The shift open now, if any, and the closed ones, newest first. */
  shifts(): Promise<ShiftsView>;
  /** Opens a shift; `balances` are those typed for accounts whose provider reports none. */
  openShift(balances: BalanceInput[]): Promise<ShiftInfo>;
  /** What closing the open shift would sign: a line per account, wallet and currency. */
  previewClose(): Promise<ClosePreview>;
  /** Signs the close of exactly the previewed shift; opens the next one. */
  signClose(form: SignClose): Promise<ShiftReport>;
  /** A closed shift's signed report. */
  shiftReport(id: number): Promise<ShiftReport>;
  /** Writes a shift's report as CSV to the downloads folder. */
  exportShift(id: number): Promise<ExportResult>;
  addApprovalRule(rule: RuleView): Promise<RuleView[]>;
  removeApprovalRule(id: number): Promise<RuleView[]>;
  /** Claims a request being decided (or renews the claim) for two minutes. */
  claim(id: RequestId): Promise<ClaimView>;
  releaseClaim(id: RequestId): Promise<null>;
  /** Takes another operator's claim over (supervisor; audited). */
  takeOver(id: RequestId): Promise<ClaimView>;
  listQueue(query: QueueQuery): Promise<QueuePage>;
  /** The operator's saved views of the queue, each with its live count. */
  savedViews(): Promise<SavedView[]>;
  /** Every currency and method any stored request has (the filters' lists). */
  filterChoices(): Promise<FilterChoices>;
  /** Saves (or replaces, by name) a view; answers the whole list. */
  saveView(name: string, query: QueueQuery): Promise<SavedView[]>;
  /** Forgets a saved view; answers the whole list. */
  deleteView(name: string): Promise<SavedView[]>;
  getRequest(id: RequestId): Promise<RequestDetail>;
  /**
   * Approves (or gives the second approval, or sends a failed one again).
   * At or above the admin's threshold (`confirm_from`) the core refuses
   * it with `needs_confirmation` unless `confirmed` is true.
   */
  approve(id: RequestId, confirmed?: boolean): Promise<RequestDetail>;
  reject(id: RequestId, reason: string): Promise<RequestDetail>;
  settle(id: RequestId, outcome: SettleOutcome, note: string): Promise<RequestDetail>;
  /** Provider events that settled nothing and could be this request (Zexabit). */
  settleCandidates(id: RequestId): Promise<Candidate[]>;
  /** Settles from the event a person recognised as this request's. */
  settleWithCandidate(id: RequestId, eventKey: string): Promise<RequestDetail>;
  /** Asks the provider now about a request awaiting it or with an unknown outcome. */
  checkWithProvider(id: RequestId): Promise<RequestDetail>;
  listDrafts(): Promise<DraftView[]>;
  saveDraft(id: DraftId | null, fields: DraftFields): Promise<DraftView>;
  discardDraft(id: DraftId): Promise<null>;
  submitDraft(id: DraftId): Promise<RequestDetail>;
  listAccounts(): Promise<AccountView[]>;
  /** Provider items Cashdesk could not read and set aside, most recent first. */
  quarantined(): Promise<QuarantineItem[]>;
  /** What adding an account asks for, per supported provider. */
  providerForms(): Promise<ProviderForm[]>;
  addAccount(input: NewAccountInput): Promise<AccountView>;
  removeAccount(id: AccountId): Promise<null>;
  /** One read at the provider with the stored secrets; resolves to what it said. */
  checkConnection(id: AccountId): Promise<string>;
  listMethods(accountId: AccountId): Promise<MethodInfo[]>;
  agentNumber(accountId: AccountId, method: string): Promise<AgentNumberView>;
  /** What a new desk request for this account asks for (kinds, methods, details). */
  requestForm(accountId: AccountId): Promise<RequestForm>;
  /** An account's methods and balance facts, asked from the provider now. */
  accountReference(accountId: AccountId): Promise<ReferenceView>;
  /** Facts about one request, asked from the provider now (empty for some providers). */
  requestReference(id: RequestId): Promise<ReferenceView>;
  /** Stores a payment screenshot with a draft, or with a request while it is pending. */
  attachScreenshot(target: AttachTarget, input: ScreenshotInput): Promise<AttachmentView>;
  /** A stored screenshot as a `data:` URL. */
  attachmentData(id: string): Promise<string>;
  /** Every configured account's connection state (changes announce `links`). */
  listLinks(): Promise<LinkView[]>;
  /** Where the operator's platform sends requests; the token itself never comes here. */
  intakeInfo(): Promise<IntakeInfo>;
  /** A request's whole card numbers (audited); the detail shows them masked. */
  revealCard(id: string): Promise<RevealedCard[]>;
  /** A new intake token: the old one stops working at once. */
  rotateIntakeToken(): Promise<IntakeInfo>;
  /** Files a CSV batch of requests, all rows or none. */
  importCsv(text: string): Promise<ImportReport>;
  /** Subscribes to `cashdesk://changed`; resolves to an unsubscribe function. */
  onChanged(handler: (change: Changed) => void): Promise<() => void>;
  /** Whether this desktop works alone or at a team desk server (and whether it is leaving it). */
  deskMode(): Promise<DeskMode>;
  /** Contacts a team desk server (any certificate) and answers its name, version and fingerprint. */
  probeTeam(url: string): Promise<TeamProbe>;
  /**
   * Joins the server, pinning `fingerprint`: refused if its certificate
   * differs, it cannot be reached, or this desk already has operators.
   */
  joinTeam(url: string, fingerprint: string): Promise<DeskMode>;
  /** Forgets the server from the next start (`leaving` becomes true). */
  leaveTeam(): Promise<DeskMode>;
  /** Subscribes to `cashdesk://team` (server lost / back); resolves to an unsubscribe function. */
  onTeam(handler: (team: TeamView) => void): Promise<() => void>;
  /** The desktops logged in to the team desk server (admin); empty on a desk alone. */
  teamSessions(): Promise<TeamSessionRow[]>;
  /** Ends a desktop's session (admin; audited): it is logged out at its next call. Answers the list after. */
  revokeTeamSession(id: string): Promise<TeamSessionRow[]>;
}

export function isApiError(e: unknown): e is ApiError {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as ApiError).code === 'string' &&
    typeof (e as ApiError).message === 'string'
  );
}

/** The text to show a person for any failure; ApiError messages as given. */
export function errorMessage(e: unknown): string {
  if (isApiError(e)) return e.message;
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  try {
    return JSON.stringify(e);
  } catch {
    return String(e);
  }
}

export function errorCode(e: unknown): ErrorCode | null {
  return isApiError(e) ? e.code : null;
}

// Every command goes through the shell's one `call` command, by name: the
// same table a team desk server serves (cashdesk_core::api::calls).
const call = <T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> =>
  invoke<T>('call', { cmd, args });

export const tauriBackend: Backend = {
  appInfo: () => call('app_info'),
  session: () => call('session'),
  createFirstAdmin: (name, login, secret) => call('create_first_admin', { name, login, secret }),
  logIn: (id, secret) => call('log_in', { id, secret }),
  unlock: (secret) => call('unlock', { secret }),
  lockDesk: () => call('lock_desk'),
  touchSession: () => call('touch_session'),
  logOut: () => call('log_out'),
  setIdleLock: (secs) => call('set_idle_lock', { secs }),
  operators: () => call('operators'),
  addOperator: (input) => call('add_operator', { input }),
  changeOperator: (id, input) => call('change_operator', { id, input }),
  approvalRules: () => call('approval_rules'),
  verifyAudit: () => call('verify_audit'),
  attention: () => call('attention'),
  auditTrail: (query) => call('audit_trail', { query }),
  exportAudit: (query) => call('export_audit', { query }),
  deskPolicy: () => call('desk_policy'),
  setDeskPolicy: (policy) => call('set_desk_policy', { policy }),
  notifyPrefs: () => call('notify_prefs'),
  setNotifyPrefs: (prefs) => call('set_notify_prefs', { prefs }),
  setSlaMinutes: (minutes) => call('set_sla_minutes', { minutes }),
  methodSlas: () => call('method_slas'),
  setMethodSla: (method, minutes) => call('set_method_sla', { method, minutes }),
  exportView: (query) => call('export_view', { query }),
  overview: (range) => call('overview', { range }),
  people: () => call('people'),
  person: (query) => call('person', { query }),
  shifts: () => call('shifts'),
  openShift: (balances) => call('open_shift', { balances }),
  previewClose: () => call('preview_close'),
  signClose: (form) => call('sign_close', { form }),
  shiftReport: (id) => call('shift_report', { id }),
  exportShift: (id) => call('export_shift', { id }),
  // The id is an i64 on the Rust side: it travels as a JSON number.
  addApprovalRule: (rule) => call('add_approval_rule', { rule: { ...rule, id: rule.id === null ? null : Number(rule.id) } }),
  removeApprovalRule: (id) => call('remove_approval_rule', { id: Number(id) }),
  claim: (id) => call('claim', { id }),
  releaseClaim: (id) => call('release_claim', { id }),
  takeOver: (id) => call('take_over', { id }),
  listQueue: (query) => call('list_queue', { query }),
  savedViews: () => call('saved_views'),
  filterChoices: () => call('filter_choices'),
  saveView: (name, query) => call('save_view', { name, query }),
  deleteView: (name) => call('delete_view', { name }),
  getRequest: (id) => call('get_request', { id }),
  approve: (id, confirmed) => call('approve', confirmed ? { id, confirmed: true } : { id }),
  reject: (id, reason) => call('reject', { id, reason }),
  settle: (id, outcome, note) => call('settle', { id, outcome, note }),
  settleCandidates: (id) => call('settle_candidates', { id }),
  settleWithCandidate: (id, eventKey) => call('settle_with_candidate', { id, eventKey }),
  checkWithProvider: (id) => call('check_with_provider', { id }),
  listDrafts: () => call('list_drafts'),
  saveDraft: (id, fields) => call('save_draft', { id, fields }),
  discardDraft: (id) => call('discard_draft', { id }),
  submitDraft: (id) => call('submit_draft', { id }),
  listAccounts: () => call('list_accounts'),
  quarantined: () => call('quarantined'),
  providerForms: () => call('provider_forms'),
  addAccount: (input) => call('add_account', { input }),
  removeAccount: (id) => call('remove_account', { id }),
  checkConnection: (id) => call('check_connection', { id }),
  listMethods: (accountId) => call('list_methods', { accountId }),
  agentNumber: (accountId, method) => call('agent_number', { accountId, method }),
  requestForm: (accountId) => call('request_form', { accountId }),
  accountReference: (accountId) => call('account_reference', { accountId }),
  requestReference: (id) => call('request_reference', { id }),
  attachScreenshot: (target, input) => call('attach_screenshot', { target, input }),
  attachmentData: (id) => call('attachment_data', { id }),
  listLinks: () => call('list_links'),
  intakeInfo: () => call('intake_info'),
  revealCard: (id) => call('reveal_card', { id }),
  rotateIntakeToken: () => call('rotate_intake_token'),
  importCsv: (text) => call('import_csv', { text }),
  onChanged: (handler) => listen<Changed>(CHANGED_EVENT, (event) => handler(event.payload)),
  deskMode: () => call('desk_mode'),
  probeTeam: (url) => call('probe_team', { url }),
  joinTeam: (url, fingerprint) => call('join_team', { url, fingerprint }),
  leaveTeam: () => call('leave_team'),
  onTeam: (handler) => listen<TeamView>(TEAM_EVENT, (event) => handler(event.payload)),
  teamSessions: () => call('team_sessions', {}),
  revokeTeamSession: (id) => call('revoke_team_session', { id }),
};
