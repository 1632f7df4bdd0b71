// Tests create and drop databases: refuse any server that is not on this machine.
export function assertLocalUrl(url: string) {
  const host = new URL(url).hostname;
  if (!["localhost", "127.0.0.1", "::1", "[::1]"].includes(host) && !host.startsWith("127.")) {
    throw new Error(`拒绝在非本机数据库上运行测试: ${host}。测试会创建并删除数据库，只能使用本机 PostgreSQL。`);
  }
}
