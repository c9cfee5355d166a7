#!/usr/bin/env bash
# The cost of the request listeners (access log, metrics, console counters) on anonymous 4 KiB GETs from an fs
# bucket: the distribution as shipped ("with") against a copy without the three listener bundles ("without"), run
# alternately ROUNDS times (the order flipped every round) on the same object, each run warmed up first (JIT).
# Prints every run and the medians: req/s (wrk, 32 connections, 1 thread) and the server's CPU time per request
# (its threads but the JIT compiler's).
# Usage: itests/bench/listener-ab.sh DIST_DIR     (DIST_DIR: distribution/target/multistore-server)
#   env ROUNDS=5, DUR=10 (measured seconds per run), WARM=10 (warm-up seconds per run),
#       VARIANTS="only-accesslog only-metrics only-console" (optional): also runs with one listener bundle alone
# Needs: wrk (Debian package), Java, curl, python3.
set -u
dist=$(cd "$1" && pwd)
ROUNDS=${ROUNDS:-5}; DUR=${DUR:-10}; WARM=${WARM:-10}
W=$(mktemp -d "${TMPDIR:-/tmp}/listener-ab.XXXX"); PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$W"' EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
waitport() { for _ in $(seq 1 $(( $2 * 4 ))); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.25; done; return 1; }
# CPU ticks of the server's threads, the JIT compiler's left out: on a busy machine C2 still compiles well after the
# warm-up, and the variant with more code to compile would pay for it in its measured window
cpu_ticks() {
  local t sum=0
  for t in /proc/$1/task/*; do
    case $(cat "$t/comm" 2>/dev/null) in C1\ CompilerThre*|C2\ CompilerThre*) continue;; esac
    sum=$(( sum + $(awk '{print $14 + $15}' "$t/stat" 2>/dev/null || echo 0) ))
  done
  echo $sum
}
# the fs backend keeps its own object format: the object is uploaded through the gateway (curl signs with SigV4)
mkdir -p "$W/data/pub"; head -c 4096 /dev/urandom > "$W/obj4k"
cat > "$W/config.toml" <<C
[[buckets]]
name = "pub"
backend_type = "fs"
anonymous_access = true
[buckets.backend_options]
root = "$W/data/pub"

[[credentials]]
access_key_id = "AKBENCH000000001"
secret_access_key = "benchSecret0000000000000000001"
principal_name = "bench"
created_at = "2026-01-01T00:00:00Z"
[[credentials.allowed_scopes]]
bucket = "pub"
actions = ["put_object", "get_object"]
C
cp -r "$dist" "$W/with"; cp -r "$dist" "$W/without"
rm -f "$W"/without/bundle/io.multistore.{accesslog,metrics,console}-*.jar
# only-NAME: the listener bundle NAME (accesslog, metrics, console) and none of the other two
for v in ${VARIANTS:-}; do
  case $v in only-*) cp -r "$W/without" "$W/$v"; cp "$dist"/bundle/io.multistore.${v#only-}-*.jar "$W/$v/bundle/";; esac
done
hz=$(getconf CLK_TCK)
run() {  # run VARIANT -> "req/s cpu_us_per_request"
  local p a; p=$(port); a=$(port)
  ( cd "$W/$1" && exec bin/multistore-server --config "$W/config.toml" --listen 127.0.0.1:$p \
      --admin-listen 127.0.0.1:$a ) > "$W/$1.log" 2>&1 &
  PID=$!
  fail() { echo "$1: $2" >&2; tail -5 "$W/$1.log" >&2; kill "$PID"; wait "$PID" 2>/dev/null; exit 1; }
  waitport "$p" 60 || fail "$1" "server did not start"
  for _ in $(seq 1 120); do curl -sf -o /dev/null --aws-sigv4 aws:amz:us-east-1:s3 \
      --user AKBENCH000000001:benchSecret0000000000000000001 -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" -T "$W/obj4k" "http://127.0.0.1:$p/pub/obj4k" && break
    sleep 0.25; done
  cmp -s <(curl -sf "http://127.0.0.1:$p/pub/obj4k") "$W/obj4k" || fail "$1" "wrong body"
  wrk -t1 -c32 -d${WARM}s "http://127.0.0.1:$p/pub/obj4k" > /dev/null 2>&1
  local c0 c1 out rps n
  c0=$(cpu_ticks "$PID")
  out=$(wrk -t1 -c32 -d${DUR}s "http://127.0.0.1:$p/pub/obj4k" 2>&1)
  c1=$(cpu_ticks "$PID")
  grep -q "Non-2xx" <<<"$out" && fail "$1" "non-2xx answers: $out"
  rps=$(awk '/Requests\/sec/{print $2}' <<<"$out"); n=$(awk '/requests in/{print $1}' <<<"$out")
  kill "$PID"; wait "$PID" 2>/dev/null; PID=
  python3 -c "print(f'{$rps:.0f} {($c1 - $c0) / $hz * 1e6 / $n:.1f}')"
}
printf '%-6s %-15s %10s %14s\n' round variant "req/s" "CPU us/req"
: > "$W/results"
for r in $(seq 1 "$ROUNDS"); do
  order="without with ${VARIANTS:-}"
  (( r % 2 )) || order=$(tr ' ' '\n' <<<"$order" | grep . | tac | tr '\n' ' ')
  for v in $order; do
    res=$(run "$v") || exit 1
    printf '%-6s %-15s %10s %14s\n' "$r" "$v" $res
    echo "$v $res" >> "$W/results"
  done
done
python3 - "$W/results" <<'P'
import sys, statistics as st
rows = [l.split() for l in open(sys.argv[1])]
m = {v: (st.median(float(r[1]) for r in rows if r[0] == v), st.median(float(r[2]) for r in rows if r[0] == v))
     for v in dict.fromkeys(r[0] for r in rows)}
for v, (rps, cpu) in m.items():
    print(f"median  {v:<8} {rps:10.0f} {cpu:14.1f}")
print(f"listener cost: {100 * (1 - m['with'][0] / m['without'][0]):.1f}% req/s, "
      f"{100 * (m['with'][1] / m['without'][1] - 1):.1f}% CPU per request")
P
