// Application state shared by every component (handed out through context.ts).
import { errorCode, errorMessage, type Backend } from './backend';
import type { AccountView } from './bindings/AccountView';
import type { AppInfo } from './bindings/AppInfo';
import type { Changed } from './bindings/Changed';
import type { DraftView } from './bindings/DraftView';
import type { ErrorCode } from './bindings/ErrorCode';
import type { LinkView } from './bindings/LinkView';
import type { QuarantineItem } from './bindings/QuarantineItem';
import type { RequestDetail } from './bindings/RequestDetail';
import { QueueState } from './queue.svelte';

export type View = 'detail' | 'draft' | 'settings';

export interface ShownError {
  code: ErrorCode | null;
  message: string;
}

export class Desk {
  readonly backend: Backend;
  readonly queue: QueueState;
  info = $state<AppInfo | null>(null);
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
  /** The draft open in the form; null with view 'draft' means a new one. */
  editing = $state<DraftView | null>(null);
  /** The decision dialog open over the detail, if any. */
  dialog = $state<'reject' | 'settle' | null>(null);
  /** Bumped each time the form opens, so it starts fresh. */
  formSession = $state(0);
  /** How the App learns whether the window has focus (a seam for tests). */
  hasFocus: () => boolean = () => document.hasFocus();

  private unlisten: (() => void) | null = null;

  constructor(backend: Backend) {
    this.backend = backend;
    this.queue = new QueueState(backend, (e) => this.fail(e));
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
    this.error = { code: errorCode(e), message: errorMessage(e) };
  }

  clearError(): void {
    this.error = null;
  }

  async start(): Promise<void> {
    try {
      this.unlisten = await this.backend.onChanged((c) => this.onChanged(c));
    } catch (e) {
      this.fail(e);
    }
    try {
      this.info = await this.backend.appInfo();
    } catch (e) {
      this.fail(e);
    }
    await Promise.all([this.queue.reload(), this.loadDrafts(), this.loadAccounts(), this.loadLinks(), this.loadQuarantine()]);
  }

  stop(): void {
    this.unlisten?.();
    this.unlisten = null;
  }

  onChanged(c: Changed): void {
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
    if (c.new_requests > 0 && !this.hasFocus()) this.unread += c.new_requests;
  }

  focused(): void {
    this.unread = 0;
  }

  async loadDrafts(): Promise<void> {
    try {
      this.drafts = await this.backend.listDrafts();
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

  linkOf(accountId: string): LinkView | undefined {
    return this.links.find((l) => l.account_id === accountId);
  }

  async setOperator(name: string): Promise<boolean> {
    try {
      this.info = await this.backend.setOperator(name.trim());
      return true;
    } catch (e) {
      this.fail(e);
      return false;
    }
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

  closePanel(): void {
    this.view = 'detail';
    this.editing = null;
    void this.loadDrafts();
  }
}
