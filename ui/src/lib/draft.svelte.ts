// Saves a desk-entry draft as it is typed: debounced while typing, at once
// on blur, one request at a time, so the first save (id null) creates the
// draft exactly once and every later save reuses its id.
import type { Backend } from './backend';
import type { DraftFields } from './bindings/DraftFields';
import type { DraftId } from './bindings/DraftId';
import type { DraftView } from './bindings/DraftView';
import type { RequestDetail } from './bindings/RequestDetail';

export const SAVE_DELAY_MS = 300;

export type SaveState = 'idle' | 'dirty' | 'saving' | 'saved' | 'error';

export function emptyFields(): DraftFields {
  return {
    kind: null,
    account_id: null,
    method: '',
    amount: '',
    end_user_ref: '',
    end_user_name: '',
    provider_user_id: '',
    trx_id: '',
    sender: '',
    destination: '',
    agent_number: '',
    note: '',
    details: {},
  };
}

export class DraftSaver {
  fields = $state<DraftFields>(emptyFields());
  id = $state<DraftId | null>(null);
  state = $state<SaveState>('idle');

  private backend: Backend;
  private onError: (e: unknown) => void;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight: Promise<void> | null = null;
  private again = false;
  private edits = 0;
  private savedEdits = 0;

  constructor(backend: Backend, onError: (e: unknown) => void, initial: DraftView | null) {
    this.backend = backend;
    this.onError = onError;
    if (initial) {
      this.id = initial.id;
      this.fields = { ...emptyFields(), ...initial.fields, details: { ...(initial.fields.details ?? {}) } };
      this.state = 'saved';
    }
  }

  get dirty(): boolean {
    return this.edits !== this.savedEdits;
  }

  /** Call after every change to `fields`. */
  changed(): void {
    this.edits++;
    this.state = 'dirty';
    this.cancelTimer();
    this.timer = setTimeout(() => void this.flush(), SAVE_DELAY_MS);
  }

  /** Saves now if anything is unsaved; resolves when everything is saved. */
  flush(): Promise<void> {
    this.cancelTimer();
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    if (!this.dirty) return Promise.resolve();
    this.inFlight = this.run().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async run(): Promise<void> {
    do {
      this.again = false;
      if (!this.dirty) break;
      const seen = this.edits;
      this.state = 'saving';
      try {
        const view = await this.backend.saveDraft(this.id, $state.snapshot(this.fields));
        this.id = view.id;
        this.savedEdits = seen;
      } catch (e) {
        this.state = 'error';
        this.onError(e);
        return;
      }
    } while (this.again);
    this.state = this.dirty ? 'dirty' : 'saved';
  }

  /**
   * Saves the draft, creating it even when nothing was typed yet (e.g. to
   * attach a screenshot to it). Resolves to its id, or null when the save
   * failed (already reported through onError).
   */
  async ensureSaved(): Promise<DraftId | null> {
    if (this.id === null && !this.dirty) this.edits++;
    await this.flush();
    return this.id;
  }

  /**
   * Saves what is typed, then submits it to the queue. Resolves to null when
   * the save failed (already reported through onError); submit errors throw.
   */
  async submit(): Promise<RequestDetail | null> {
    if (this.id === null && !this.dirty) this.edits++;
    await this.flush();
    if (this.dirty || this.id === null) return null;
    return this.backend.submitDraft(this.id);
  }

  /** Deletes the draft (if it was ever saved) and stops saving. */
  async discard(): Promise<void> {
    this.cancelTimer();
    this.edits = this.savedEdits;
    if (this.inFlight) await this.inFlight;
    if (this.id !== null) await this.backend.discardDraft(this.id);
    this.id = null;
    this.state = 'idle';
  }

  cancelTimer(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }
}
