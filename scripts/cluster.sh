#!/usr/bin/env bash
# A local Roster cluster: server i on 127.0.0.i at the standard ports (8300 server RPC, 8301
# gossip, 8502 gRPC API), client agent j on 127.0.0.(10+j) (gossip on 8301, its local API for
# applications on 8500), the same topology
# as separate hosts (and as docker-compose.yml). Each member keeps its data, log and PID under
# one folder. Servers and agents share one gossip pool; the leader keeps the catalog in line
# with it.
#
#   scripts/cluster.sh start  [--servers 3|5] [--clients N] [--dir D] [--tls] [--acl]   start (or restart) them
#   scripts/cluster.sh stop   [--dir D]                   stop them (SIGTERM: agents leave; then SIGKILL)
#   scripts/cluster.sh status [--dir D] [--json]          servers and agents: name, PID, Raft role and addresses
#   scripts/cluster.sh env    [--dir D]                   export lines pointing the CLI and etcdctl at a --tls or --acl cluster
#
# --tls: the secure topology. TLS on every port, servers and agents requiring a certificate from
# the cluster's CA (verify_incoming), agents checking servers' certificates and the name
# server.dc1.roster (verify_outgoing, verify_server_hostname). The CA and every member's and the
# CLI's certificate are made once under D/tls and reused; a cluster founded with --tls stays so
# on restart without it. When the agent has --encrypt (gossip encryption), a key is made once
# into D/tls/gossip.key and every member gets it.
#
# --acl: ACLs on every server and agent, default policy deny (as production should run). Once the
# servers are up it bootstraps the management token into D/acl/management.token, and gives each
# client agent its own token (node "aN" write, service_prefix "" read: what the agent itself
# registers and reads) in D/acl/aN.token; all readable by their owner only. Like --tls it is the
# founding's choice: a cluster founded with --acl stays so on restart without it.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cmd="${1:-}"; shift || true
servers=3
clients=0
dir="${ROSTER_CLUSTER_DIR:-$root/.cluster}"
json=false
tls=false
acl=false
while [ $# -gt 0 ]; do
  case "$1" in
    --servers) servers="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    --json) json=true; shift ;;
    --tls) tls=true; shift ;;
    --acl) acl=true; shift ;;
    *) echo "cluster.sh: unknown argument $1 (usage: start|stop|status|env [--servers 3|5] [--clients N] [--dir D] [--tls] [--acl] [--json])" >&2; exit 2 ;;
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

tlsdir="$dir/tls"
ca="$tlsdir/roster-agent-ca.pem"

# A member's certificate and key (made by make_cert), by folder: n1..n5, a1..a9, cli.
cert_of() { echo "$tlsdir/$1/dc1-$2-roster-0.pem"; }
key_of() { echo "$tlsdir/$1/dc1-$2-roster-0-key.pem"; }

# One certificate per member, made the first time it is needed and kept: a restart reuses it, so
# members started earlier still trust it. Each goes in its own folder, so its file is always -0.
make_cert() { # folder kind [cert create flags...]
  local folder="$1" kind="$2"; shift 2
  [ -f "$(cert_of "$folder" "$kind")" ] && return 0
  mkdir -p "$tlsdir/$folder"
  node "$root/dist/cli/main.js" tls cert create "--$kind" "$@" --dir "$tlsdir/$folder" --ca "$ca" --key "$tlsdir/roster-agent-ca-key.pem" > /dev/null
}

# Does this build's agent take --encrypt (gossip encryption)? Asked at run time (once), so the
# script works the same before and after that setting exists.
has_encrypt=""
agent_has_encrypt() {
  if [ -z "$has_encrypt" ]; then
    has_encrypt=no
    if node "$root/dist/cmd/main.js" agent --help 2>/dev/null | grep -qE '^[[:space:]]+--encrypt[[:space:]]'; then has_encrypt=yes; fi
  fi
  [ "$has_encrypt" = yes ]
}

# A gossip key: 32 random bytes in base64, from `roster keygen` when the CLI has it.
new_gossip_key() {
  local k
  k="$(node "$root/dist/cli/main.js" keygen 2>/dev/null | tr -d '[:space:]' || true)"
  if ! printf '%s' "$k" | grep -qE '^[A-Za-z0-9+/]{43}=$'; then
    k="$(head -c 32 /dev/urandom | base64 | tr -d '\n')"
  fi
  printf '%s\n' "$k"
}

make_tls() {
  mkdir -p "$tlsdir"
  chmod 700 "$tlsdir"
  [ -f "$ca" ] || node "$root/dist/cli/main.js" tls ca create --dir "$tlsdir" > /dev/null
  for i in $(seq 1 "$servers"); do make_cert "n$i" server --node "n$i" --additional-ipaddress "127.0.0.$i"; done
  # An agent's certificate also serves its local API, dialed at 127.0.0.(10+j).
  for j in $(seq 1 "$clients"); do make_cert "a$j" client --additional-ipaddress "127.0.0.$((10 + j))"; done
  make_cert cli cli
  if agent_has_encrypt && [ ! -f "$tlsdir/gossip.key" ]; then
    (umask 077 && new_gossip_key > "$tlsdir/gossip.key")
  fi
}

