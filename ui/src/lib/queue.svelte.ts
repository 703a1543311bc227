// Queue state: the loaded pages of the view on screen, the selected request
// and its detail, and the decisions taken on it. The view itself (tab,
// filters, saved views) is QueueViewState, in queue-filters.svelte.ts.
import { errorCode, errorMessage, type Backend } from './backend';
import type { ProviderKind } from './bindings/ProviderKind';
import type { QueuePage } from './bindings/QueuePage';
import type { QueueQuery } from './bindings/QueueQuery';
import type { QueueTab } from './bindings/QueueTab';
import type { RequestDetail } from './bindings/RequestDetail';
import type { RequestId } from './bindings/RequestId';
import type { RequestKind } from './bindings/RequestKind';
import type { RequestSummary } from './bindings/RequestSummary';
import type { SavedView } from './bindings/SavedView';
import type { SettleOutcome } from './bindings/SettleOutcome';
import type { TabCounts } from './bindings/TabCounts';
import { amountText, t } from './i18n';
import { NO_FILTERS, QueueViewState, filtersOf, type QueueFilters } from './queue-filters.svelte';
import { inTab, statusLabel } from './status';

export const PAGE_SIZE = 50;
/** Rows per call when a refresh re-reads what is already loaded. */
export const RELOAD_PAGE = 500;

export class QueueState extends QueueViewState {
  items = $state<RequestSummary[]>([]);
  next = $state<string | null>(null);
  counts = $state<TabCounts>({ queue: 0, second: 0, in_flight: 0, attention: 0 });
  loaded = $state(false);
  /** The core's word on filters it refused (a bad amount, a status not on the tab). */
  invalid = $state<string | null>(null);
  /** A next page is being read. */
  loadingMore = $state(false);
  selectedId = $state<RequestId | null>(null);
  detail = $state<RequestDetail | null>(null);
  /**
   * The request whose approval waits for its one-key confirmation: its
   * amount reaches the admin's threshold (`confirm_from`), or the core
   * asked for one (`needs_confirmation`).
   */
  confirming = $state<RequestId | null>(null);
  /** One line about the last decision, e.g. "Approved … → waiting to send". */
  notice = $state<string | null>(null);
  /** Currencies and methods seen in loaded rows, for the filter selects. */
  seenCurrencies = $state<string[]>([]);
  seenMethods = $state<{ id: string; label: string }[]>([]);

  private chain: Promise<void> = Promise.resolve();
  private reloadQueued = false;
  private moreQueued = false;
  /** Bumped when the view changes: pages read for the one before are dropped. */
  private generation = 0;
  private detailToken = 0;
  private deciding = new Set<RequestId>();

  private onError: (e: unknown) => void;

  constructor(backend: Backend, onError: (e: unknown) => void) {
    super(backend);
    this.onError = onError;
  }

  /** The detail on screen, only if it belongs to the selected row. */
  get current(): RequestDetail | null {
    const d = this.detail;
    return d && d.summary.id === this.selectedId ? d : null;
  }

  /**
   * The request on screen can be approved or rejected by whoever is logged
   * in: `blocked` says why not (role, maker–checker, another's claim).
   */
  get decidable(): boolean {
    const d = this.current;
    return !!d && d.can_decide && !d.blocked;
  }

  /** Approve applies too: the desk's policy does not block it (`approve_blocked`). */
  get approvable(): boolean {
    return this.decidable && !this.current?.approve_blocked;
  }

  /** The request on screen waits for its approval to be confirmed. */
  get asking(): boolean {
    const d = this.current;
    return !!d && this.confirming === d.summary.id && this.approvable;
  }

  get selectedIndex(): number {
    return this.items.findIndex((r) => r.id === this.selectedId);
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(task).catch((e) => this.onError(e));
    return this.chain;
  }

