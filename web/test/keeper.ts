import { type KeyValue, SessionKeeper } from "../src/session";

/** A session keeper of one test's own: storage in memory and no BroadcastChannel, so the APIs of
 * tests running in the same process (node has a real BroadcastChannel) never sign each other out. */
export function isolatedKeeper(): SessionKeeper {
  const memory = (): KeyValue => {
    const values = new Map<string, string>();
    return { getItem: (key) => values.get(key) ?? null, setItem: (key, value) => void values.set(key, value), removeItem: (key) => void values.delete(key) };
  };
  return new SessionKeeper({ tab: memory(), device: memory(), channel: null });
}
