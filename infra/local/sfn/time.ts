/**
 * The engine's sense of time: what "now" is (history timestamps, the time a re-drive has already waited) and the
 * timers that end a Task at its timeout. Real by default; tests and demos pass a `VirtualTime` and move it by hand,
 * so a deadline weeks away is reached at once and exactly, whatever the machine's load.
 */
export interface EngineTime {
  now(): Date;
  /** Calls `fire` once after `ms` milliseconds of this time source. */
  setTimer(fire: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

/** Wall-clock timers; `now` may come from another clock (a shifted local clock), timers still count real time. */
export const realTime = (now: () => Date = () => new Date()): EngineTime => ({
  now,
  setTimer: (fire, ms) => setTimeout(fire, ms),
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
});

interface VirtualTimer {
  due: number;
  seq: number;
  fire: () => void;
}

/**
 * Time that moves only when told to. `advance` moves `now` forward and fires, in order of due time, every timer due
 * by then (each sees `now` at its own due time). It is also a `Clock` (the domain's `now()`), so one object can drive
 * the steps, the API and the engine together.
 */
export class VirtualTime implements EngineTime {
  private t: number;
  private seq = 0;
  private readonly timers = new Set<VirtualTimer>();

  constructor(start: Date | string) {
    this.t = new Date(start).getTime();
    if (Number.isNaN(this.t)) throw new Error(`VirtualTime: not an instant: ${String(start)}`);
  }

  now(): Date {
    return new Date(this.t);
  }

  setTimer(fire: () => void, ms: number): unknown {
    const timer = { due: this.t + Math.max(0, ms), seq: this.seq++, fire };
    this.timers.add(timer);
    return timer;
  }

  clearTimer(handle: unknown): void {
    this.timers.delete(handle as VirtualTimer);
  }

  /** Puts time back at `to` (a test restoring its pinned start); timers keep their due instants. */
  reset(to: Date | string): void {
    this.t = new Date(to).getTime();
  }

  /** Due times of the timers still set, earliest first. */
  pending(): Date[] {
    return [...this.timers].sort((a, b) => a.due - b.due || a.seq - b.seq).map((x) => new Date(x.due));
  }

  /** Moves time forward by `ms` (or to `to`), firing every timer due by then. Never moves backwards. */
  advance(ms: number): void {
    this.advanceTo(new Date(this.t + ms));
  }

  advanceTo(to: Date | string): void {
    const target = new Date(to).getTime();
    for (;;) {
      const next = [...this.timers].filter((x) => x.due <= target).sort((a, b) => a.due - b.due || a.seq - b.seq)[0];
      if (!next) break;
      this.timers.delete(next);
      this.t = Math.max(this.t, next.due);
      next.fire();
    }
    this.t = Math.max(this.t, target);
  }
}
