#!/usr/bin/env bash
# The cost of the request listeners (access log, metrics, console counters) on anonymous 4 KiB GETs from an fs
# bucket, measured inside one running server: between runs the listener bundles are stopped and started again
# through the Web Console, so both variants share one JVM, one JIT and one heap. (Two separate JVMs of the same build
# differ by 10-25 % from launch to launch on a 2-core machine, more than the cost being measured.) Each run is
# warmed up first; the order flips every round; LAUNCHES servers are started one after the other.
# Prints every run, the medians of req/s (wrk, 32 connections, 1 thread) and of the server's CPU time per request
# (its threads but the JIT compiler's), and the median of the per-round cost (with against the without of its round).
# With two CPUs or more the server runs on one CPU and wrk on another (taskset): left to the scheduler they compete
# for the same cores and the server's CPU time per request varies with how.
# Usage: itests/bench/listener-ab.sh DIST_DIR     (DIST_DIR: distribution/target/multistore-server)
#   env ROUNDS=4 (pairs per server), LAUNCHES=2, DUR=10 (measured seconds per run), WARM=15 (warm-up seconds per
#       run), START_WARM=45 (warm-up after start), PIN=0 (no pinning),
#       BUNDLES="io.multistore.accesslog io.multistore.metrics io.multistore.console" (the bundles toggled; name one
#       to measure that listener alone), OUT=file: where the server's standard output (the access log) and error go:
#       file (a file in the work directory, emptied before each measured run), pipe (read by cat on wrk's CPU, as a
#       container runtime or log shipper reads it) or null (/dev/null)
# Needs: wrk (Debian package), Java, curl, python3, taskset (util-linux).
set -u
dist=$(cd "$1" && pwd)
ROUNDS=${ROUNDS:-4}; LAUNCHES=${LAUNCHES:-2}; DUR=${DUR:-10}; WARM=${WARM:-15}; START_WARM=${START_WARM:-45}
BUNDLES=${BUNDLES:-io.multistore.accesslog io.multistore.metrics io.multistore.console}
server_cpu=(); wrk_cpu=()
if [ "${PIN:-1}" != 0 ] && [ "$(nproc)" -ge 2 ] && command -v taskset > /dev/null; then
  server_cpu=(taskset -c "$(( $(nproc) - 1 ))"); wrk_cpu=(taskset -c 0)
fi
W=$(mktemp -d "${TMPDIR:-/tmp}/listener-ab.XXXX"); PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$W"' EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
waitport() { for _ in $(seq 1 $(( $2 * 4 ))); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.25; done; return 1; }
fail() { echo "$1" >&2; [ -f "$W/server.log" ] && grep -v '^{' "$W/server.log" | tail -5 >&2; exit 1; }
OUT=${OUT:-file}
case $OUT in
  file) out=("$W/server.log");;
  null) out=(/dev/null);;
  pipe) mkfifo "$W/server.pipe"; out=("$W/server.pipe");;
  *) fail "OUT must be file, pipe or null";;
