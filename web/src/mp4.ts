// An MP4's length from its own header (the movie header box, mvhd, inside moov), read in small
// slices: the page cannot load a local file into a <video> to ask it (the CSP allows media from
// the bucket only), and a form that asks the uploader for the length would be a chore.

type Reader = (start: number, end: number) => Promise<DataView>;

const HEADER = 8;

async function findBox(read: Reader, type: string, start: number, end: number): Promise<{ start: number; end: number } | undefined> {
  let at = start;
  while (at + HEADER <= end) {
    const header = await read(at, Math.min(at + 16, end));
    let size = header.getUint32(0);
    const name = String.fromCharCode(header.getUint8(4), header.getUint8(5), header.getUint8(6), header.getUint8(7));
    let body = at + HEADER;
    if (size === 1) {
      if (header.byteLength < 16) return undefined;
      size = Number(header.getBigUint64(8));
      body = at + 16;
    } else if (size === 0) {
      size = end - at; // to the end of the file
    }
    if (size < HEADER || at + size > end) return undefined;
    if (name === type) return { start: body, end: at + size };
    at += size;
  }
  return undefined;
}

/** Seconds (whole, at least 1), or undefined when the file has no readable movie header. */
export async function mp4Duration(read: Reader, size: number): Promise<number | undefined> {
  const moov = await findBox(read, "moov", 0, size);
  if (!moov) return undefined;
  const mvhd = await findBox(read, "mvhd", moov.start, moov.end);
  if (!mvhd) return undefined;
  const header = await read(mvhd.start, Math.min(mvhd.start + 32, mvhd.end));
  const version = header.getUint8(0);
  const [timescale, duration] =
    version === 1
      ? [header.getUint32(20), Number(header.getBigUint64(24))]
      : [header.getUint32(12), header.getUint32(16)];
  if (!timescale || !duration) return undefined;
  return Math.max(1, Math.round(duration / timescale));
}

export function fileReader(file: Blob): Reader {
  return async (start, end) => new DataView(await file.slice(start, end).arrayBuffer());
}