# security_args NAME KIND: the flags of member NAME (n1, a1) of KIND (server, client), into the
# array security: the secure topology's with a CA, else a plain cluster's (servers then need
# --insecure-peers to run several without TLS).
security_args() {
  if [ ! -f "$ca" ]; then
    security=(); [ "$2" = server ] && security=(--insecure-peers)
    return 0
  fi
  security=(--ca-file "$ca" --cert-file "$(cert_of "$1" "$2")" --key-file "$(key_of "$1" "$2")" --verify-incoming --verify-outgoing --verify-server-hostname)
  if [ -f "$tlsdir/gossip.key" ] && agent_has_encrypt; then security+=(--encrypt "$(cat "$tlsdir/gossip.key")"); fi
}

acldir="$dir/acl"
management="$acldir/management.token"

# The CLI as the cluster's operator: over TLS with the CLI's certificate when the cluster has
# a CA, with the management token once there is one.
roster_cli() {
  local args=(--endpoint 127.0.0.1:8502)
  if [ -f "$ca" ]; then args+=(--ca-file "$ca" --cert-file "$(cert_of cli cli)" --key-file "$(key_of cli cli)" --tls-server-name server.dc1.roster); fi
  if [ -f "$management" ]; then args+=(--token-file "$management"); fi
  node "$root/dist/cli/main.js" "$@" "${args[@]}"
}

# The management token, bootstrapped once (retried while the servers elect a leader, bounded).
acl_bootstrap() {
  [ -f "$management" ] && return 0
  local t=0 out
  until out="$(roster_cli acl bootstrap --format json 2>&1)"; do
    t=$((t + 1))
    if [ "$t" -gt 100 ]; then echo "cluster.sh: acl bootstrap failed: $out" >&2; exit 1; fi
    sleep 0.2
  done
  (umask 077 && node -e 'process.stdout.write(JSON.parse(process.argv[1]).SecretID + "\n")' "$out" > "$management")
}

# Client agent aN's token (node "aN" write, every service readable), made once into D/acl/aN.token.
agent_token() {
  local file="$acldir/$1.token"
  if [ ! -f "$file" ]; then
    roster_cli acl policy create --name "agent-$1" --description "client agent $1" \
      --rules "node \"$1\" { policy = \"write\" } service_prefix \"\" { policy = \"read\" }" > /dev/null
    local out; out="$(roster_cli acl token create --description "agent token of $1" --policy-name "agent-$1" --format json)"
    (umask 077 && node -e 'process.stdout.write(JSON.parse(process.argv[1]).SecretID + "\n")' "$out" > "$file")
  fi
  cat "$file"
}

# Waits until each member named (n1, a2...) reports ready (bounded).
wait_ready() {
  for m in "$@"; do
    local d="$dir/$m" t=0
    until grep -q "ready" "$d/out.log" 2>/dev/null; do
      if ! alive "$d"; then echo "$m failed to start; see $d/server.log:" >&2; tail -5 "$d/server.log" >&2; exit 1; fi
      t=$((t + 1)); [ "$t" -gt 300 ] && { echo "$m not ready after 30s" >&2; exit 1; }
      sleep 0.1
    done
  done
}

endpoints() {
  local out="" i
  for i in $(seq 1 "$(cat "$dir/servers" 2>/dev/null || echo "$servers")"); do out="${out:+$out,}127.0.0.$i:8502"; done
  echo "$out"
}

# What points the CLI, etcdctl and the SDK at a --tls or --acl cluster (eval "$(scripts/cluster.sh env)").
print_env() {
  if [ ! -f "$ca" ] && [ ! -f "$management" ]; then echo "cluster.sh: the cluster under $dir has neither TLS nor ACLs (start it with --tls or --acl)" >&2; return 1; fi
  echo "export ROSTER_ENDPOINT=127.0.0.1:8502"
  [ -f "$management" ] && echo "export ROSTER_TOKEN_FILE=$management"
  if [ -f "$ca" ]; then
    local cert key; cert="$(cert_of cli cli)"; key="$(key_of cli cli)"
    echo "export ROSTER_CACERT=$ca ROSTER_CLIENT_CERT=$cert ROSTER_CLIENT_KEY=$key"
    echo "export ETCDCTL_API=3 ETCDCTL_ENDPOINTS=$(endpoints) ETCDCTL_CACERT=$ca ETCDCTL_CERT=$cert ETCDCTL_KEY=$key"
  fi
  return 0
}

