#!/bin/sh
# The certificates of docker-compose.yml's secure cluster, made once into DIR (default /tls, a
# volume every member mounts) by its one-shot `certs` service before any member starts; a later
# `docker-compose up` finds them and makes nothing, so members keep trusting each other.
#
#   DIR/roster-agent-ca.pem                     the CA every member trusts (its key beside it)
#   DIR/n1..n3/dc1-server-roster-0.pem          servers: n<i>.server.dc1.roster and DNS server<i>
#   DIR/agent1..2/dc1-client-roster-0.pem       client agents: their local API is dialed as agent<j>
#   DIR/cli/dc1-cli-roster-0.pem                the CLI and the example apps
#   DIR/config/                                 a --config-dir every member reads: gossip.json holds
#                                               the gossip key when the agent has --encrypt
#
# Usage: scripts/docker/compose-certs.sh [DIR]   (needs dist/: the image has it, or npm run build)
set -eu
dir="${1:-/tls}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
ca="$dir/roster-agent-ca.pem"

roster() { node "$root/dist/cli/main.js" "$@" > /dev/null; }

# cert FOLDER KIND [flags]: one certificate per member, in its own folder (so always -0).
cert() {
  folder="$1"; kind="$2"; shift 2
  [ -f "$dir/$folder/dc1-$kind-roster-0.pem" ] && return 0
  mkdir -p "$dir/$folder"
  roster tls cert create "--$kind" "$@" --dir "$dir/$folder" --ca "$ca" --key "$dir/roster-agent-ca-key.pem"
  echo "made $dir/$folder/dc1-$kind-roster-0.pem"
}

mkdir -p "$dir/config"
[ -f "$ca" ] || { roster tls ca create --dir "$dir"; echo "made $ca"; }
for i in 1 2 3; do cert "n$i" server --node "n$i" --additional-dnsname "server$i"; done
for j in 1 2; do cert "agent$j" client --additional-dnsname "agent$j"; done
cert cli cli

# Gossip encryption, once the agent has it (asked at run time: the same file works before and
# after): 32 random bytes in base64 from `roster keygen` when the CLI has it.
if node "$root/dist/cmd/main.js" agent --help 2>/dev/null | grep -qE '^[[:space:]]+--encrypt[[:space:]]' && [ ! -f "$dir/config/gossip.json" ]; then
  key="$(node "$root/dist/cli/main.js" keygen 2>/dev/null | tr -d '[:space:]' || true)"
  printf '%s' "$key" | grep -qE '^[A-Za-z0-9+/]{43}=$' || key="$(head -c 32 /dev/urandom | base64 | tr -d '\n')"
  (umask 077 && printf '{"encrypt": "%s"}\n' "$key" > "$dir/config/gossip.json")
  echo "made $dir/config/gossip.json (gossip encryption key)"
fi
echo "certificates in $dir"
