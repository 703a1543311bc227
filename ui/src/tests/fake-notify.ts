// The desk's notification preferences for the fake backend: what
// notify_prefs answers and set_notify_prefs stores. Anyone logged in reads
// and sets them (a preference of this desk's screen, not audited).
// Methods return the value or throw the ApiError the core would;
// FakeBackend records the calls.
import type { ApiError } from '../lib/bindings/ApiError';
import type { NotifyPrefs } from '../lib/bindings/NotifyPrefs';
import type { NotifyWhen } from '../lib/bindings/NotifyWhen';
import type { FakeSession } from './fake-session';

/** The core's default: popups only while the window does not have the focus, every kind on. */
export const DEFAULT_NOTIFY: NotifyPrefs = { when: 'unfocused', new_requests: true, outcomes: true, breaches: true };

const WHEN: NotifyWhen[] = ['always', 'unfocused', 'never'];

export class FakeNotify {
  prefs: NotifyPrefs = { ...DEFAULT_NOTIFY };
  /** When set, the next set_notify_prefs fails with it (then it is cleared). */
  failNext: ApiError | null = null;
  /** When set, notify_prefs fails with it. */
  failRead: ApiError | null = null;

  constructor(private session: FakeSession) {}

  private viewing(): void {
    const r = this.session.refusal();
    if (r) throw r;
  }

  get(): NotifyPrefs {
    this.viewing();
    if (this.failRead) throw this.failRead;
    return this.prefs;
  }

  set(p: NotifyPrefs): NotifyPrefs {
    this.viewing();
    if (this.failNext) {
      const e = this.failNext;
      this.failNext = null;
      throw e;
    }
    // What serde would refuse: an unknown variant.
    if (!WHEN.includes(p.when)) throw { code: 'invalid_input', message: `unknown variant \`${p.when}\`` } satisfies ApiError;
    this.prefs = { when: p.when, new_requests: p.new_requests, outcomes: p.outcomes, breaches: p.breaches };
    return this.prefs;
  }
}
