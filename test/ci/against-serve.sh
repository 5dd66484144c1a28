#!/usr/bin/env bash
# CI: syncsim's own server under test, as a team's backend would be (issue 15): the API
# conformance suite against `syncsim serve`, then the scenario library with its devices
# pointed at it over HTTP (--server, restarted empty before each run by --reset).
set -euo pipefail
cd "$(dirname "$0")/../.."
port=${SYNCSIM_CI_PORT:-18765}
pid_file=$(mktemp)
out=$(mktemp -d)
users=(--user demo:demo-token --user other:other-token)
stop() {
  local pid
  pid=$(cat "$pid_file" 2>/dev/null || true)
  if [[ "$pid" =~ ^[1-9][0-9]*$ ]]; then kill -9 "$pid" 2>/dev/null || true; fi
  rm -rf "$pid_file" "$out"
}
trap stop EXIT
reset="node test/support/restart-serve.mjs $port $pid_file ${users[*]}"
$reset
node bin/syncsim.js conform --server "http://127.0.0.1:$port" --token demo-token --token other-token --out "$out/conform"
# The library's scenarios for the reference engine (the naive engine's demonstrations fail on purpose).
scenarios=$(ls scenarios/*.yaml | grep -v '/naive-')
node bin/syncsim.js run $scenarios --server "http://127.0.0.1:$port" --token demo-token --token other:other-token --reset "$reset" --out "$out/runs"
