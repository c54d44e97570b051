import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ApiError, auth } from "../services/api";
import { tokenStore } from "../services/tokenStore";
import { uploadLogo } from "../services/upload";
import { useSettingsStore } from "../store/settingsStore";
import { tinyPng } from "./fixtures";
import { accessTokenSeconds, signInAsAdmin, sleep } from "./session";

const store = () => useSettingsStore.getState();
const png = (red: number) => new Blob([tinyPng(red, 128, 64)], { type: "image/png" });

async function download(url: string): Promise<{ type: string | null; bytes: Uint8Array }> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return { type: response.headers.get("content-type"), bytes: new Uint8Array(await response.arrayBuffer()) };
}

/** Just enough of a browser's XMLHttpRequest, on fetch, to run the upload's XHR path in node. */
class FakeXhr {
  static sent: { method: string; url: string; headers: Record<string, string>; size: number }[] = [];
  upload: { onprogress: ((event: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  ontimeout: (() => void) | null = null;
  responseType = "";
  status = 0;
  statusText = "";
  response: Blob | null = null;
  private method = "GET";
  private url = "";
  private headers: Record<string, string> = {};
  private responseHeaders = "";

  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name.toLowerCase()] = value;
  }
  getAllResponseHeaders() {
    return this.responseHeaders;
  }
  abort() {
    this.onabort?.();
  }
  send(body: Blob | null) {
    FakeXhr.sent.push({ method: this.method, url: this.url, headers: { ...this.headers }, size: body?.size ?? 0 });
    const total = body?.size ?? 0;
    void (async () => {
      try {
        this.upload.onprogress?.({ lengthComputable: true, loaded: Math.floor(total / 2), total });
        const response = await fetch(this.url, { method: this.method, headers: this.headers, body });
        this.upload.onprogress?.({ lengthComputable: true, loaded: total, total });
        this.status = response.status;
        this.statusText = response.statusText;
        const lines: string[] = [];
        response.headers.forEach((value, name) => lines.push(`${name}: ${value}`));
        this.responseHeaders = lines.join("\r\n");
        this.response = await response.blob();
        this.onload?.();
      } catch {
        this.onerror?.();
      }
    })();
  }
}

describe("settings store", () => {
  beforeAll(signInAsAdmin);
  afterAll(() => auth.logout());
  afterEach(() => {
    vi.unstubAllGlobals();
    FakeXhr.sent = [];
  });

  it("loads and updates the settings (admin)", async () => {
    const settings = await store().load();
    expect(settings?.clinicName).toBeTruthy();
    expect(store().settings).toEqual(settings);
    const phone = settings!.clinicPhone ?? "";

    const updated = await store().update({ clinicPhone: "+1 (415) 200-1000", reminderLeadTimeHours: 24 });
    expect(updated).toMatchObject({ clinicPhone: "+1 (415) 200-1000", reminderLeadTimeHours: 24, clinicName: settings!.clinicName });
    expect(store().settings?.clinicPhone).toBe("+1 (415) 200-1000");

    expect(await store().update({ reminderLeadTimeHours: -5 })).toBeNull();
    expect(store().errors.update).toMatchObject({ status: 400, code: "VALIDATION_ERROR" });
    expect(store().settings?.reminderLeadTimeHours).toBe(24);

    await store().update({ clinicPhone: phone });
  });

  it("uploads a logo with progress and reads it back (fetch in node: 0, then 1)", async () => {
    await store().load();
    const seen: (number | null)[] = [];
    const unsubscribe = useSettingsStore.subscribe((state, previous) => {
      if (state.uploadProgress !== previous.uploadProgress) seen.push(state.uploadProgress);
    });
    const image = tinyPng(10, 20, 30);
    const logo = await store().uploadLogo(new Blob([image], { type: "image/png" }), { fileName: "logo.png" });
    unsubscribe();

    expect(store().errors.uploadLogo).toBeNull();
    expect(logo).toMatchObject({ contentType: "image/png", size: image.length });
    expect(seen).toEqual([0, 1, null]);
    expect(store().logo).toEqual(logo);
    expect(store().settings?.logo).toEqual(logo);

    // The settings and the logo endpoint agree, and the public URL serves the same bytes.
    await store().load();
    expect(store().settings?.logo?.url).toBe(logo!.url);
    const again = await store().loadLogo();
    expect(again?.url).toBe(logo!.url);
    const file = await download(logo!.url);
    expect(file.type).toBe("image/png");
    expect(file.bytes).toEqual(image);
  });

  it("turns a refused upload into a typed ApiError", async () => {
    expect(await store().uploadLogo(new Blob(["<svg/>"], { type: "image/svg+xml" }))).toBeNull();
    expect(store().errors.uploadLogo).toBeInstanceOf(ApiError);
    expect(store().errors.uploadLogo).toMatchObject({ status: 415, code: "UNSUPPORTED_MEDIA_TYPE" });
    expect(store().uploadProgress).toBeNull();

    const error = await uploadLogo(new Blob([])).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, code: "VALIDATION_ERROR" });
    expect((error as ApiError).fieldMessage("file")).toBeTruthy();
  });

  it("uses XMLHttpRequest where there is one: progress events, the token, the 401 refresh", async () => {
    await signInAsAdmin(); // a fresh access token: the first upload must not need a refresh
    vi.stubGlobal("XMLHttpRequest", FakeXhr);
    const progress: number[] = [];
    const image = tinyPng(200, 100, 0);
    const logo = await uploadLogo(new Blob([image]), { fileName: "logo.png", onProgress: (p) => progress.push(p) });

    expect(logo).toMatchObject({ contentType: "image/png", size: image.length });
    expect(progress[0]).toBe(0);
    expect(progress).toContain(1);
    expect(progress.some((p) => p > 0 && p < 1)).toBe(true);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(FakeXhr.sent).toHaveLength(1);
    expect(FakeXhr.sent[0]).toMatchObject({ method: "PUT" });
    expect(FakeXhr.sent[0]!.url).toMatch(/\/api\/settings\/logo$/);
    expect(FakeXhr.sent[0]!.headers.authorization).toBe(`Bearer ${tokenStore.get()!.accessToken}`);
    expect(FakeXhr.sent[0]!.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect((await download(logo.url)).bytes).toEqual(image);

    // With the access token expired: one refresh, and the upload is sent again.
    const refreshes = auth.refreshCount();
    await sleep((accessTokenSeconds + 1) * 1000);
    const replaced = await store().uploadLogo(new Blob([tinyPng(1, 2, 3)]));
    expect(store().errors.uploadLogo).toBeNull();
    expect(replaced?.url).not.toBe(logo.url);
    expect(auth.refreshCount()).toBe(refreshes + 1);
    expect(FakeXhr.sent.slice(1).map((s) => s.headers.authorization !== undefined)).toEqual([true, true]);
  });
});
