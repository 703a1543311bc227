// Application state shared by every component (handed out through context.ts).
import { errorCode, errorMessage, type Backend, type LoginKind } from './backend';
import type { AccountView } from './bindings/AccountView';
import type { AppInfo } from './bindings/AppInfo';
import type { AttentionItem } from './bindings/AttentionItem';
import type { Changed } from './bindings/Changed';
import type { DeskPolicy } from './bindings/DeskPolicy';
import type { DraftView } from './bindings/DraftView';
import type { ErrorCode } from './bindings/ErrorCode';
import type { LinkView } from './bindings/LinkView';
import type { OperatorId } from './bindings/OperatorId';
import type { Permission } from './bindings/Permission';
import type { QuarantineItem } from './bindings/QuarantineItem';
import type { QueueTab } from './bindings/QueueTab';
import type { RequestDetail } from './bindings/RequestDetail';
import type { RequestId } from './bindings/RequestId';
import type { RequestKind } from './bindings/RequestKind';
import type { RequestSummary } from './bindings/RequestSummary';
import type { SessionView } from './bindings/SessionView';
import { Activity } from './activity';
import { OpenWork } from './open-work';
import { QueueState } from './queue.svelte';
import { TeamDesk } from './team-desk.svelte';
import { tabOf } from './status';
import { clockMoved, nextTextChange } from './time';
import { whyTab } from './supervise';

export type View = 'detail' | 'draft' | 'settings' | 'supervisor';

export interface ShownError {
  code: ErrorCode | null;
  message: string;
}

/**
 * The longest the window's clock sleeps: it wakes when a text shown
 * changes (time.ts notes when), and this bounds a change nobody noted.
 */
const CLOCK_MAX_WAIT_MS = 10 * 60_000;

export class Desk {
  readonly backend: Backend;
  readonly queue: QueueState;
  info = $state<AppInfo | null>(null);
  /** The core's session: log-in, lock screen or the desk (null until read). */
  session = $state<SessionView | null>(null);
  /** The log-in form over the locked desk, to hand it to another operator. */
  switching = $state(false);
  error = $state<ShownError | null>(null);
  /** New requests that arrived while the window was not focused. */
  unread = $state(0);
  /** Wall clock for relative ages; ticked by the App. */
  now = $state(Date.now());
  view = $state<View>('detail');
  drafts = $state<DraftView[]>([]);
  accounts = $state<AccountView[]>([]);
  /** Each configured account's connection state. */
  links = $state<LinkView[]>([]);
  /** Provider items Cashdesk could not read, set aside; most recent first. */
  quarantine = $state<QuarantineItem[]>([]);
  /** The admin's desk policy (reject reasons, thresholds); null until read. */
  policy = $state<DeskPolicy | null>(null);
  /** The draft open in the form; null with view 'draft' means a new one. */
  editing = $state<DraftView | null>(null);
  /** A Settings section to bring into view when Settings opens (the operator menu's way there). */
  settingsSection = $state<'appearance' | null>(null);
  /** The decision dialog open over the detail, if any. */
  dialog = $state<'reject' | 'settle' | null>(null);
  /** The keyboard shortcut sheet (`?` or the header's button) is open. */
  shortcuts = $state(false);
  /** Bumped each time the form opens, so it starts fresh. */
  formSession = $state(0);
  /** Bumped on each change the core announces while someone is at the desk. */
  changes = $state(0);
  /** The team desk server this desktop works at, if any: joining, leaving, lost / back (team-desk.svelte.ts). */
  readonly teamDesk: TeamDesk;
  /** How the App learns whether the window has focus (a seam for tests). */
  hasFocus: () => boolean = () => document.hasFocus();

  private unlisten: (() => void) | null = null;
  private stopped = false;
  /** Keyboard or mouse activity in the window, for the idle lock. */
  private readonly activity = new Activity();
  private locking = false;
  /** Whose queue, drafts and accounts are loaded (drafts are each operator's own). */
  private loadedFor: OperatorId | null = null;
  /** Work to save before the desk locks or logs out. */
  private readonly openWork = new OpenWork();

  constructor(backend: Backend) {
    this.backend = backend;
    this.queue = new QueueState(backend, (e) => this.fail(e));
    this.teamDesk = new TeamDesk(this);
  }

