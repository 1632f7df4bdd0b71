// Puts the socket's peer address on every request as PEER_HEADER, before Next.js reads the
// request (see client-address.ts for why). Installed once per server process by
// instrumentation.ts. The header is overwritten, never appended to: a client that sends its own
// x-chaohe-peer is not believed.
import http from "node:http";
import https from "node:https";
import { PEER_HEADER } from "./client-address";

const INSTALLED = Symbol.for("chaohe.peerHeader");

type Emit = (this: unknown, event: string | symbol, ...args: unknown[]) => boolean;

export function installPeerHeader() {
  for (const proto of [http.Server.prototype, https.Server.prototype] as unknown as Record<string | symbol, unknown>[]) {
    if (proto[INSTALLED]) continue;
    const emit = proto.emit as Emit;
    proto.emit = function (this: unknown, event: string | symbol, ...args: unknown[]) {
      if (event === "request") {
        const req = args[0] as http.IncomingMessage;
        req.headers[PEER_HEADER] = req.socket?.remoteAddress ?? "";
      }
      return emit.call(this, event, ...args);
    } as Emit;
    proto[INSTALLED] = true;
  }
}
