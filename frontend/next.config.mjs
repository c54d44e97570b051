// The clinic's web app. `next build` writes a static export to out/, which the API serves from its
// own origin (DentalClinic/Configure.WebApp.cs). `npm run dev` serves it on :3000 against any API
// (NEXT_PUBLIC_API_URL, default http://localhost:5080; the API must allow the origin: Cors__Origins__0).
import { PHASE_DEVELOPMENT_SERVER } from "next/constants.js";

/** @param {string} phase */
export default function config(phase) {
  /** @type {import('next').NextConfig} */
  const common = {
    reactStrictMode: true,
    images: { unoptimized: true },
    // The form page reads its token from /medical-history/<token>; the API answers such paths with
    // medical-history.html. The dev server does the same with a rewrite (a static export has none).
  };
  if (phase === PHASE_DEVELOPMENT_SERVER) {
    return {
      ...common,
      async rewrites() {
        return [{ source: "/medical-history/:token", destination: "/medical-history" }];
      },
    };
  }
  return { ...common, output: "export" };
}