  /** Someone is logged in and the desk is not locked. */
  get active(): boolean {
    return this.session?.state === 'active';
  }

  /** Whether the operator logged in (or who locked the desk) may do `p`. */
  may(p: Permission): boolean {
    return this.session?.operator?.may.includes(p) ?? false;
  }

  get title(): string {
    return this.unread > 0 ? `(${this.unread}) Cashdesk` : 'Cashdesk';
  }

  /** Drafts newest first, without the one open in the form. */
  get resumable(): DraftView[] {
    const open = this.view === 'draft' ? this.editing?.id : undefined;
    return this.drafts
      .filter((d) => d.id !== open)
      .sort((a, b) => (a.updated_at < b.updated_at ? 1 : a.updated_at > b.updated_at ? -1 : 0));
  }

  fail(e: unknown): void {
    const code = errorCode(e);
    this.error = { code, message: errorMessage(e) };
    // The core locked the desk (idle) or ended the session: show the right screen.
    if (code === 'logged_out' || code === 'locked') void this.refreshSession();
  }

  clearError(): void {
    this.error = null;
  }

  async start(): Promise<void> {
    // The three calls at once: each is a round trip to the core, and the
    // first screen waits for the session (docs/BENCHMARKS.md, the start).
    // A change announced before the listener is in place changes nothing
    // here: the session read below is newer than it.
    const listening = this.backend.onChanged((c) => this.onChanged(c)).then(
      (unlisten) => {
        // Stopped meanwhile (the window closing): nothing to listen for.
        if (this.stopped) unlisten();
        else this.unlisten = unlisten;
      },
      (e: unknown) => this.fail(e),
    );
    // The team server's state (lost / back) is an event of its own; the
    // mode read below is newer than any announced before it listens.
    const listeningTeam = this.teamDesk.listen();
    await Promise.all([this.refreshSession(), this.loadInfo(), this.teamDesk.loadMode()]);
    performance.mark('cashdesk:session');
    await Promise.all([listening, listeningTeam]);
  }

  /** Reads everything the window shows again, as at start. */
  async refreshAll(): Promise<void> {
    if (this.error?.code === 'server_unreachable') this.clearError();
    const was = this.session?.state;
    const who = this.loadedFor;
    await Promise.all([this.refreshSession(), this.loadInfo()]);
    // The same operator still at work: applySession left the desk as it
    // was, so its data is read here (another operator was loaded afresh).
    if (was === 'active' && this.active && this.loadedFor === who) await this.reloadAll();
  }

  async loadInfo(): Promise<void> {
    try {
      this.info = await this.backend.appInfo();
    } catch (e) {
      this.fail(e);
    }
  }

  /** Reads the session again (e.g. after a call was refused as logged out or locked). */
  async refreshSession(): Promise<void> {
    try {
      await this.applySession(await this.backend.session());
    } catch (e) {
      // Not through fail(): a refusal here must not ask for the session again.
      this.error = { code: errorCode(e), message: errorMessage(e) };
    }
  }

  /** Shows what the core says; loads the desk when an operator starts working. */
  private applySession(s: SessionView): Promise<void> {
    const was = this.session?.state;
    this.session = s;
    if (s.state !== 'locked') this.switching = false;
    if (s.state === 'first_start' || s.state === 'logged_out') {
      this.forget();
      return Promise.resolve();
    }
    if (s.state !== 'active') return Promise.resolve();
    this.touch();
    if ((s.operator?.id ?? null) !== this.loadedFor) return this.loadForOperator();
    if (was !== 'active') {
      // Unlocked by the same operator: the work is as it was, the data may not be.
      this.clearError();
      return this.reloadAll();
    }
    return Promise.resolve();
  }

  /** After a log-in or a switch: the new operator's queue, drafts and accounts. */
  private async loadForOperator(): Promise<void> {
    this.forget();
    this.loadedFor = this.session?.operator?.id ?? null;
    const tab = this.queue.tab === 'second' && !this.may('second_approval') ? 'queue' : this.queue.tab;
    await Promise.all([
      // Before loadOperators: restarting the queue forgets its operators.
      this.queue.restart(tab),
      this.loadOperators(),
      this.loadDrafts(),
      this.loadAccounts(),
      this.loadLinks(),
      this.loadQuarantine(),
      this.loadPolicy(),
    ]);
  }

