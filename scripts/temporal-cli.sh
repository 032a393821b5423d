#!/usr/bin/env bash
# Prints the path of the Temporal CLI (dev server + Web UI), building it when missing:
# `temporal` on PATH, else .tools/bin/temporal, else `go install` of the official CLI into
# .tools/bin (no binary is ever downloaded at run time). Run by setup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

version=v1.5.1 # the newest release whose go.mod has no `replace` (go install pkg@version needs that)
local_bin="$PWD/.tools/bin/temporal"

if [ -n "${TEMPORAL_CLI:-}" ] && [ -x "$TEMPORAL_CLI" ]; then echo "$TEMPORAL_CLI"; exit 0; fi
if [ -x "$local_bin" ]; then echo "$local_bin"; exit 0; fi
if command -v temporal >/dev/null 2>&1; then command -v temporal; exit 0; fi

go_bin=$(command -v go || true)
[ -n "$go_bin" ] || [ ! -x /usr/local/go/bin/go ] || go_bin=/usr/local/go/bin/go
if [ -z "$go_bin" ]; then
  cat >&2 <<MSG
switchboard: the Temporal CLI is needed (it runs the workflow dev server) and was not found.
  Either put a \`temporal\` binary on PATH (https://github.com/temporalio/cli/releases),
  or install Go >= 1.23 and run this again: it builds the CLI into .tools/bin.
MSG
  exit 1
fi

echo "==> building the Temporal CLI $version with Go into .tools/bin (once, a few minutes)" >&2
mkdir -p .tools/bin
GOBIN="$PWD/.tools/bin" "$go_bin" install "github.com/temporalio/cli/cmd/temporal@$version" >&2
echo "$local_bin"
