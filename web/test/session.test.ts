import { describe, expect, it } from "vitest";
import { type Channel, type KeyValue, MARKER_KEY, SessionKeeper, TOKEN_KEY } from "../src/session";

/** A Storage: sessionStorage is one per tab, localStorage one per browser profile. */
class Store implements KeyValue {
  values = new Map<string, string>();
  getItem = (key: string) => this.values.get(key) ?? null;
  setItem = (key: string, value: string) => void this.values.set(key, value);
  removeItem = (key: string) => void this.values.delete(key);
}

/** BroadcastChannel's delivery: to every other open channel of the origin, asynchronously. */
class Hub {
  channels = new Set<Channel>();
  open(): Channel {
    const hub = this;
    const channel: Channel = {
      onmessage: null,
      postMessage(message: unknown) {
        for (const other of hub.channels) {
          if (other !== channel) queueMicrotask(() => other.onmessage?.({ data: structuredClone(message) }));
        }
      },
    };
    this.channels.add(channel);
    return channel;
  }
  close(channel: Channel) {
    this.channels.delete(channel);
  }
}

/** One tab: its sessionStorage, the browser's localStorage, and what the page would do. */
class Tab {
  readonly keeper: SessionKeeper;
  readonly channel: Channel;
  signedIn = false;
  told: (string | undefined)[] = [];
  constructor(
    readonly hub: Hub,
    readonly device: Store,
    readonly tab = new Store(),
    timeoutMs = 20,
  ) {
    this.channel = hub.open();
    this.keeper = new SessionKeeper({ tab: this.tab, device, channel: this.channel, timeoutMs });
    this.keeper.listen({
      signedOut: (reason) => {
        this.signedIn = false;
        this.told.push(reason);
      },
      signedIn: () => {
        this.signedIn = this.keeper.token() !== null;
      },
      holds: () => this.signedIn,
    });
  }
  signIn(token: string, stay: boolean) {
    this.keeper.keep(token, stay);
    this.signedIn = true;
  }
  async open(): Promise<boolean> {
    this.signedIn = (await this.keeper.find()) !== null;
    return this.signedIn;
  }
  close() {
    this.hub.close(this.channel);
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("a session shared by the tabs of the origin", () => {
  it("reaches a new tab from an open signed-in tab, without keeping it on the device", async () => {
    const hub = new Hub();
    const device = new Store();
    const first = new Tab(hub, device);
    first.signIn("refresh-1", false);
    expect(device.getItem(TOKEN_KEY)).toBeNull();
    const second = new Tab(hub, device);
    expect(await second.open()).toBe(true);
    expect(second.keeper.token()).toBe("refresh-1");
    expect(second.tab.getItem(TOKEN_KEY)).toBe("refresh-1"); // a reload of the new tab resumes too
  });

  it("ends with the browser when the person did not ask to stay signed in", async () => {
    const hub = new Hub();
    const device = new Store();
    const first = new Tab(hub, device);
    first.signIn("refresh-1", false);
    first.close(); // the browser closes: its tabs' sessionStorage goes with it
    const afterRestart = new Tab(new Hub(), device);
    expect(await afterRestart.open()).toBe(false);
    expect(device.getItem(MARKER_KEY)).toBeNull(); // the next tab does not wait for an answer
  });

  it("survives a browser restart when the person asked to stay signed in", async () => {
    const device = new Store();
    new Tab(new Hub(), device).signIn("refresh-1", true);
    const afterRestart = new Tab(new Hub(), device);
    expect(await afterRestart.open()).toBe(true);
    expect(afterRestart.keeper.token()).toBe("refresh-1");
  });

  it("does not ask other tabs, nor wait, when no tab was ever signed in", async () => {
    const hub = new Hub();
    const device = new Store();
    const asked: unknown[] = [];
    const listener = hub.open();
    listener.onmessage = (event) => asked.push(event.data);
    // A wait for answers would outlast the test's own 5 s timeout.
    expect(await new Tab(hub, device, new Store(), 60_000).open()).toBe(false);
    await settle();
    expect(asked).toEqual([]);
  });

  it("signs every tab out, and clears both storages, when one tab signs out", async () => {
    const hub = new Hub();
    const device = new Store();
    const first = new Tab(hub, device);
    first.signIn("refresh-1", true);
    const second = new Tab(hub, device);
    await second.open();
    expect(second.signedIn).toBe(true);
    first.keeper.forget("You are signed out.");
    first.signedIn = false;
    await settle();
    expect(second.signedIn).toBe(false);
    expect(second.told).toEqual(["You are signed out."]);
    expect(second.keeper.token()).toBeNull();
    expect(device.getItem(TOKEN_KEY)).toBeNull();
    expect(await new Tab(hub, device).open()).toBe(false);
  });

  it("signs in a signed-out tab when another tab signs in, and leaves a signed-in one alone", async () => {
    const hub = new Hub();
    const device = new Store();
    const waiting = new Tab(hub, device);
    const busy = new Tab(hub, device);
    busy.signIn("refresh-other", false);
    await settle();
    expect(waiting.signedIn).toBe(true); // adopted the sign-in of `busy`
    waiting.signedIn = false;
    waiting.tab.removeItem(TOKEN_KEY);
    const third = new Tab(hub, device);
    third.signIn("refresh-3", false);
    await settle();
    expect(busy.keeper.token()).toBe("refresh-other");
    expect(waiting.keeper.token()).toBe("refresh-3");
  });

  it("answers nothing from a tab that holds no session, so the asking tab is signed out", async () => {
    const hub = new Hub();
    const device = new Store();
    device.setItem(MARKER_KEY, "1"); // a tab was signed in before the browser closed
    const idle = new Tab(hub, device); // open, signed out
    expect(idle.signedIn).toBe(false);
    expect(await new Tab(hub, device).open()).toBe(false);
  });
});