start() {
  # The compiled server, as deployed (a build takes a few seconds and is skipped when current).
  if [ ! -f "$root/dist/cmd/main.js" ] || [ -n "$(find "$root/src" -newer "$root/dist/cmd/main.js" -name '*.ts' -print -quit)" ]; then
    (cd "$root" && npm run build --silent) || { echo "cluster.sh: npm run build failed" >&2; exit 1; }
  fi
  mkdir -p "$dir"
  [ -f "$dir/servers" ] && servers="$(cat "$dir/servers")"
  local ic; ic="$(initial_cluster "$servers")"
  [ -f "$dir/clients" ] && [ "$clients" = 0 ] && clients="$(cat "$dir/clients")"
  # TLS is the founding's choice: a cluster founded without it has servers that know each other
  # by unchecked names, so it is not switched over in place.
  if [ "$tls" = true ] && [ ! -f "$ca" ] && [ -f "$dir/servers" ]; then
    echo "cluster.sh: the cluster under $dir was founded without TLS; stop it and start a new one (another --dir) with --tls" >&2; exit 2
  fi
  if [ "$tls" = true ] || [ -f "$ca" ]; then make_tls; fi
  if [ "$acl" = true ] && [ ! -d "$acldir" ] && [ -f "$dir/servers" ]; then
    echo "cluster.sh: the cluster under $dir was founded without ACLs; stop it and start a new one (another --dir) with --acl" >&2; exit 2
  fi
  if [ "$acl" = true ]; then mkdir -p "$acldir" && chmod 700 "$acldir"; fi
  local aclflags=()
  [ -d "$acldir" ] && aclflags=(--acl-enabled --acl-default-policy deny)
  echo "$servers" > "$dir/servers"
  echo "$clients" > "$dir/clients"
  # One token per founding (kept, so later starts of the same cluster give the same one).
  [ -f "$dir/token" ] || od -An -N8 -tx1 /dev/urandom | tr -d ' \n' > "$dir/token"
  local token; token="$(cat "$dir/token")"
  local security=()
  for i in $(seq 1 "$servers"); do
    local d="$dir/n$i"
    mkdir -p "$d"
    if alive "$d"; then echo "n$i already running (pid $(cat "$d/pid"))"; continue; fi
    security_args "n$i" server
    # A 4 MiB young generation: about 20 MiB less resident memory per server, no measurable
    # throughput cost (scripts/bench). ROSTER_NODE_FLAGS adds flags such as --cpu-prof
    # (deliberately unquoted).
    # shellcheck disable=SC2086
    nohup node --max-semi-space-size=4 ${ROSTER_NODE_FLAGS:-} "$root/dist/cmd/main.js" --server --name "n$i" --data-dir "$d/data" \
      --peer-addr "127.0.0.$i:8300" --client-addr "127.0.0.$i:8502" --initial-cluster "$ic" --initial-cluster-token "$token" "${security[@]}" "${aclflags[@]}" \
      --gossip-addr "127.0.0.$i:8301" --join "127.0.0.1:8301" \
      > "$d/out.log" 2>> "$d/server.log" < /dev/null &
    echo $! > "$d/pid"
    echo "started n$i (pid $!)"
  done
  # shellcheck disable=SC2046
  wait_ready $(seq 1 "$servers" | sed 's/^/n/')
  [ -d "$acldir" ] && acl_bootstrap
  for j in $(seq 1 "$clients"); do
    local d="$dir/a$j"
    mkdir -p "$d"
    if alive "$d"; then echo "a$j already running (pid $(cat "$d/pid"))"; continue; fi
    security_args "a$j" client
    local agentacl=()
    [ -d "$acldir" ] && agentacl=(--acl-enabled --acl-agent-token "$(agent_token "a$j")")
    # shellcheck disable=SC2086
    nohup node ${ROSTER_NODE_FLAGS:-} "$root/dist/cmd/main.js" agent --name "a$j" "${security[@]}" \
      --gossip-addr "127.0.0.$((10 + j)):8301" --join "127.0.0.1:8301,127.0.0.2:8301,127.0.0.3:8301" --api-addr "127.0.0.$((10 + j)):8500" --data-dir "$d/data" "${agentacl[@]}" \
      > "$d/out.log" 2>> "$d/server.log" < /dev/null &
    echo $! > "$d/pid"
    echo "started a$j (pid $!)"
  done
  # shellcheck disable=SC2046
  wait_ready $(seq 1 "$clients" | sed 's/^/a/')
  echo "cluster of $servers servers and $clients client agents running under $dir (API on 127.0.0.1:8502 ... 127.0.0.$servers:8502)"
  if [ -f "$ca" ]; then
    local gossip="gossip unencrypted (this build's agent has no --encrypt)"
    [ -f "$tlsdir/gossip.key" ] && agent_has_encrypt && gossip="gossip encrypted with $tlsdir/gossip.key"
    echo "TLS on every port, client certificates required; $gossip. Point the CLI and etcdctl at it:"
    print_env | sed 's/^/  /'
    echo "  (or: eval \"\$(scripts/cluster.sh env --dir $dir)\"; applications on an agent present a client certificate from $tlsdir too)"
  fi
  if [ -d "$acldir" ]; then
    echo "ACLs on, default policy deny. The management token is in $management (keep it safe):"
    echo "  export ROSTER_TOKEN_FILE=$management   (or: eval \"\$(scripts/cluster.sh env --dir $dir)\")"
  fi
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
  env) print_env ;;
  *) echo "usage: scripts/cluster.sh start|stop|status|env [--servers 3|5] [--clients N] [--dir D] [--tls] [--acl] [--json]" >&2; exit 2 ;;
esac