  private async reloadAll(): Promise<void> {
    const q = this.queue;
    if (q.selectedId !== null) q.refreshDetail([q.selectedId]);
    await Promise.all([
      q.reload(),
      this.loadOperators(),
      this.loadDrafts(),
      this.loadAccounts(),
      this.loadLinks(),
      this.loadQuarantine(),
      this.loadPolicy(),
    ]);
  }

  /** Drops what belonged to the operator who left. */
  private forget(): void {
    this.loadedFor = null;
    this.clearError();
    this.view = 'detail';
    this.editing = null;
    this.dialog = null;
    this.shortcuts = false;
    this.drafts = [];
    this.policy = null;
    this.queue.clear();
  }

  /** First start: the first admin, logged in at once. Resolves to the refusal, if any. */
  createFirstAdmin(name: string, login: LoginKind, secret: string): Promise<string | null> {
    return this.enter(() => this.backend.createFirstAdmin(name.trim(), login, secret));
  }

  /** Logs an operator in (also the switch from the lock screen). Resolves to the refusal, if any. */
  logIn(id: OperatorId, secret: string): Promise<string | null> {
    return this.enter(() => this.backend.logIn(id, secret));
  }

  /** Unlocks for the operator who locked. Resolves to the refusal, if any. */
  unlock(secret: string): Promise<string | null> {
    return this.enter(() => this.backend.unlock(secret));
  }

  private async enter(call: () => Promise<SessionView>): Promise<string | null> {
    try {
      void this.applySession(await call());
      return null;
    } catch (e) {
      return errorMessage(e);
    }
  }

  /** Locks the desk (Ctrl+L, the menu, or the idle timer); the work stays as it was. */
  async lock(): Promise<void> {
    if (!this.active || this.locking) return;
    this.locking = true;
    try {
      await this.openWork.save();
      await this.applySession(await this.backend.lockDesk());
    } catch (e) {
      this.fail(e);
    } finally {
      this.locking = false;
    }
  }

  /** Locks, then offers the log-in form so another operator takes the desk. */
  async switchOperator(): Promise<void> {
    await this.lock();
    if (this.session?.state === 'locked') this.switching = true;
  }

  async logOut(): Promise<void> {
    try {
      await this.openWork.save();
      await this.applySession(await this.backend.logOut());
    } catch (e) {
      this.fail(e);
    }
  }

  /** Sets the idle lock (an admin's act); false when refused (shown as an error). */
  async setIdleLock(secs: number): Promise<boolean> {
    try {
      await this.applySession(await this.backend.setIdleLock(secs));
      return true;
    } catch (e) {
      this.fail(e);
      return false;
    }
  }

  /**
   * Registers work to save before the desk locks or logs out (a draft being
   * typed). Returns the function that unregisters it.
   */
  beforeLeave(save: () => Promise<void>): () => void {
    return this.openWork.add(save);
  }

  /** Keyboard or mouse activity in the window. */
  touch(): void {
    this.activity.touch();
  }

  /**
   * The clock for ages, and the idle lock. Returns how long until it has
   * something to do again (the window's timer sleeps that long; a text
   * shown meanwhile that changes sooner wakes it through `onTextChange`).
   */
  tick(now = Date.now()): number {
    // The clock the texts read moves only once one of them changes, so an
    // idle window re-renders nothing most of the time (WebKit's CPU at
    // rest). Moving it renders them again, and they note their next change.
    if (now >= nextTextChange() || now - this.now >= CLOCK_MAX_WAIT_MS) {
      clockMoved();
      this.now = now;
    }
    const step = Math.min(CLOCK_MAX_WAIT_MS, Math.max(0, nextTextChange() - now));
    if (!this.active) return step;
    const idleMs = Number(this.session?.idle_lock_secs ?? 0) * 1000;
    const due = this.activity.due(now, idleMs);
    if (due === 'lock') void this.lock();
    else if (due === 'tell') this.backend.touchSession().catch((e) => this.fail(e));
    // A lock being taken is looked at again a second later.
    return Math.min(step, this.activity.untilDue(now, idleMs, due === 'lock' ? 1000 : 100));
  }

