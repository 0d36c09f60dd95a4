#!/usr/bin/env bash
# Starts a single-node Marvel cluster as background daemons: the NameNode, one PMEM DataNode and
# the embedded OpenWhisk platform. Pid files go to run/, logs to logs/. Starting a running
# cluster is harmless: what runs is left alone.
set -euo pipefail
. "$(dirname "$(readlink -f "$0")")/../libexec/marvel-config.sh"
bin=$MARVEL_HOME/bin

mkdir -p "$MARVEL_DATA_DIR" "$MARVEL_LOG_DIR" "$MARVEL_PID_DIR"

# A start that fails stops the daemons it started itself; daemons that already ran stay.
started=()
stop_what_this_start_started() {
  local status=$? name
  if [ $status -ne 0 ]; then
    for name in "${started[@]}"; do
      marvel_daemon_stop "$name" >/dev/null
    done
  fi
  exit $status
}
trap stop_what_this_start_started EXIT
start_daemon() {
  [ -n "$(marvel_daemon_pid "$1")" ] || started+=("$1")
  marvel_daemon_start "$@"
}

# The platform first: on its first start it generates the key that mapred-site.xml points at.
start_daemon whisk "$bin/marvel" whisk run
marvel_wait_for "the OpenWhisk platform starting" 60 "$bin/marvel" whisk status
"$bin/marvel" check --config-only ||
  marvel_die "not starting: fix what marvel check reported above"

name_dir=$("$bin/hdfs" getconf -confKey dfs.namenode.name.dir 2>/dev/null | sed 's|^file://||')
if [ -f "$name_dir/current/VERSION" ]; then
  # A formatted namespace whose DataNode dir is gone lost that dir's blocks (a RAM file system
  # emptied by a reboot, a disk not mounted): say so now, not after a long wait for safe mode.
  data_dirs=$("$bin/hdfs" getconf -confKey dfs.datanode.data.dir 2>/dev/null)
  for location in ${data_dirs//,/ }; do
    dir=$(printf '%s' "$location" | sed -e 's|^\[[A-Za-z_]*\]||' -e 's|^file://||')
    [ -d "$dir" ] || marvel_die "the DataNode data dir $dir ($location in dfs.datanode.data.dir)" \
      "is gone, and with it the blocks it held: this HDFS was formatted and used before. If" \
      "it was on a RAM file system such as /dev/shm, a reboot emptied it. Restore the dir" \
      "(a fsdax or disk that is not mounted?), or remove it from dfs.datanode.data.dir in" \
      "$HADOOP_CONF_DIR/hdfs-site.xml and accept the loss (hdfs fsck / lists the files hit)," \
      "or start a new, empty HDFS by removing $name_dir. Nothing was started."
  done
else
  echo "formatting a new HDFS namespace in $name_dir"
  HADOOP_ROOT_LOGGER=WARN,console "$bin/hdfs" namenode -format -nonInteractive >/dev/null ||
    marvel_die "formatting the NameNode failed"
  formatted=yes
fi

start_daemon namenode "$bin/hdfs" namenode
start_daemon datanode "$bin/hdfs" datanode

export HADOOP_ROOT_LOGGER=WARN,console
nn_http=$("$bin/hdfs" getconf -confKey dfs.namenode.http-address 2>/dev/null)
marvel_wait_for "the DataNode registering with the NameNode" 120 marvel_datanode_live "$nn_http"
# After a restart the NameNode stays in safe mode until the DataNode has reported its blocks.
timeout 120 "$bin/hdfs" dfsadmin -safemode wait >/dev/null ||
  marvel_die "the NameNode did not leave safe mode within 120 s: the DataNode did not report" \
    "enough of the blocks the namespace holds (lost or unreadable data dirs?). See" \
    "$MARVEL_LOG_DIR/marvel-datanode.log and $MARVEL_LOG_DIR/marvel-namenode.log"
if [ "${formatted:-}" = yes ]; then
  # New files go to PMEM: ALL_NVDIMM places every replica on an [NVDIMM] volume.
  "$bin/hdfs" storagepolicies -setStoragePolicy -path / -policy ALL_NVDIMM >/dev/null
fi
echo "Marvel is running: HDFS at $("$bin/hdfs" getconf -confKey fs.defaultFS 2>/dev/null)," \
  "OpenWhisk at $("$bin/marvel" whisk status 2>/dev/null | sed -n 's/^apihost=//p')"
