import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { mp4Duration } from "../src/mp4";
import { check, checkContent, formatBytes, signatureMatches } from "../src/upload";

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
// The browser journey's clip: 4 s of H.264.
const CLIP = readFileSync(new URL("../../tests/e2e/fixtures/clip.mp4", import.meta.url));

describe("upload checks mirror the API's", () => {
  it("takes the types and sizes each purpose takes", () => {
    expect(check("post", { name: "a.png", type: "image/png", size: 10 * 1024 * 1024 })).toBeUndefined();
    expect(check("post", { name: "a.png", type: "image/png", size: 10 * 1024 * 1024 + 1 })).toBe("a.png is 10.0 MB; the limit is 10.0 MB.");
    expect(check("avatar", { name: "a.png", type: "image/png", size: 6 * 1024 * 1024 })).toBe("a.png is 6.0 MB; the limit is 5.0 MB.");
    expect(check("post", { name: "a.gif", type: "image/gif", size: 10 })).toBe("a.gif is not a JPEG, PNG or WebP image. Choose a JPEG, PNG or WebP image.");
    expect(check("video", { name: "a.mov", type: "video/quicktime", size: 10 })).toContain("is not an MP4 video");
    expect(check("post", { name: "empty.png", type: "image/png", size: 0 })).toBe("empty.png is empty.");
  });

  it("knows each format by its first bytes", () => {
    expect(signatureMatches("image/png", new Uint8Array(PNG))).toBe(true);
    expect(signatureMatches("image/jpeg", new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe(true);
    expect(signatureMatches("image/webp", new TextEncoder().encode("RIFF\u0000\u0000\u0000\u0000WEBP"))).toBe(true);
    expect(signatureMatches("video/mp4", new Uint8Array(CLIP.subarray(0, 16)))).toBe(true);
    expect(signatureMatches("image/png", new TextEncoder().encode("plain text"))).toBe(false);
  });

  it("reads a file's first bytes before it is sent", async () => {
    const text = new File(["plain text"], "notes.png", { type: "image/png" });
    expect(await checkContent("post", text)).toBe("notes.png does not look like a JPEG, PNG or WebP image inside. Choose another file.");
    const png = new File([new Uint8Array([...PNG, 0, 0])], "ok.png", { type: "image/png" });
    expect(await checkContent("post", png)).toBeUndefined();
  });

  it("formats sizes for people", () => {
    expect(formatBytes(512)).toBe("512 bytes");
    expect(formatBytes(2048)).toBe("2 KB");
    expect(formatBytes(3 * 1024 * 1024)).toBe("3.0 MB");
  });
});

describe("an MP4's length from its header", () => {
  const reader = (bytes: Uint8Array) => async (start: number, end: number) => new DataView(bytes.buffer, bytes.byteOffset + start, end - start);

  it("reads the movie header", async () => {
    expect(await mp4Duration(reader(CLIP), CLIP.length)).toBe(4);
  });

  it("says nothing for a file without one", async () => {
    const fake = new Uint8Array([0, 0, 0, 24, ...new TextEncoder().encode("ftypmp42"), ...new Uint8Array(12)]);
    expect(await mp4Duration(reader(fake), fake.length)).toBeUndefined();
    expect(await mp4Duration(reader(new Uint8Array(4)), 4)).toBeUndefined();
  });
});
