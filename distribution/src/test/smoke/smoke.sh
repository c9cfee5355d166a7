#!/usr/bin/env bash
# Smoke test of the assembled server: starts bin/multistore-server from an unrelated directory, then checks that
# every bundle is ACTIVE (Web Console bundles.json), the admin port answers 401 without and 200 with credentials,
# the console is not on the S3 port, and the S3 port accepts connections. Stops the server with SIGTERM.
#   distribution/src/test/smoke/smoke.sh [S3_PORT ADMIN_PORT]
set -euo pipefail
dist="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)/target/multistore-server"
s3_port="${1:-18080}"; admin_port="${2:-18081}"
work="$(mktemp -d)"; trap 'kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
cp "$dist/config/config.toml" "$work/config.toml"
cd "$work"
export MULTISTORE_DATA_DIR="$work/data" MULTISTORE_CACHE_DIR="$work/cache"
export MULTISTORE_ADMIN_PASSWORD="smoke-$RANDOM$RANDOM"
"$dist/bin/multistore-server" --config config.toml --listen "127.0.0.1:$s3_port" \
  --admin-listen "127.0.0.1:$admin_port" >"$work/out.log" 2>"$work/err.log" &
pid=$!
for _ in $(seq 1 120); do
  grep -q "listening on" "$work/out.log" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/err.log"; echo "FAIL: server exited"; exit 1; }
  sleep 0.5
done
cat "$work/out.log"
fail=0
check() { if [ "$2" = "$3" ]; then echo "ok   $1 ($3)"; else echo "FAIL $1: expected $2, got $3"; fail=1; fi; }
console="http://127.0.0.1:$admin_port/system/console"
check "admin without credentials" 401 "$(curl -s -o /dev/null -w '%{http_code}' "$console/bundles.json")"
check "admin with admin/admin" 401 "$(curl -s -o /dev/null -w '%{http_code}' -u admin:admin "$console/bundles.json")"
check "admin with credentials" 200 "$(curl -s -o "$work/bundles.json" -w '%{http_code}' -u "admin:$MULTISTORE_ADMIN_PASSWORD" "$console/bundles.json")"
check "console not on the S3 port" 1 "$(curl -s -o /dev/null -w '%{http_code}' -u "admin:$MULTISTORE_ADMIN_PASSWORD" "http://127.0.0.1:$s3_port/system/console/bundles.json" | grep -vc '^200$')"
check "S3 port accepts connections" 0 "$(curl -s -o /dev/null "http://127.0.0.1:$s3_port/"; echo $?)"
inactive="$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["status"]); [print("  not active:", b["symbolicName"], b["state"]) for b in d["data"] if b["state"] not in ("Active", "Fragment")]' "$work/bundles.json")"
echo "$inactive"
check "every bundle active" 0 "$(grep -c 'not active' <<<"$inactive" || true)"
grep -E "ERROR|Exception" "$work/err.log" && { echo "FAIL: errors in the log"; fail=1; }
kill -TERM "$pid"; wait "$pid" || true
check "stopped by SIGTERM" 1 "$(kill -0 "$pid" 2>/dev/null; echo $?)"
exit "$fail"
