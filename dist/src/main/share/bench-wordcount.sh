#!/usr/bin/env bash
# marvel bench [MiB]: wordcount of generated text on the running single-node cluster, with
# framework faas (OpenWhisk activations, PMEM state) and with local (LocalJobRunner, the stock
# single-JVM path), on the same input in the same run. Prints wall times and their ratio.
set -euo pipefail
. "$(dirname "$(readlink -f "$0")")/../../libexec/marvel-config.sh"
bin=$MARVEL_HOME/bin
mib=${1:-64}
export HADOOP_ROOT_LOGGER=WARN,console

"$bin/hdfs" dfs -test -d / 2>/dev/null ||
  marvel_die "HDFS is not reachable: start the cluster with sbin/start-marvel.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"; "$bin/hdfs" dfs -rm -r -f -skipTrash /marvel-bench >/dev/null 2>&1 || true' EXIT
words=(persistent memory serverless function mapreduce hadoop block replica shuffle reduce
  container activation invoker namenode datanode pmem libpmem flush drain region)
awk -v target=$((mib * 1024 * 1024)) -v n=${#words[@]} -v list="${words[*]}" 'BEGIN {
  split(list, w, " "); srand(42); size = 0
  while (size < target) {
    line = ""
    for (i = 0; i < 12; i++) { line = line w[int(rand() * n) + 1] " " }
    print line; size += length(line) + 1
  }
}' >"$work/input.txt"
"$bin/hdfs" dfs -mkdir -p /marvel-bench
"$bin/hdfs" dfs -put "$work/input.txt" /marvel-bench/input.txt

run() {
  local framework=$1 start
  start=$(date +%s%N)
  "$bin/hadoop" jar "$MARVEL_HOME/share/hadoop/mapreduce/hadoop-mapreduce-examples-3.4.2.jar" \
    wordcount -Dmapreduce.framework.name="$framework" /marvel-bench/input.txt \
    "/marvel-bench/out-$framework" >"$work/$framework.log" 2>&1 ||
    { tail -n 20 "$work/$framework.log" >&2; marvel_die "wordcount with $framework failed"; }
  echo $(( ($(date +%s%N) - start) / 1000000 ))
}

faas=$(run faas)
local_ms=$(run local)
"$bin/hdfs" dfs -cat '/marvel-bench/out-faas/part-*' | sort >"$work/faas.out"
"$bin/hdfs" dfs -cat '/marvel-bench/out-local/part-*' | sort >"$work/local.out"
cmp -s "$work/faas.out" "$work/local.out" || marvel_die "faas and local outputs differ"

printf '%-34s %10s\n' "wordcount of $mib MiB" "wall ms"
printf '%-34s %10d\n' "faas (OpenWhisk + PMEM state)" "$faas"
printf '%-34s %10d\n' "local (LocalJobRunner)" "$local_ms"
awk -v f="$faas" -v l="$local_ms" 'BEGIN { printf "%-34s %10.2f\n", "faas / local", f / l }'
echo "outputs identical: yes"
