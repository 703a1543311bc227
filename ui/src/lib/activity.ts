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

  /**
   * How long until `due` may answer something other than null (at least
   * `floorMs`): when the idle lock falls due, or when the core is next
   * due to hear of activity; Infinity when neither can happen.
   */
  untilDue(now: number, idleMs: number, floorMs = 100): number {
    let wait = Infinity;
    if (idleMs > 0) wait = this.lastActivity + idleMs - now;
    if (this.lastActivity > this.lastTold) wait = Math.min(wait, this.lastTold + TOUCH_EVERY_MS - now);
    return Math.max(floorMs, wait);
  }
}
