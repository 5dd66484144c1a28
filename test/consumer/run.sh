#!/usr/bin/env bash
# The package as a user gets it: packs syncsim, installs the tarball into a fresh copy of
# examples/engine-memory (an outside engine package), and there (a) runs `syncsim run`,
# (b) the project's own vitest suite, which imports syncsim and runs scenarios with its
# TypeScript engine, (c) tsc --noEmit over the project with the published types; then
# measures `node_modules/.bin/syncsim --help` (cli.help_ms in reports/bench.json).
# Dependencies come from npm's cache when it has them (--prefer-offline).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/syncsim-consumer.XXXXXX")
trap 'rm -rf "$work"' EXIT
step() { printf '\n== consumer: %s\n' "$*"; }

step "npm pack (prepack builds dist/)"
(cd "$repo" && npm pack --pack-destination "$work" --loglevel warn >/dev/null)
tarball=$(ls "$work"/syncsim-*.tgz)
echo "$tarball"

step "a fresh project: examples/engine-memory with syncsim from the tarball"
mkdir "$work/consumer"
cp -r "$repo/examples/engine-memory/." "$work/consumer/"
rm -rf "$work/consumer/node_modules"
cd "$work/consumer"
npm pkg set "devDependencies.syncsim=file:$tarball"
timeout 600 npm install --no-audit --no-fund --prefer-offline --loglevel warn

step "(a) npx syncsim run, with a built-in engine and with the project's TypeScript engine"
timeout 120 npx syncsim run node_modules/syncsim/scenarios/partition-heal.yaml --out out
timeout 120 npx syncsim run node_modules/syncsim/scenarios/partition-heal.yaml --engine ./src/engine.ts --out out
trace=$(ls out/*/trace.jsonl | head -1)
test -s "$trace"
timeout 120 npx syncsim check "$trace" >/dev/null

step "(b) the project's vitest suite (import from 'syncsim')"
timeout 300 npx vitest run

step "(c) tsc --noEmit over the project with the published types"
timeout 300 npx tsc --noEmit

step "cli.help_ms: node_modules/.bin/syncsim --help, median of 5"
(cd "$repo" && node_modules/.bin/tsx bench/cli-help.ts "$work/consumer/node_modules/.bin/syncsim" reports/bench.json)
echo "consumer: every step passed"