esac
# CPU ticks of the server process (threads that ended during the run included: Jetty retires idle threads) but the
# JIT compiler's: C2 still compiles well after the warm-up, and a variant that runs more code would pay for its
# compilations in its measured window (the server runs with a fixed number of compiler threads, so none ends unseen)
ticks() {  # utime + stime of a stat file; the fields are counted after the command name, which may hold spaces
  sed 's/^.*) //' "$1" 2>/dev/null | awk '{print $12 + $13}' || echo 0
}
cpu_ticks() {
  local t jit=0
  for t in /proc/$1/task/*; do
    case $(cat "$t/comm" 2>/dev/null) in
      C1\ CompilerThre*|C2\ CompilerThre*) jit=$(( jit + $(ticks "$t/stat") ));;
    esac
  done
  echo $(( $(ticks "/proc/$1/stat") - jit ))
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
hz=$(getconf CLK_TCK)
# set BUNDLES to active or resolved through the Web Console, and check that they got there
toggle() {  # toggle start|stop
  local b state want
  want=$([ "$1" = start ] && echo Active || echo Resolved)
  for b in $BUNDLES; do
    curl -sf -o /dev/null -u admin:bench-console -d action="$1" "http://127.0.0.1:$A/system/console/bundles/$b" \
      || fail "could not $1 $b"
    state=$(curl -sf -u admin:bench-console "http://127.0.0.1:$A/system/console/bundles/$b.json" \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["state"])')
    [ "$state" = "$want" ] || fail "$b is $state after $1"
  done
}
measure() {  # measure -> "req/s cpu_us_per_request"
  local c0 c1 out rps n
  "${wrk_cpu[@]}" wrk -t1 -c32 -d${WARM}s "http://127.0.0.1:$P/pub/obj4k" > /dev/null 2>&1
  [ "$OUT" = file ] && : > "$W/server.log" # the access log's lines: opened for appending, so it can be emptied
  c0=$(cpu_ticks "$PID")
  out=$("${wrk_cpu[@]}" wrk -t1 -c32 -d${DUR}s "http://127.0.0.1:$P/pub/obj4k" 2>&1)
  c1=$(cpu_ticks "$PID")
  grep -q "Non-2xx" <<<"$out" && fail "non-2xx answers: $out"
  rps=$(awk '/Requests\/sec/{print $2}' <<<"$out"); n=$(awk '/requests in/{print $1}' <<<"$out")
  python3 -c "print(f'{$rps:.0f} {($c1 - $c0) / $hz * 1e6 / $n:.1f}')"
}
printf '%-7s %-6s %-8s %10s %14s\n' server round variant "req/s" "CPU us/req"
: > "$W/results"
for l in $(seq 1 "$LAUNCHES"); do
  P=$(port); A=$(port)
  [ "$OUT" = pipe ] && { "${wrk_cpu[@]}" cat "$W/server.pipe" > /dev/null & }
  ( cd "$W" && cp -r "$dist" "$W/server" && cd "$W/server" && MULTISTORE_ADMIN_PASSWORD=bench-console \
      JAVA_OPTS="${JAVA_OPTS:-} -XX:-UseDynamicNumberOfCompilerThreads" \
      exec "${server_cpu[@]}" bin/multistore-server --config "$W/config.toml" --listen 127.0.0.1:$P \
      --admin-listen 127.0.0.1:$A ) >> "${out[0]}" 2>&1 &
  PID=$!
  waitport "$P" 60 || fail "the server did not start"
  for _ in $(seq 1 120); do curl -sf -o /dev/null --aws-sigv4 aws:amz:us-east-1:s3 \
      --user AKBENCH000000001:benchSecret0000000000000000001 -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
      -T "$W/obj4k" "http://127.0.0.1:$P/pub/obj4k" && break
    sleep 0.25; done
  cmp -s <(curl -sf "http://127.0.0.1:$P/pub/obj4k") "$W/obj4k" || fail "wrong body"
  waitport "$A" 30 || fail "no admin port"
  # the java process itself (the script's subshell execs it, taskset execs it too)
  PID=$(pgrep -f -- "--listen 127.0.0.1:$P" | head -1)
  "${wrk_cpu[@]}" wrk -t1 -c32 -d${START_WARM}s "http://127.0.0.1:$P/pub/obj4k" > /dev/null 2>&1
  state=with
  for r in $(seq 1 "$ROUNDS"); do
    order="with without"; (( r % 2 )) || order="without with"
    for v in $order; do
      if [ "$v" != "$state" ]; then
        if [ "$v" = with ]; then toggle start; else toggle stop; fi
        state=$v
      fi
      res=$(measure) || exit 1
      printf '%-7s %-6s %-8s %10s %14s\n' "$l" "$r" "$v" $res
      echo "$l.$r $v $res" >> "$W/results"
    done
  done
  kill "$PID"; wait 2>/dev/null; PID=; rm -rf "$W/server"
done
python3 - "$W/results" <<'P'
import sys, statistics as st
rows = [l.split() for l in open(sys.argv[1])]
med = {v: (st.median(float(r[2]) for r in rows if r[1] == v), st.median(float(r[3]) for r in rows if r[1] == v))
       for v in ("without", "with")}
for v, (rps, cpu) in med.items():
    print(f"median  {v:<8} {rps:10.0f} {cpu:14.1f}")
pairs = {}
for k, v, rps, cpu in rows:
    pairs.setdefault(k, {})[v] = (float(rps), float(cpu))
rps_cost = [100 * (1 - p["with"][0] / p["without"][0]) for p in pairs.values()]
cpu_cost = [100 * (p["with"][1] / p["without"][1] - 1) for p in pairs.values()]
print(f"listener cost, median of {len(pairs)} rounds: {st.median(rps_cost):.1f}% req/s, "
      f"{st.median(cpu_cost):.1f}% CPU per request (rounds: {', '.join(f'{c:.1f}' for c in cpu_cost)})")
P
