#!/usr/bin/env bash
# Starts a single-node Marvel cluster as background daemons: the NameNode, one PMEM DataNode and
# the embedded OpenWhisk platform. Pid files go to run/, logs to logs/. Starting a running
# cluster is harmless: what runs is left alone.
set -euo pipefail
. "$(dirname "$(readlink -f "$0")")/../libexec/marvel-config.sh"
bin=$MARVEL_HOME/bin

mkdir -p "$MARVEL_DATA_DIR" "$MARVEL_LOG_DIR" "$MARVEL_PID_DIR"

# The platform first: on its first start it generates the key that mapred-site.xml points at.
whisk_was_running=$(marvel_daemon_pid whisk)
marvel_daemon_start whisk "$bin/marvel" whisk run
marvel_wait_for "the OpenWhisk platform starting" 60 "$bin/marvel" whisk status
if ! "$bin/marvel" check --config-only; then
  [ -n "$whisk_was_running" ] || marvel_daemon_stop whisk >/dev/null
  marvel_die "not starting: fix what marvel check reported above"
fi

name_dir=$("$bin/hdfs" getconf -confKey dfs.namenode.name.dir 2>/dev/null | sed 's|^file://||')
if [ ! -f "$name_dir/current/VERSION" ]; then
  echo "formatting a new HDFS namespace in $name_dir"
  HADOOP_ROOT_LOGGER=WARN,console "$bin/hdfs" namenode -format -nonInteractive >/dev/null ||
    marvel_die "formatting the NameNode failed"
  formatted=yes
fi

marvel_daemon_start namenode "$bin/hdfs" namenode
marvel_daemon_start datanode "$bin/hdfs" datanode

export HADOOP_ROOT_LOGGER=WARN,console
nn_http=$("$bin/hdfs" getconf -confKey dfs.namenode.http-address 2>/dev/null)
marvel_wait_for "the DataNode registering with the NameNode" 120 marvel_datanode_live "$nn_http"
# After a restart the NameNode stays in safe mode until the DataNode has reported its blocks.
timeout 120 "$bin/hdfs" dfsadmin -safemode wait >/dev/null ||
  marvel_die "the NameNode did not leave safe mode within 120 s; see $MARVEL_LOG_DIR"
if [ "${formatted:-}" = yes ]; then
  # New files go to PMEM: ALL_NVDIMM places every replica on an [NVDIMM] volume.
  "$bin/hdfs" storagepolicies -setStoragePolicy -path / -policy ALL_NVDIMM >/dev/null
fi
echo "Marvel is running: HDFS at $("$bin/hdfs" getconf -confKey fs.defaultFS 2>/dev/null)," \
  "OpenWhisk at $("$bin/marvel" whisk status 2>/dev/null | sed -n 's/^apihost=//p')"