  /**
   * Re-reads every row already loaded, from the start in pages of
   * RELOAD_PAGE, and swaps them in at once: a refresh never cuts the list
   * back, so the place in it is kept (coalesced: many calls, one fetch).
   */
  reload(): Promise<void> {
    if (this.reloadQueued) return this.chain;
    this.reloadQueued = true;
    return this.enqueue(async () => {
      this.reloadQueued = false;
      const generation = this.generation;
      const view = this.viewQuery();
      const want = Math.max(PAGE_SIZE, this.items.length);
      const rows: RequestSummary[] = [];
      const seen = new Set<RequestId>();
      let after: string | null = null;
      let page: QueuePage;
      try {
        do {
          page = await this.backend.listQueue(pageOf(view, after, Math.min(RELOAD_PAGE, want - rows.length)));
          // The view changed meanwhile: its own reload follows.
          if (generation !== this.generation) return;
          for (const r of page.items) {
            if (!seen.has(r.id)) {
              seen.add(r.id);
              rows.push(r);
            }
          }
          after = page.next;
        } while (after && rows.length < want);
      } catch (e) {
        if (generation !== this.generation) return;
        if (!this.refused(e)) throw e;
        return;
      }
      this.invalid = null;
      this.items = rows;
      this.next = after;
      this.counts = page.counts;
      this.loaded = true;
      this.remember(rows);
      if (this.selectedId === null && rows.length > 0) {
        this.select(rows[0].id);
      }
      void this.loadViews();
      void this.loadChoices();
    });
  }

  /** Every currency and method stored (the core keeps them): at a million
   *  requests the filters offer what no loaded row shows. */
  private async loadChoices(): Promise<void> {
    try {
      const c = await this.backend.filterChoices();
      this.merge(c.currencies, c.methods);
    } catch {
      // The lists still offer what the loaded rows show.
    }
  }

  /** The core refused the filters: its message shows by them, the list is empty. */
  private refused(e: unknown): boolean {
    if (errorCode(e) !== 'invalid_input') return false;
    this.invalid = errorMessage(e);
    this.items = [];
    this.next = null;
    this.loaded = true;
    return true;
  }

  /** The next page after the last row loaded (once, however often asked). */
  loadMore(): Promise<void> {
    if (this.moreQueued || !this.next) return this.chain;
    this.moreQueued = true;
    this.loadingMore = true;
    return this.enqueue(async () => {
      try {
        const after = this.next;
        if (!after) return;
        const generation = this.generation;
        const page = await this.backend.listQueue(pageOf(this.viewQuery(), after, PAGE_SIZE));
        if (generation !== this.generation) return;
        const seen = new Set(this.items.map((r) => r.id));
        this.items = [...this.items, ...page.items.filter((r) => !seen.has(r.id))];
        this.next = page.next;
        this.counts = page.counts;
        this.remember(page.items);
      } finally {
        this.moreQueued = false;
        this.loadingMore = false;
      }
    });
  }

  private remember(rows: RequestSummary[]): void {
    this.merge(
      rows.map((r) => r.money.currency),
      rows.map((r) => ({ id: r.method, label: r.method_label })),
    );
  }

  private merge(seenCurrencies: string[], seenMethods: { id: string; label: string }[]): void {
    const currencies = new Set(this.seenCurrencies);
    const methods = new Map(this.seenMethods.map((m) => [m.id, m.label]));
    const before = currencies.size + methods.size;
    for (const c of seenCurrencies) currencies.add(c);
    for (const m of seenMethods) if (!methods.has(m.id)) methods.set(m.id, m.label);
    if (currencies.size + methods.size === before) return;
    this.seenCurrencies = [...currencies].sort();
    this.seenMethods = [...methods].map(([id, label]) => ({ id, label })).sort((a, b) => a.label.localeCompare(b.label));
  }

  /** Shows a saved view: its tab, filters and order. */
  applyView(v: SavedView): Promise<void> {
    return this.setQuery(v.query.tab, filtersOf(v.query));
  }

  /** Forgets what was loaded (e.g. on log-out: the next operator starts afresh). */
  clear(): void {
    this.generation++;
    this.resetView();
    this.invalid = null;
    this.items = [];
    this.next = null;
    this.loaded = false;
    this.selectedId = null;
    this.detail = null;
    this.notice = null;
    this.confirming = null;
    this.detailToken++;
  }

  /** Starts over on `tab` from the first page (after a log-in or a switch). */
  restart(tab: QueueTab): Promise<void> {
    this.clear();
    this.tab = tab;
    return this.reload();
  }

  /** Changing tab or filter starts from the first page and the first row. */
  setView(tab: QueueTab, kind: RequestKind | '', provider: ProviderKind | ''): Promise<void> {
    return this.setQuery(tab, { ...this.filters, kind, provider });
  }

  /** Changes some filters on the tab on screen. */
  setFilters(change: Partial<QueueFilters>): Promise<void> {
    return this.setQuery(this.tab, { ...this.filters, ...change });
  }

