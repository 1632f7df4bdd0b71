// The tablet's own record of what the reader entered, in IndexedDB: it survives a reload, a
// lost connection and a closed browser. One entry per meter and period (the last thing the
// reader saved for it) with the client key that makes its upload idempotent; "pending"
// entries are the queue. The route data the page was rendered with is kept too, so the
// screens can be rebuilt without the network.
"use client";

import type { ReadingItemInput } from "@/lib/validation/reading";

export type EntryStatus = "pending" | "stored" | "rejected";

export type Entry = {
  slot: string; // `${installationId}:${period}`
  clientKey: string;
  item: ReadingItemInput;
  status: EntryStatus;
  message?: string;
  readingId?: number;
  savedAt: string;
};

const DB_NAME = "chaohe-reader";
const VERSION = 1;

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains("entries")) db.createObjectStore("entries", { keyPath: "slot" });
      if (!db.objectStoreNames.contains("snapshots")) db.createObjectStore("snapshots", { keyPath: "key" });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function run<T>(store: string, mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T> | void): Promise<T | undefined> {
  const db = await open();
  try {
    return await new Promise<T | undefined>((resolve, reject) => {
      const tx = db.transaction(store, mode);
      const req = fn(tx.objectStore(store));
      let out: T | undefined;
      if (req) req.onsuccess = () => (out = req.result);
      tx.oncomplete = () => resolve(out);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

export function slotOf(installationId: number, period: string): string {
  return `${installationId}:${period}`;
}

export async function allEntries(): Promise<Entry[]> {
  return (await run<Entry[]>("entries", "readonly", (s) => s.getAll() as IDBRequest<Entry[]>)) ?? [];
}

export async function putEntry(e: Entry): Promise<void> {
  await run("entries", "readwrite", (s) => s.put(e));
}

/** Applies the server's answers: only to the entry that still carries that client key (the
 *  reader may have saved a newer value for the meter meanwhile). */
export async function applyResults(results: { clientKey: string | null; status: EntryStatus | "duplicate"; message?: string; readingId?: number }[]): Promise<void> {
  const byKey = new Map(results.filter((r) => r.clientKey).map((r) => [r.clientKey!, r]));
  const db = await open();
  try {
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction("entries", "readwrite");
      const store = tx.objectStore("entries");
      const req = store.openCursor();
      req.onsuccess = () => {
        const cur = req.result;
        if (!cur) return;
        const e = cur.value as Entry;
        const r = byKey.get(e.clientKey);
        if (r && e.status === "pending") {
          cur.update({ ...e, status: r.status === "duplicate" ? "stored" : r.status, message: r.message, readingId: r.readingId });
        }
        cur.continue();
      };
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

export type Snapshot<T> = { key: string; savedAt: string; data: T };

export async function saveSnapshot<T>(key: string, data: T): Promise<void> {
  await run("snapshots", "readwrite", (s) => s.put({ key, savedAt: new Date().toISOString(), data }));
}

export async function loadSnapshot<T>(key: string): Promise<Snapshot<T> | undefined> {
  return run<Snapshot<T>>("snapshots", "readonly", (s) => s.get(key) as IDBRequest<Snapshot<T>>);
}

export function newClientKey(): string {
  // crypto.randomUUID needs a secure context; plain http on a LAN address is not one
  const rnd = typeof crypto !== "undefined" && "getRandomValues" in crypto
    ? Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, "0")).join("")
    : Math.random().toString(16).slice(2) + Math.random().toString(16).slice(2);
  return `r-${Date.now().toString(36)}-${rnd}`;
}
