// Back-pressure: a bound on records handed to the producer and not yet
// acknowledged. While a partition task waits for room, fetching is paused.

export class InFlightLimit {
  private inFlight = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(
    private readonly max: number,
    private readonly onPause: () => void,
    private readonly onResume: () => void,
  ) {}

  /** Waits until `n` more records fit (a single oversized request is let through alone). */
  async acquire(n: number): Promise<void> {
    while (this.inFlight > 0 && this.inFlight + n > this.max) {
      if (this.waiters.length === 0) this.onPause();
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    this.inFlight += n;
  }

  release(n: number): void {
    this.inFlight -= n;
    const waiting = this.waiters.splice(0);
    if (waiting.length > 0) {
      this.onResume();
      for (const wake of waiting) wake();
    }
  }

  get pending(): number {
    return this.inFlight;
  }
}
