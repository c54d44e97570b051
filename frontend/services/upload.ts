// The logo upload (multipart PUT /api/settings/logo, field `file`) through the typed client, with
// progress. In a browser the request goes through XMLHttpRequest, whose upload events report the
// bytes sent; where there is no XMLHttpRequest (node, tests) it goes through fetch and reports 0, then 1.
// Either way the bearer token and the 401 rule (one shared refresh, one retry) apply, and a failure
// is thrown as ApiError.
import { client, unwrap, withSession, type Schemas, type Transport } from "./api";

export type Logo = Schemas["LogoDto"];
/** Upload progress, 0 to 1. */
export type ProgressListener = (fraction: number) => void;

export interface UploadOptions {
  /** The file name sent with the part (the API decides the type from the bytes, PNG or JPEG). */
  fileName?: string;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

function parseHeaders(raw: string): Headers {
  const headers = new Headers();
  for (const line of raw.trim().split(/[\r\n]+/)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** Sends a request with XMLHttpRequest, reporting the upload's progress. */
export function xhrTransport(onProgress: ProgressListener): Transport {
  return async (request) => {
    const body = request.body ? await request.blob() : null;
    return new Promise<Response>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(request.method, request.url);
      request.headers.forEach((value, name) => xhr.setRequestHeader(name, value));
      xhr.responseType = "blob";
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
      };
      xhr.onload = () => {
        const nullBody = xhr.status === 204 || xhr.status === 304;
        resolve(new Response(nullBody ? null : (xhr.response as Blob | null), {
          status: xhr.status,
          statusText: xhr.statusText,
          headers: parseHeaders(xhr.getAllResponseHeaders()),
        }));
      };
      xhr.onerror = () => reject(new TypeError("Network request failed"));
      xhr.ontimeout = () => reject(new TypeError("Network request timed out"));
      xhr.onabort = () => reject(new DOMException("The upload was aborted", "AbortError"));
      if (request.signal.aborted) return xhr.abort();
      request.signal.addEventListener("abort", () => xhr.abort(), { once: true });
      xhr.send(body);
    });
  };
}

const hasXhr = () => typeof globalThis.XMLHttpRequest === "function";

/** Uploads the clinic's logo (PNG or JPEG, at most 5 MB; admins and dentists) and returns its metadata. */
export async function uploadLogo(file: Blob, options: UploadOptions = {}): Promise<Logo> {
  const report: ProgressListener = options.onProgress ?? (() => {});
  const transport: Transport = hasXhr() ? xhrTransport(report) : (request) => fetch(request);
  report(0);
  const logo = await unwrap(client.PUT("/api/settings/logo", {
    body: { file },
    bodySerializer: (body) => {
      const form = new FormData();
      form.append("file", body.file, options.fileName ?? (file instanceof File ? file.name : "logo"));
      return form;
    },
    fetch: withSession(transport),
    ...(options.signal ? { signal: options.signal } : {}),
  }));
  report(1);
  return logo;
}
