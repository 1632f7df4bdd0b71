// Registers the reader's service worker (only here, on /reader) and hands it the files this
// page loaded before the worker controlled it, so a reload works offline from the first visit.
"use client";

import { useEffect, useState } from "react";

export function useServiceWorker(): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (!("serviceWorker" in navigator)) return;
    let cancelled = false;
    const onMessage = (e: MessageEvent) => {
      if (e.data?.type === "cached" && !cancelled) setReady(true);
    };
    navigator.serviceWorker.addEventListener("message", onMessage);
    (async () => {
      try {
        await navigator.serviceWorker.register("/sw-reader.js", { scope: "/reader" });
        const reg = await navigator.serviceWorker.ready;
        const urls = [
          location.pathname,
          ...performance.getEntriesByType("resource").map((r) => r.name)
            .filter((u) => u.startsWith(location.origin + "/_next/") || u.startsWith(location.origin + "/icon")),
        ];
        reg.active?.postMessage({ type: "cache-urls", urls: [...new Set(urls)] });
      } catch {
        /* no service worker (e.g. not a secure context): the IndexedDB queue still works */
      }
    })();
    return () => {
      cancelled = true;
      navigator.serviceWorker.removeEventListener("message", onMessage);
    };
  }, []);
  return ready;
}
