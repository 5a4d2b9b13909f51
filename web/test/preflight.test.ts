// Every API request may use the browser's CORS preflight cache: a request that bypasses the HTTP
// cache (cache "no-store" or "no-cache") makes Chromium send a new preflight before it, one more
// round trip each call. The API's answers carry `Cache-Control: no-store`: none is kept anyway.

import { afterEach, describe, expect, it, vi } from "vitest";
import { Api } from "../src/api";
import { isolatedKeeper } from "./keeper";

describe("the API client's requests", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("leave the cache mode to the browser, so preflights are kept between calls and reloads", async () => {
    const seen: Request[] = [];
    vi.stubGlobal("fetch", async (request: Request) => {
      seen.push(request);
      return Response.json({ status: "ok" });
    });
    const api = new Api("http://api.test", isolatedKeeper());
    await api.callPublic((client) => client.GET("/health"));
    expect(seen).toHaveLength(1);
    expect(seen[0].cache).toBe("default");
    expect(seen[0].credentials).toBe("omit");
  });
});
