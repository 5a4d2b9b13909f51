import { describe, expect, it } from "vitest";
import { Reachability, type Schedule } from "../src/reachability";

/** Timers the test runs by hand: what is due, and when. */
class ManualTimers implements Schedule {
  due: { run: () => void; ms: number }[] = [];
  set = (run: () => void, ms: number) => {
    const entry = { run, ms };
    this.due.push(entry);
    return entry;
  };
  clear = (handle: unknown) => {
    this.due = this.due.filter((entry) => entry !== handle);
  };
  async next(): Promise<number> {
    const entry = this.due.shift();
    if (!entry) throw new Error("nothing scheduled");
    entry.run();
    await new Promise((resolve) => setTimeout(resolve, 0)); // the probe's promise settles
    return entry.ms;
  }
}

function probeAnswering(answers: boolean[]) {
  const calls = { count: 0 };
  const probe = () => {
    calls.count += 1;
    return Promise.resolve(answers.shift() ?? false);
  };
  return { probe, calls };
}

describe("whether the API answers", () => {
  it("is reachable until a request cannot reach it, and says when that changes", () => {
    const timers = new ManualTimers();
    const connection = new Reachability(probeAnswering([]).probe, timers);
    const seen: boolean[] = [];
    connection.onChange((reachable) => seen.push(reachable));
    expect(connection.reachable).toBe(true);
    connection.failed();
    connection.failed();
    expect(connection.reachable).toBe(false);
    connection.answered();
    expect(connection.reachable).toBe(true);
    expect(seen).toEqual([false, true]);
  });

  it("probes, less and less often, until the API answers, then stops", async () => {
    const timers = new ManualTimers();
    const { probe, calls } = probeAnswering([false, false, false, false, false, true]);
    const connection = new Reachability(probe, timers);
    connection.failed();
    const waits: number[] = [];
    while (timers.due.length > 0) waits.push(await timers.next());
    expect(waits).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    expect(calls.count).toBe(6);
    expect(connection.reachable).toBe(true);
  });

  it("probes at once when asked, and not at all while reachable", async () => {
    const timers = new ManualTimers();
    const { probe, calls } = probeAnswering([true]);
    const connection = new Reachability(probe, timers);
    connection.retry();
    expect(calls.count).toBe(0);
    connection.failed();
    connection.retry();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(calls.count).toBe(1);
    expect(connection.reachable).toBe(true);
    expect(timers.due).toEqual([]);
  });

  it("stops probing when another request got an answer", () => {
    const timers = new ManualTimers();
    const connection = new Reachability(probeAnswering([]).probe, timers);
    connection.failed();
    expect(timers.due).toHaveLength(1);
    connection.answered();
    expect(timers.due).toEqual([]);
  });

  it("counts a probe that throws as not answered", async () => {
    const timers = new ManualTimers();
    const connection = new Reachability(() => Promise.reject(new TypeError("Failed to fetch")), timers);
    connection.failed();
    await timers.next();
    expect(connection.reachable).toBe(false);
    expect(timers.due).toHaveLength(1);
  });
});