  /** Every filter off, the search emptied, the order kept. */
  clearFilters(): Promise<void> {
    return this.setQuery(this.tab, { ...NO_FILTERS, order: this.order });
  }

  /** A tab and its filters; nothing is read again when the query stays the same. */
  setQuery(tab: QueueTab, f: QueueFilters): Promise<void> {
    if (!this.assign(tab, f)) return this.chain;
    this.generation++;
    this.items = [];
    this.next = null;
    this.selectedId = null;
    this.detail = null;
    this.confirming = null;
    return this.reload();
  }

  select(id: RequestId | null): Promise<void> {
    this.selectedId = id;
    // Moving on drops a confirmation asked for another request.
    if (id !== this.confirming) this.confirming = null;
    const token = ++this.detailToken;
    if (id === null) {
      this.detail = null;
      return Promise.resolve();
    }
    return this.backend.getRequest(id).then(
      (d) => {
        if (token === this.detailToken) this.detail = d;
      },
      (e) => {
        if (token === this.detailToken) this.onError(e);
      },
    );
  }

  /**
   * Selects a request found elsewhere (the supervisor's list). When it is not
   * in the tab on screen, the queue moves to `tab`, the one that holds it,
   * dropping the filters that could hide it (a kind or provider it has stays).
   */
  open(s: RequestSummary, tab: QueueTab): Promise<void> {
    const shown = this.items.some((r) => r.id === s.id) || this.lists(s);
    if (!shown) void this.setQuery(tab, this.widenedFor(s));
    // After setQuery: the reload then keeps this selection instead of the first row.
    return this.select(s.id);
  }

  /** Refetches the detail when it is among `ids`. */
  refreshDetail(ids: RequestId[]): void {
    const id = this.selectedId;
    if (id !== null && ids.includes(id)) void this.select(id);
  }

  /** Moves the selection by `step` rows (↑/↓, j/k). */
  move(step: number): void {
    if (this.items.length === 0) return;
    const i = this.selectedIndex;
    const target = i < 0 ? 0 : Math.min(this.items.length - 1, Math.max(0, i + step));
    const id = this.items[target].id;
    if (id !== this.selectedId) void this.select(id);
  }

  /** Shows a request that was just created or changed, e.g. a submitted draft. */
  show(d: RequestDetail): void {
    this.selectedId = d.summary.id;
    this.detailToken++;
    this.detail = d;
  }

  /**
   * Claims the request being decided, or renews the claim. When another
   * operator holds it, the detail is read again so it says who.
   */
  async claim(id: RequestId): Promise<void> {
    try {
      await this.backend.claim(id);
    } catch (e) {
      if (errorCode(e) === 'claimed') this.refreshDetail([id]);
      else this.onError(e);
    }
  }

  /** Lets go of a claim when moving on; it lapses on its own anyway. */
  release(id: RequestId): void {
    this.backend.releaseClaim(id).catch(() => undefined);
  }

  /** A supervisor takes the open request over from the operator holding it. */
  async takeOver(): Promise<void> {
    const d = this.current;
    if (!d) return;
    const id = d.summary.id;
    try {
      await this.backend.takeOver(id);
      const what = `${amountText(d.summary.amount_display)} · ${d.summary.end_user}`;
      this.notice = d.claim ? t('queue.took_over_from', { what, name: d.claim.by }) : t('queue.took_over', { what });
      this.refreshDetail([id]);
    } catch (e) {
      this.onError(e);
    }
  }

  /**
   * Approve (the button or `a`). From the admin's threshold on it first
   * asks for a confirmation; asked already, it confirms (so `a`, `a`).
   */
  approve(): Promise<boolean> {
    const d = this.current;
    if (!d || !this.approvable) return Promise.resolve(false);
    const id = d.summary.id;
    if (this.confirming === id) return this.sendApproval(d, true);
    if (d.confirm_from) {
      this.confirming = id;
      return Promise.resolve(false);
    }
    return this.sendApproval(d, false);
  }

  /** Confirms the approval asked for (Enter, `a` or the button). */
  confirmApproval(): Promise<boolean> {
    const d = this.current;
    if (!d || !this.asking) return Promise.resolve(false);
    return this.sendApproval(d, true);
  }

  /** Escape: no approval, nothing sent. */
  cancelApproval(): void {
    this.confirming = null;
  }

