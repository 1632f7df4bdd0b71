// The upload loop: pending entries go to /api/readings/sync in batches whenever the tablet is
// online (on load, on the "online" event, after each save, and every few seconds while
// anything waits). Answers are applied by client key, so a batch answered twice, or sent from
// two tabs, changes nothing more.
"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { allEntries, applyResults, putEntry, type Entry } from "./offline-store";

const BATCH = 100;
const RETRY_MS = 5_000;

export function useQueue() {
  const [entries, setEntries] = useState<Entry[]>([]);
  const [online, setOnline] = useState(true);
  const [syncing, setSyncing] = useState(false);
  const [authLost, setAuthLost] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const busy = useRef(false);

  const refresh = useCallback(async () => {
    setEntries(await allEntries());
    setLoaded(true);
  }, []);

  const sync = useCallback(async () => {
    if (busy.current || !navigator.onLine) return;
    busy.current = true;
    setSyncing(true);
    try {
      for (;;) {
        const pending = (await allEntries()).filter((e) => e.status === "pending");
        if (pending.length === 0) break;
        const batch = pending.slice(0, BATCH);
        let res: Response;
        try {
          res = await fetch("/api/readings/sync", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ items: batch.map((e) => e.item) }),
            cache: "no-store",
          });
        } catch {
          break; // no connection after all: keep everything, try again later
        }
        if (res.status === 401) {
          setAuthLost(true);
          break;
        }
        if (!res.ok) break;
        setAuthLost(false);
        const body = (await res.json()) as { results: Parameters<typeof applyResults>[0] };
        await applyResults(body.results);
        await refresh();
        if (body.results.length < batch.length) break;
      }
    } finally {
      busy.current = false;
      setSyncing(false);
      await refresh();
    }
  }, [refresh]);

  const save = useCallback(async (e: Entry) => {
    await putEntry(e);
    await refresh();
    void sync();
  }, [refresh, sync]);

  useEffect(() => {
    setOnline(navigator.onLine);
    void refresh().then(sync);
    const up = () => { setOnline(true); void sync(); };
    const down = () => setOnline(false);
    window.addEventListener("online", up);
    window.addEventListener("offline", down);
    const timer = setInterval(() => { if (navigator.onLine) void sync(); }, RETRY_MS);
    return () => {
      window.removeEventListener("online", up);
      window.removeEventListener("offline", down);
      clearInterval(timer);
    };
  }, [refresh, sync]);

  const pending = entries.filter((e) => e.status === "pending").length;
  return { entries, pending, online, syncing, authLost, loaded, save, sync };
}
