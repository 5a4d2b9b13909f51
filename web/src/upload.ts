// Uploads: the file checked as the API checks it (type, size, the format's own first bytes),
// then POST /media/uploads for a pre-signed POST, the file sent straight to the bucket with its
// progress, and POST /media/{id}/complete, where the API checks it again (422 if refused).

import { Api, ApiError } from "./api";
import type { components } from "./generated/openapi";

type UploadInput = components["schemas"]["UploadInput"];
export type Purpose = UploadInput["purpose"];
export type Media = components["schemas"]["Media"];
type UploadForm = components["schemas"]["UploadForm"];

const MB = 1024 * 1024;

/** What each purpose takes, as the API's UploadInput says (chalicelib/limits.py). */
export const UPLOAD_RULES: Record<Purpose, { types: readonly string[]; maxBytes: number; label: string }> = {
  avatar: { types: ["image/jpeg", "image/png", "image/webp"], maxBytes: 5 * MB, label: "a JPEG, PNG or WebP image" },
  post: { types: ["image/jpeg", "image/png", "image/webp"], maxBytes: 10 * MB, label: "a JPEG, PNG or WebP image" },
  video: { types: ["video/mp4"], maxBytes: 200 * MB, label: "an MP4 video" },
  activity: { types: ["application/gpx+xml", "application/vnd.garmin.tcx+xml", "application/vnd.ant.fit"], maxBytes: 25 * MB, label: "a GPX, TCX or FIT file" },
};

export const MAX_POST_IMAGES = 4;

/** The first bytes each format starts with (the API checks the same after the upload). */
export function signatureMatches(contentType: string, head: Uint8Array): boolean {
  const starts = (bytes: number[], at = 0) => bytes.every((byte, index) => head[at + index] === byte);
  switch (contentType) {
    case "image/png":
      return starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    case "image/jpeg":
      return starts([0xff, 0xd8, 0xff]);
    case "image/webp":
      return starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8);
    case "video/mp4":
      return starts([0x66, 0x74, 0x79, 0x70], 4);
    default:
      return false;
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < MB) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / MB).toFixed(1)} MB`;
}

/** Why the API would refuse this file for this purpose, or undefined: type and size (`check`),
 * then its first bytes (`checkContent`, which reads them). */
export function check(purpose: Purpose, file: { name: string; type: string; size: number }): string | undefined {
  const rule = UPLOAD_RULES[purpose];
  if (!rule.types.includes(file.type)) return `${file.name} is not ${rule.label}. Choose ${rule.label}.`;
  if (file.size < 1) return `${file.name} is empty.`;
  if (file.size > rule.maxBytes) return `${file.name} is ${formatBytes(file.size)}; the limit is ${formatBytes(rule.maxBytes)}.`;
  return undefined;
}

export async function checkContent(purpose: Purpose, file: File): Promise<string | undefined> {
  const refused = check(purpose, file);
  if (refused) return refused;
  const head = new Uint8Array(await file.slice(0, 16).arrayBuffer());
  return signatureMatches(file.type, head) ? undefined : `${file.name} does not look like ${UPLOAD_RULES[purpose].label} inside. Choose another file.`;
}

/** Sends the file as the pre-signed POST's form says, reporting progress from 0 to 1. */
export function postToBucket(form: UploadForm, file: File, onProgress: (fraction: number) => void): Promise<void> {
  const body = new FormData();
  for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
  body.append("file", file); // last: S3 ignores fields after the file
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", form.url);
    request.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) {
        onProgress(1);
        resolve();
      } else {
        reject(new ApiError(request.status, "upload_refused", `The storage refused the file (${request.status}). Check its type and size and try again.`));
      }
    };
    request.onerror = () => reject(new ApiError(0, "network_error", "The upload did not get through. Check your connection and try again."));
    request.send(body);
  });
}

/** The whole upload: checked here, sent with its progress, then checked by the API. */
export async function upload(api: Api, purpose: Purpose, file: File, onProgress: (fraction: number) => void): Promise<Media> {
  const refused = await checkContent(purpose, file);
  if (refused) throw new ApiError(400, "invalid_file", refused);
  const body = { purpose, content_type: file.type, size_bytes: file.size } as UploadInput;
  const started = await api.call((client) => client.POST("/media/uploads", { body }));
  await postToBucket(started.upload, file, onProgress);
  const path = { media_id: started.media_id };
  return api.call((client) => client.POST("/media/{media_id}/complete", { params: { path } }));
}
