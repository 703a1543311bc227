// Work to save before the desk locks or logs out (a draft being typed):
// each piece registers how to save itself, and leaving saves them all.

/** How long locking waits for open work (a draft being typed) to save. */
const LEAVE_WAIT_MS = 2000;

export class OpenWork {
  private savers = new Set<() => Promise<void>>();

  /** Registers `save`; returns the function that unregisters it. */
  add(save: () => Promise<void>): () => void {
    this.savers.add(save);
    return () => {
      this.savers.delete(save);
    };
  }

  /** Saves open work, but never holds the lock back for long. */
  async save(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const saved = Promise.allSettled([...this.savers].map((save) => save()));
    await Promise.race([saved, new Promise((done) => (timer = setTimeout(done, LEAVE_WAIT_MS)))]);
    clearTimeout(timer);
  }
}
