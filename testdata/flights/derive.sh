#!/usr/bin/env bash
# Re-derives flights.csv.gz (see Derive.java and ../README.md) from data/flights-3m.parquet of the npm
# package vega-datasets@3.2.1. Needs npm, Java 17 and Maven; builds the project's jar first if needed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/../.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent vega-datasets@3.2.1 >/dev/null && tar xzf vega-datasets-3.2.1.tgz)
parquet="$work/package/data/flights-3m.parquet"
echo "e02e6d99a8c2c0e71e515b1d66403aaf9d3a2172  $parquet" | sha1sum -c --quiet
[ -f "$root/jobs/target/spark-classpath.txt" ] || (cd "$root" && mvn -q -B -DskipTests package)
mapfile -t flags < <(grep -v -e '^#' -e '^$' "$root/conf/java-flags")
java "${flags[@]}" -Dlog4j2.configurationFile="$root/conf/log4j2.xml" \
  -cp "$(cat "$root/jobs/target/spark-classpath.txt")" "$here/Derive.java" "$parquet" "$here/flights.csv.gz"
