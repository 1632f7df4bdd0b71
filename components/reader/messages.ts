// A small translator for client components: the page passes the catalog subtrees it needs
// (plain data), so the whole catalog is not shipped to the tablet.
type Tree = { [k: string]: string | Tree };

export type Messages = Tree;
export type ClientT = (key: string, params?: Record<string, string | number>) => string;

export function makeClientT(tree: Messages): ClientT {
  return (key, params) => {
    let node: string | Tree | undefined = tree;
    for (const part of key.split(".")) node = typeof node === "object" ? node[part] : undefined;
    const s = typeof node === "string" ? node : key;
    return params ? s.replace(/\{(\w+)\}/g, (m, p: string) => (p in params ? String(params[p]) : m)) : s;
  };
}
