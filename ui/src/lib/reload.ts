// Reloading a supervisor's view when the core announces changes: at most
// once per gap (a burst of changes makes one read), and on a timer for
// figures that move without an event (the queue's depth samples).

export class Reloader {
  private last = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private interval: ReturnType<typeof setInterval> | undefined;
  private readonly load: () => void;
  private readonly gapMs: number;

  constructor(load: () => void, gapMs: number) {
    this.load = load;
    this.gapMs = gapMs;
  }

  /** Loads now (the first read, or a person asked), dropping one that was waiting. */
  now(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.last = Date.now();
    this.load();
  }

  /** Loads once the gap since the last load is over; calls within it share that load. */
  soon(): void {
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.last + this.gapMs - Date.now());
    this.timer = setTimeout(() => this.now(), wait);
  }

  /** Also loads every `ms` (through `soon`, so never twice within the gap). */
  every(ms: number): this {
    clearInterval(this.interval);
    this.interval = setInterval(() => this.soon(), ms);
    return this;
  }

  stop(): void {
    clearTimeout(this.timer);
    clearInterval(this.interval);
    this.timer = undefined;
    this.interval = undefined;
  }
}
