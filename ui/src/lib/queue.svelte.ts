// Queue state: the current tab and filters, the loaded pages, the selected
// request and its detail, and the decisions taken on it.
import { errorCode, type Backend } from './backend';
import type { ProviderKind } from './bindings/ProviderKind';
import type { QueueQuery } from './bindings/QueueQuery';
import type { QueueTab } from './bindings/QueueTab';
import type { RequestDetail } from './bindings/RequestDetail';
import type { RequestId } from './bindings/RequestId';
import type { RequestKind } from './bindings/RequestKind';
import type { RequestSummary } from './bindings/RequestSummary';
import type { SettleOutcome } from './bindings/SettleOutcome';
import type { TabCounts } from './bindings/TabCounts';
import { inTab } from './status';

export const PAGE_SIZE = 50;
/** Upper bound when a refresh re-reads every page already loaded. */
const MAX_RELOAD = 500;

export class QueueState {
  tab = $state<QueueTab>('queue');
  kind = $state<RequestKind | ''>('');
  provider = $state<ProviderKind | ''>('');
  items = $state<RequestSummary[]>([]);
  next = $state<string | null>(null);
  counts = $state<TabCounts>({ queue: 0, second: 0, in_flight: 0, attention: 0 });
  loaded = $state(false);
  selectedId = $state<RequestId | null>(null);
  detail = $state<RequestDetail | null>(null);
  /** One line about the last decision, e.g. "Approved … → waiting to send". */
  notice = $state<string | null>(null);

  private chain: Promise<void> = Promise.resolve();
  private reloadQueued = false;
  private detailToken = 0;
  private deciding = new Set<RequestId>();

  private backend: Backend;
  private onError: (e: unknown) => void;

  constructor(backend: Backend, onError: (e: unknown) => void) {
    this.backend = backend;
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

  get selectedIndex(): number {
    return this.items.findIndex((r) => r.id === this.selectedId);
  }

  private query(after?: string, limit = PAGE_SIZE): QueueQuery {
    const q: QueueQuery = { tab: this.tab, limit };
    if (this.kind) q.kind = this.kind;
    if (this.provider) q.provider = this.provider;
    if (after) q.after = after;
    return q;
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(task).catch((e) => this.onError(e));
    return this.chain;
  }

  /** Re-reads the loaded range (coalesced: many calls, one fetch). */
  reload(): Promise<void> {
    if (this.reloadQueued) return this.chain;
    this.reloadQueued = true;
    return this.enqueue(async () => {
      this.reloadQueued = false;
      const limit = Math.min(MAX_RELOAD, Math.max(PAGE_SIZE, this.items.length));
      const page = await this.backend.listQueue(this.query(undefined, limit));
      this.items = page.items;
      this.next = page.next;
      this.counts = page.counts;
      this.loaded = true;
      if (this.selectedId === null && page.items.length > 0) {
        this.select(page.items[0].id);
      }
    });
  }

  loadMore(): Promise<void> {
    return this.enqueue(async () => {
      const after = this.next;
      if (!after) return;
      const page = await this.backend.listQueue(this.query(after));
      const seen = new Set(this.items.map((r) => r.id));
      this.items = [...this.items, ...page.items.filter((r) => !seen.has(r.id))];
      this.next = page.next;
      this.counts = page.counts;
    });
  }

  /** Forgets what was loaded (e.g. on log-out: the next operator starts afresh). */
  clear(): void {
    this.items = [];
    this.next = null;
    this.loaded = false;
    this.selectedId = null;
    this.detail = null;
    this.notice = null;
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
    if (tab === this.tab && kind === this.kind && provider === this.provider) {
      return this.chain;
    }
    this.tab = tab;
    this.kind = kind;
    this.provider = provider;
    this.items = [];
    this.next = null;
    this.selectedId = null;
    this.detail = null;
    return this.reload();
  }

  select(id: RequestId | null): Promise<void> {
    this.selectedId = id;
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
   * dropping a kind or provider filter that would hide it.
   */
  open(s: RequestSummary, tab: QueueTab): Promise<void> {
    const shown =
      this.items.some((r) => r.id === s.id) ||
      (inTab(s.status, this.tab) && (!this.kind || this.kind === s.kind) && (!this.provider || this.provider === s.provider));
    if (!shown) {
      const kind = this.kind === s.kind ? this.kind : '';
      const provider = this.provider === s.provider ? this.provider : '';
      void this.setView(tab, kind, provider);
    }
    // After setView: the reload then keeps this selection instead of the first row.
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
      this.notice = `Took over ${d.summary.amount_display} · ${d.summary.end_user}${d.claim ? ` from ${d.claim.by}` : ''}`;
      this.refreshDetail([id]);
    } catch (e) {
      this.onError(e);
    }
  }

  approve(): Promise<boolean> {
    const d = this.current;
    if (!d || !this.decidable) return Promise.resolve(false);
    const verb = d.summary.status === 'awaiting_second_approval' ? 'Second approval:' : 'Approved';
    return this.decide(d.summary.id, verb, () => this.backend.approve(d.summary.id));
  }

  reject(reason: string): Promise<boolean> {
    const d = this.current;
    if (!d || !this.decidable || reason.trim() === '') return Promise.resolve(false);
    const id = d.summary.id;
    return this.decide(id, 'Rejected', () => this.backend.reject(id, reason.trim()));
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
      this.notice = `Settled ${res.summary.amount_display} → ${res.summary.status_label}`;
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
      this.notice = `Checked with ${res.summary.provider_label}: ${res.summary.status_label}`;
    } catch (e) {
      this.onError(e);
    }
  }

  private async decide(
    id: RequestId,
    verb: string,
    send: () => Promise<RequestDetail>,
  ): Promise<boolean> {
    if (this.deciding.has(id)) return false;
    this.deciding.add(id);
    const i = this.items.findIndex((r) => r.id === id);
    const nextId = i < 0 ? null : (this.items[i + 1]?.id ?? this.items[i - 1]?.id ?? null);
    try {
      const res = await send();
      this.notice = `${verb} ${res.summary.amount_display} · ${res.summary.end_user} → ${res.summary.status_label}`;
      this.applyResult(res);
      if (this.selectedId === id) {
        if (nextId !== null && this.items.some((r) => r.id === nextId)) void this.select(nextId);
        else this.show(res);
      }
      void this.reload();
      return true;
    } catch (e) {
      this.onError(e);
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
