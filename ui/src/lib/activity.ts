// The person's activity at the window, for the idle lock: when they last
// moved, and when the core last heard of it.

/** How often, at most, the core hears that the person is at the window. */
const TOUCH_EVERY_MS = 30_000;

export class Activity {
  /** When the core was last told of activity. */
  private lastTold = 0;
  /** Last keyboard or mouse activity in the window. */
  private lastActivity = Date.now();

  /** Keyboard or mouse activity in the window. */
  touch(): void {
    this.lastActivity = Date.now();
  }

  /**
   * What an active desk is due at `now`: 'lock' once idle for `idleMs`
   * (0: never), 'tell' when the core should hear the person is there
   * (counted as told), else null.
   */
  due(now: number, idleMs: number): 'lock' | 'tell' | null {
    if (idleMs > 0 && now - this.lastActivity >= idleMs) return 'lock';
    // The core keeps its own idle clock: tell it, now and then, that the
    // person is reading, so it does not lock someone who is there.
    if (this.lastActivity > this.lastTold && now - this.lastTold >= TOUCH_EVERY_MS) {
      this.lastTold = now;
      return 'tell';
    }
    return null;
  }
}