  private sendApproval(d: RequestDetail, confirmed: boolean): Promise<boolean> {
    const id = d.summary.id;
    const verb = d.summary.status === 'awaiting_second_approval' ? t('queue.second_approval') : t('actions.approve');
    this.confirming = null;
    const send = () => (confirmed ? this.backend.approve(id, true) : this.backend.approve(id));
    return this.decide(id, verb, send, (e) => {
      // The threshold changed since the detail was read: ask, as for any amount above it.
      if (errorCode(e) !== 'needs_confirmation') return false;
      if (this.selectedId === id) {
        this.confirming = id;
        this.refreshDetail([id]);
      }
      return true;
    });
  }

  reject(reason: string): Promise<boolean> {
    const d = this.current;
    if (!d || !this.decidable || reason.trim() === '') return Promise.resolve(false);
    const id = d.summary.id;
    return this.decide(id, t('actions.reject'), () => this.backend.reject(id, reason.trim()));
  }

  settle(outcome: SettleOutcome, note: string): Promise<boolean> {
    const d = this.current;
    if (!d || !d.can_settle || note.trim() === '') return Promise.resolve(false);
    return this.settleBy(() => this.backend.settle(d.summary.id, outcome, note.trim()));
  }

  /** Settles from a provider event a person picked among the candidates. */
  settleWith(eventKey: string): Promise<boolean> {
    const d = this.current;
    if (!d || !d.can_settle) return Promise.resolve(false);
    return this.settleBy(() => this.backend.settleWithCandidate(d.summary.id, eventKey));
  }

  private async settleBy(call: () => Promise<RequestDetail>): Promise<boolean> {
    try {
      const res = await call();
      this.applyResult(res);
      if (this.selectedId === res.summary.id) this.show(res);
      this.notice = t('queue.settled', { what: amountText(res.summary.amount_display), status: shownStatus(res.summary) });
      void this.reload();
      return true;
    } catch (e) {
      this.onError(e);
      return false;
    }
  }

  /** Asks the provider now; the answer shows in the detail and the queue. */
  async check(): Promise<void> {
    const d = this.current;
    if (!d) return;
    try {
      const res = await this.backend.checkWithProvider(d.summary.id);
      this.applyResult(res);
      if (this.selectedId === res.summary.id) this.show(res);
      this.notice = t('queue.checked', { provider: res.summary.provider_label, status: shownStatus(res.summary) });
    } catch (e) {
      this.onError(e);
    }
  }

  /** `handled` may take a refusal as its own (true): it is then not shown as an error. */
  private async decide(
    id: RequestId,
    verb: string,
    send: () => Promise<RequestDetail>,
    handled: (e: unknown) => boolean = () => false,
  ): Promise<boolean> {
    if (this.deciding.has(id)) return false;
    this.deciding.add(id);
    const i = this.items.findIndex((r) => r.id === id);
    const nextId = i < 0 ? null : (this.items[i + 1]?.id ?? this.items[i - 1]?.id ?? null);
    try {
      const res = await send();
      this.notice = t('queue.decided', {
        verb,
        what: `${amountText(res.summary.amount_display)} · ${res.summary.end_user}`,
        status: shownStatus(res.summary),
      });
      this.applyResult(res);
      if (this.selectedId === id) {
        if (nextId !== null && this.items.some((r) => r.id === nextId)) void this.select(nextId);
        else this.show(res);
      }
      void this.reload();
      return true;
    } catch (e) {
      if (!handled(e)) this.onError(e);
      return false;
    } finally {
      this.deciding.delete(id);
    }
  }

  /** Updates or drops the row at once, before the refresh comes back. */
  private applyResult(res: RequestDetail): void {
    const s = res.summary;
    if (inTab(s.status, this.tab)) {
      this.items = this.items.map((r) => (r.id === s.id ? s : r));
    } else {
      this.items = this.items.filter((r) => r.id !== s.id);
    }
  }
}

/** One page of `view`: `limit` rows after the cursor `after` (from the start when null). */
function pageOf(view: QueueQuery, after: string | null, limit: number): QueueQuery {
  const q: QueueQuery = { ...view, limit };
  if (after) q.after = after;
  return q;
}

/** A row's status in the window's language. */
function shownStatus(s: RequestSummary): string {
  return statusLabel(s.status, s.status_label);
}
