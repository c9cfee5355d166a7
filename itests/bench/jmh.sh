#!/usr/bin/env bash
# Runs the JMH benchmarks of this module (ListenersBenchmark, AccessLogWriteBenchmark, ...) on the classes the last
# build made; the arguments go to JMH (a benchmark name pattern, -p listeners=all, -prof gc, -h for all of them).
# Build first: mvn -pl itests/bench -am package -DskipTests
set -eu
here=$(cd "$(dirname "$0")" && pwd)
[ -f "$here/target/classpath.txt" ] || { echo "build first: mvn -pl itests/bench -am package -DskipTests" >&2; exit 1; }
exec java -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" org.openjdk.jmh.Main "$@"
