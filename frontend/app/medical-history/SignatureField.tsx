"use client";
// The patient's signature: drawn with a finger, pen or mouse on a canvas (signature_pad), or — for
// anyone who cannot draw (keyboard, screen reader) — typed, and written onto the image in a script font.
import SignaturePad from "signature_pad";
import { useEffect, useRef, useState } from "react";

export interface SignatureHandle {
  /** The signature as a PNG data URL; "" when there is none. */
  toDataUrl(): string;
}

/** Writes a typed name onto a white PNG the size of the pad. */
function typedSignature(name: string, width: number, height: number): string {
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(width, 300);
  canvas.height = Math.max(height, 120);
  const ctx = canvas.getContext("2d");
  if (!ctx) return "";
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = "#111";
  ctx.textBaseline = "middle";
  let size = 48;
  do {
    ctx.font = `italic ${size}px "Segoe Script", "Brush Script MT", cursive`;
    size -= 4;
  } while (size > 12 && ctx.measureText(name).width > canvas.width - 24);
  ctx.fillText(name, 12, canvas.height / 2);
  return canvas.toDataURL("image/png");
}

export function SignatureField({ onReady, error }: { onReady(handle: SignatureHandle): void; error?: string | undefined }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const padRef = useRef<SignaturePad | null>(null);
  const [drawn, setDrawn] = useState(false);
  const [typed, setTyped] = useState("");
  const typedRef = useRef("");
  typedRef.current = typed;

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const pad = new SignaturePad(canvas, { backgroundColor: "rgb(255,255,255)", penColor: "#111" });
    padRef.current = pad;
    // The canvas' pixels follow its size on screen (and the screen's density); resizing clears it.
    const fit = () => {
      const ratio = Math.max(window.devicePixelRatio || 1, 1);
      canvas.width = canvas.offsetWidth * ratio;
      canvas.height = canvas.offsetHeight * ratio;
      canvas.getContext("2d")?.scale(ratio, ratio);
      pad.clear();
      setDrawn(false);
    };
    fit();
    let lastWidth = canvas.offsetWidth;
    const onResize = () => {
      if (canvas.offsetWidth !== lastWidth) {
        lastWidth = canvas.offsetWidth;
        fit();
      }
    };
    const onEnd = () => setDrawn(!pad.isEmpty());
    pad.addEventListener("endStroke", onEnd);
    window.addEventListener("resize", onResize);
    onReady({
      toDataUrl: () => {
        if (!pad.isEmpty()) return pad.toDataURL("image/png");
        const name = typedRef.current.trim();
        return name ? typedSignature(name, canvas.width, canvas.height) : "";
      },
    });
    return () => {
      pad.removeEventListener("endStroke", onEnd);
      window.removeEventListener("resize", onResize);
      pad.off();
      padRef.current = null;
    };
  }, [onReady]);

  const clear = () => {
    padRef.current?.clear();
    setDrawn(false);
  };

  return (
    <fieldset className="signature" aria-describedby={error ? "signature-error" : "signature-hint"}>
      <legend>Signature *</legend>
      <p id="signature-hint" className="hint">Sign in the box with your finger or mouse, or type your full name below.</p>
      <canvas ref={canvasRef} className={error ? "signature-pad invalid" : "signature-pad"} role="img"
        aria-label={drawn ? "Your drawn signature" : "Signature box, empty"} data-testid="signature-pad" />
      <div className="actions">
        <button type="button" className="secondary" onClick={clear} disabled={!drawn}>Clear signature</button>
        <span className="hint" aria-live="polite">{drawn ? "Signed." : ""}</span>
      </div>
      <label htmlFor="typed-signature" className="typed-label">Or type your full name to sign</label>
      <input id="typed-signature" type="text" autoComplete="name" value={typed} onChange={(e) => setTyped(e.target.value)}
        aria-describedby={error ? "signature-error" : undefined} />
      {error && <div id="signature-error" className="field-error">{error}</div>}
    </fieldset>
  );
}
