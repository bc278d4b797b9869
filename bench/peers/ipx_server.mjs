// bench/http's ipx: ipx 3 (sharp underneath) serving DIR on 127.0.0.1:PORT through its Node.js
// server, as its README sets it up. ipx keeps no cache of its results, so every request renders.
// Usage: node ipx_server.mjs NODE_MODULES DIR PORT
import { createRequire } from "node:module";
import { createServer } from "node:http";
import { join } from "node:path";

const [modules, dir, port] = process.argv.slice(2);
const { createIPX, ipxFSStorage, createIPXNodeServer } = createRequire(join(modules, "x.js"))("ipx");
const ipx = createIPX({ storage: ipxFSStorage({ dir }) });
createServer(createIPXNodeServer(ipx)).listen(Number(port), "127.0.0.1");
