#!/usr/bin/env bash
# A local Roster cluster: server i on 127.0.0.i at the standard ports (8300 server RPC, 8301
# gossip, 8502 gRPC API), client agent j on 127.0.0.(10+j) (gossip on 8301, its local API for
# applications on 8500), the same topology
# as separate hosts (and as docker-compose.yml). Each member keeps its data, log and PID under
# one folder. Servers and agents share one gossip pool; the leader keeps the catalog in line
# with it.
#
#   scripts/cluster.sh start  [--servers 3|5] [--clients N] [--dir D]   start (or restart) them
#   scripts/cluster.sh stop   [--dir D]                   stop them (SIGTERM: agents leave; then SIGKILL)
#   scripts/cluster.sh status [--dir D] [--json]          name, PID, Raft role and addresses
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cmd="${1:-}"; shift || true
servers=3
clients=0
dir="${ROSTER_CLUSTER_DIR:-$root/.cluster}"
json=false
while [ $# -gt 0 ]; do
  case "$1" in
    --servers) servers="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    --json) json=true; shift ;;
    *) echo "cluster.sh: unknown argument $1 (usage: start|stop|status [--servers 3|5] [--clients N] [--dir D] [--json])" >&2; exit 2 ;;
  esac
done
case "$servers" in 1|3|5) ;; *) echo "cluster.sh: --servers must be 1, 3 or 5" >&2; exit 2 ;; esac
case "$clients" in [0-9]) ;; *) echo "cluster.sh: --clients must be 0-9" >&2; exit 2 ;; esac

initial_cluster() {
  local out="" i
  for i in $(seq 1 "$1"); do out="${out:+$out,}n$i=127.0.0.$i:8300"; done
  echo "$out"
}

# Running, and not a zombie: a killed member whose parent has not reaped it still answers kill -0.
alive() {
  [ -f "$1/pid" ] || return 1
  local p; p="$(cat "$1/pid")"
  kill -0 "$p" 2>/dev/null || return 1
  [ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" != "Z" ]
}

start() {
  # The compiled server, as deployed (a build takes a few seconds and is skipped when current).
  if [ ! -f "$root/dist/cmd/main.js" ] || [ -n "$(find "$root/src" -newer "$root/dist/cmd/main.js" -name '*.ts' -print -quit)" ]; then
    (cd "$root" && npm run build --silent) || { echo "cluster.sh: npm run build failed" >&2; exit 1; }
  fi
  mkdir -p "$dir"
  local ic; ic="$(initial_cluster "$servers")"
  [ -f "$dir/servers" ] && servers="$(cat "$dir/servers")" && ic="$(initial_cluster "$servers")"
  echo "$servers" > "$dir/servers"
  # One token per founding (kept, so later starts of the same cluster give the same one).
  [ -f "$dir/token" ] || od -An -N8 -tx1 /dev/urandom | tr -d ' \n' > "$dir/token"
  local token; token="$(cat "$dir/token")"
  for i in $(seq 1 "$servers"); do
    local d="$dir/n$i"
    mkdir -p "$d"
    if alive "$d"; then echo "n$i already running (pid $(cat "$d/pid"))"; continue; fi
    # ROSTER_NODE_FLAGS: extra node flags, e.g. --cpu-prof for profiling (deliberately unquoted).
    # shellcheck disable=SC2086
    # A 4 MiB young generation: about 20 MiB less resident memory per server, no measurable
    # throughput cost (scripts/bench). ROSTER_NODE_FLAGS adds flags such as --cpu-prof.
    nohup node --max-semi-space-size=4 ${ROSTER_NODE_FLAGS:-} "$root/dist/cmd/main.js" --server --name "n$i" --data-dir "$d/data" \
      --peer-addr "127.0.0.$i:8300" --client-addr "127.0.0.$i:8502" --initial-cluster "$ic" --initial-cluster-token "$token" --insecure-peers \
      --gossip-addr "127.0.0.$i:8301" --join "127.0.0.1:8301" \
      > "$d/out.log" 2>> "$d/server.log" < /dev/null &
    echo $! > "$d/pid"
  done
  [ -f "$dir/clients" ] && [ "$clients" = 0 ] && clients="$(cat "$dir/clients")"
  echo "$clients" > "$dir/clients"
  for j in $(seq 1 "$clients"); do
    local d="$dir/a$j"
    mkdir -p "$d"
    if alive "$d"; then echo "a$j already running (pid $(cat "$d/pid"))"; continue; fi
    # shellcheck disable=SC2086
    nohup node ${ROSTER_NODE_FLAGS:-} "$root/dist/cmd/main.js" agent --name "a$j" \
      --gossip-addr "127.0.0.$((10 + j)):8301" --join "127.0.0.1:8301,127.0.0.2:8301,127.0.0.3:8301" --api-addr "127.0.0.$((10 + j)):8500" --data-dir "$d/data" \
      > "$d/out.log" 2>> "$d/server.log" < /dev/null &
    echo $! > "$d/pid"
  done
  # Wait until every member reports ready (bounded).
  for m in $(seq 1 "$servers" | sed 's/^/n/') $(seq 1 "$clients" | sed 's/^/a/'); do
    local d="$dir/$m" t=0 i="$m"
    until grep -q "ready" "$d/out.log" 2>/dev/null; do
      if ! alive "$d"; then echo "$i failed to start; see $d/server.log:" >&2; tail -5 "$d/server.log" >&2; exit 1; fi
      t=$((t + 1)); [ "$t" -gt 300 ] && { echo "$i not ready after 30s" >&2; exit 1; }
      sleep 0.1
    done
  done
  echo "cluster of $servers servers and $clients client agents running under $dir (API on 127.0.0.1:8502 ... 127.0.0.$servers:8502)"
}

stop() {
  [ -d "$dir" ] || { echo "no cluster under $dir"; return 0; }
  # Agents first: they leave the pool gracefully on SIGTERM while the servers can still hear it.
  for d in "$dir"/a* "$dir"/n*; do
    [ -d "$d" ] || continue
    if alive "$d"; then
      local pid; pid="$(cat "$d/pid")"
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
      echo "stopped $(basename "$d") (pid $pid)"
    fi
    rm -f "$d/pid"
  done
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) exec node --import tsx "$root/scripts/cluster-status.ts" "$dir" "$json" ;;
  *) echo "usage: scripts/cluster.sh start|stop|status [--servers 3|5] [--dir D] [--json]" >&2; exit 2 ;;
esac