  stop(): void {
    this.stopped = true;
    this.unlisten?.();
    this.unlisten = null;
    this.teamDesk.stop();
  }

  onChanged(c: Changed): void {
    if (c.new_requests > 0 && !this.hasFocus()) this.unread += c.new_requests;
    // Nobody at the desk: it is read afresh on log-in or unlock.
    if (!this.active) return;
    this.changes++;
    // New requests' ids come in the store's own event; a count alone only
    // bumps the unread badge, so one intake reloads the queue once.
    if (c.requests.length > 0) {
      void this.queue.reload();
      this.queue.refreshDetail(c.requests);
    }
    if (c.drafts) void this.loadDrafts();
    if (c.accounts) void this.loadAccounts();
    if (c.links || c.accounts) void this.loadLinks();
    // Setting an item aside announces itself with an empty change; releasing
    // one comes with no event of its own, so any change is a cue to look.
    void this.loadQuarantine();
  }

  focused(): void {
    this.unread = 0;
  }

  async loadDrafts(): Promise<void> {
    if (!this.may('enter')) {
      this.drafts = [];
      return;
    }
    try {
      this.drafts = await this.backend.listDrafts();
    } catch (e) {
      this.fail(e);
    }
  }

  /** Whom the queue's operator filter offers (an agent, refused the list, gets no filter). */
  async loadOperators(): Promise<void> {
    try {
      await this.queue.loadOperators();
    } catch (e) {
      this.fail(e);
    }
  }

  async loadAccounts(): Promise<void> {
    try {
      this.accounts = await this.backend.listAccounts();
    } catch (e) {
      this.fail(e);
    }
  }

  async loadLinks(): Promise<void> {
    try {
      this.links = await this.backend.listLinks();
    } catch (e) {
      this.fail(e);
    }
  }

  async loadQuarantine(): Promise<void> {
    try {
      this.quarantine = await this.backend.quarantined();
    } catch (e) {
      this.fail(e);
    }
  }

  async loadPolicy(): Promise<void> {
    try {
      this.policy = await this.backend.deskPolicy();
    } catch (e) {
      this.fail(e);
    }
  }

  /** The reject reasons an admin set for `kind`; empty: the language's own. */
  rejectReasons(kind: RequestKind): string[] {
    const p = this.policy;
    return (kind === 'deposit' ? p?.reject_reasons_deposit : p?.reject_reasons_withdrawal) ?? [];
  }

  linkOf(accountId: string): LinkView | undefined {
    return this.links.find((l) => l.account_id === accountId);
  }

  openDraft(draft: DraftView | null): void {
    this.editing = draft;
    this.formSession++;
    this.view = 'draft';
  }

  /** After submit: the new request is shown in the queue. */
  submitted(d: RequestDetail): void {
    const done = this.editing?.id;
    this.editing = null;
    this.view = 'detail';
    this.drafts = this.drafts.filter((x) => x.id !== done);
    void this.loadDrafts();
    this.queue.show(d);
    void this.queue.reload();
  }

  /** Shows a request from the supervisor's list in the detail, on the tab that holds it. */
  openAttention(item: AttentionItem): void {
    this.openRequest(item.summary, whyTab(item.why));
  }

  /**
   * Shows a request found in a supervisor's view (a person's claims or
   * decisions) in the detail, on `tab` or the one its status belongs to.
   */
  openRequest(summary: RequestSummary, tab: QueueTab | null = null): void {
    let t = tab ?? tabOf(summary.status);
    if (t === 'second' && !this.may('second_approval')) t = 'queue';
    void this.queue.open(summary, t);
    this.closePanel();
  }

  /** Shows a request named elsewhere (a risk banner's other request), on the tab that holds it. */
  async openRequestId(id: RequestId): Promise<void> {
    try {
      this.openRequest((await this.backend.getRequest(id)).summary);
    } catch (e) {
      this.fail(e);
    }
  }

  /** Settings, at "Appearance & language". */
  openAppearance(): void {
    this.settingsSection = 'appearance';
    this.view = 'settings';
  }

  closePanel(): void {
    this.view = 'detail';
    this.editing = null;
    void this.loadDrafts();
  }
}
