/**
 * The import boundaries of src/, as data: dependency-cruiser (.dependency-cruiser.cjs) turns
 * each row into a rule, ARCHITECTURE.md's table mirrors it, and test/unit/lint-boundaries.test.ts
 * requires a row for every folder under src/.
 *
 * Keys are folders relative to src/. A row covers its subfolders unless a subfolder has a row of
 * its own (`store/leveldb` is not part of `store` here). Each row maps the folders it may import
 * to 'any' or 'type' (only through `import type` / `export type`, erased from the JavaScript, so
 * no runtime dependency); '*' is the default for folders not listed, otherwise nothing. Imports
 * inside a folder are always allowed.
 */
export const BOUNDARIES = {
  util: {},
  // The process's monotonic clock and request deadlines on it, for every layer that waits.
  time: { util: 'any' },
  raft: { util: 'any' },
  gossip: { util: 'any' },
  store: { util: 'any', raft: 'type' },
  'store/leveldb': { util: 'any', store: 'any', raft: 'any' },
  transport: { util: 'any', time: 'any', raft: 'type', gossip: 'type', gen: 'any', proto: 'any', tls: 'any' },
  api: { util: 'any', time: 'any', store: 'any', gen: 'any', proto: 'any', raft: 'type', gossip: 'type', tls: 'any' },
  client: { util: 'any', time: 'any', gen: 'any', proto: 'any', tls: 'any' },
  cli: { client: 'any', util: 'any', gen: 'any', proto: 'any', terminal: 'any', flags: 'any', tls: 'any', template: 'any' },
  // Rendered files (roster template, the agent's templates): Liquid over registry and KV watches.
  template: { client: 'any', util: 'any', time: 'any', gen: 'any', proto: 'any', tls: 'any' },
  // Command-line flags: the shared tokenizer (util.parseArgs) and the agent's flag parser.
  flags: { util: 'any' },
  // Certificates: the CA and the server/client/CLI certificates it signs (roster tls), and TLS
  // at run time: loading them, listeners, dialers, reload.
  tls: { util: 'any' },
  // Terminal output shared by the CLI and the program (progress bars).
  terminal: { util: 'any', time: 'any' },
  // Runtime loaders of the .proto packages, shared by the servers' API, the transport (gossip's
  // wire format) and the clients.
  proto: { gen: 'type' },
  // The client agent: gossip member, local API, checks, anti-entropy, discovery cache. Every
  // server runs one too, so src/server may import it; it never reaches into the server.
  agent: { util: 'any', time: 'any', gossip: 'any', transport: 'any', store: 'any', 'store/leveldb': 'any', gen: 'any', proto: 'any', client: 'any', flags: 'any', tls: 'any', raft: 'type', template: 'any' },
  // The server: Raft driver, applier, read barrier, leases, autopilot, and the process wiring.
  server: { '*': 'any', cli: 'none', cmd: 'none', terminal: 'none' },
  // The program: entry point, flags, config files, snapshot restore. Nothing imports it.
  cmd: { '*': 'any', cli: 'none' },
  // A registry inside an application's own tests (startTestRegistry): a server started in the
  // calling process, as the program starts one. Nothing in src/ imports it.
  testing: { '*': 'any', cli: 'none', cmd: 'none' },
  gen: {},
};
