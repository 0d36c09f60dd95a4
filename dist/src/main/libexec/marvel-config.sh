# Environment and functions shared by Marvel's bin/ and sbin/ scripts. Sourced, never run.
# shellcheck shell=bash

MARVEL_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export MARVEL_HOME
export HADOOP_HOME=${HADOOP_HOME:-$MARVEL_HOME}
export HADOOP_CONF_DIR=${HADOOP_CONF_DIR:-$MARVEL_HOME/etc/hadoop}
if [ -f "$HADOOP_CONF_DIR/marvel-env.sh" ]; then
  # shellcheck source=/dev/null
  . "$HADOOP_CONF_DIR/marvel-env.sh"
fi
export MARVEL_LOG_DIR=${MARVEL_LOG_DIR:-$MARVEL_HOME/logs}
export MARVEL_PID_DIR=${MARVEL_PID_DIR:-$MARVEL_HOME/run}
export MARVEL_DATA_DIR=${MARVEL_DATA_DIR:-$MARVEL_HOME/data}

# shellcheck source=marvel-functions.sh
. "$MARVEL_HOME/libexec/marvel-functions.sh"

marvel_java() {
  if [ -n "${JAVA_HOME:-}" ]; then
    [ -x "$JAVA_HOME/bin/java" ] || marvel_die "JAVA_HOME=$JAVA_HOME has no bin/java; fix JAVA_HOME in $HADOOP_CONF_DIR/marvel-env.sh"
    echo "$JAVA_HOME/bin/java"
  else
    command -v java >/dev/null || marvel_die "java not found: install Java 17 or set JAVA_HOME in $HADOOP_CONF_DIR/marvel-env.sh"
    command -v java
  fi
}

marvel_classpath() {
  local share=$MARVEL_HOME/share/hadoop
  local cp="$HADOOP_CONF_DIR:$share/marvel/*:$share/common/*:$share/common/lib/*:$share/hdfs"
  # The hdfs directory itself holds webapps/, the daemons' web UI.
  cp="$cp:$share/hdfs/*:$share/mapreduce/*"
  if [ -n "${HADOOP_CLASSPATH:-}" ]; then
    cp="$cp:$HADOOP_CLASSPATH"
  fi
  echo "$cp"
}

# Hadoop 3.4 reflects into these JDK packages on Java 17 (the list: libexec/add-opens.args).
MARVEL_ADD_OPENS=("@$MARVEL_HOME/libexec/add-opens.args")

# marvel_run LOGGER OPTS_VAR CLASS ARGS...: runs a Hadoop main class in the foreground.
marvel_run() {
  local logger=$1 opts_var=$2 class=$3
  shift 3
  local java
  java=$(marvel_java)
  # shellcheck disable=SC2086
  exec "$java" ${MARVEL_HEAPSIZE:+-Xmx$MARVEL_HEAPSIZE} "${MARVEL_ADD_OPENS[@]}" \
    -Djava.library.path="$MARVEL_HOME/lib/native" \
    -Dhadoop.home.dir="$MARVEL_HOME" -Dhadoop.log.dir="$MARVEL_LOG_DIR" \
    -Dhadoop.root.logger="$logger" -Dmarvel.data.dir="$MARVEL_DATA_DIR" \
    -Dmarvel.whisk.port="${MARVEL_WHISK_PORT:-3233}" \
    -Dmarvel.task.classlist="$MARVEL_HOME/lib/task-classes.lst" \
    ${HADOOP_OPTS:-} ${!opts_var:-} \
    -cp "$(marvel_classpath)" "$class" "$@"
}

# Runs a client command: logs to the console at the level HADOOP_ROOT_LOGGER says.
marvel_client() {
  marvel_run "${HADOOP_ROOT_LOGGER:-INFO,console}" HADOOP_CLIENT_OPTS "$@"
}

marvel_pidfile() {
  echo "$MARVEL_PID_DIR/marvel-$1.pid"
}

# Prints the pid of a running daemon, or nothing.
marvel_daemon_pid() {
  local pidfile pid
  pidfile=$(marvel_pidfile "$1")
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    echo "$pid"
  fi
}

# marvel_daemon_start NAME COMMAND...: starts COMMAND in its own session, logging to logs/.
marvel_daemon_start() {
  local name=$1
  shift
  local pid
  pid=$(marvel_daemon_pid "$name")
  if [ -n "$pid" ]; then
    echo "$name is already running (pid $pid)"
    return 0
  fi
  mkdir -p "$MARVEL_LOG_DIR" "$MARVEL_PID_DIR"
  HADOOP_ROOT_LOGGER=INFO,RFA HADOOP_OPTS="${HADOOP_OPTS:-} -Dhadoop.log.file=marvel-$name.log" \
    setsid nohup "$@" >"$MARVEL_LOG_DIR/marvel-$name.out" 2>&1 </dev/null &
  echo $! >"$(marvel_pidfile "$name")"
  echo "started $name (pid $!), log in $MARVEL_LOG_DIR/marvel-$name.log"
}

# marvel_daemon_stop NAME: SIGTERM, then SIGKILL to the daemon's whole session after a grace time.
marvel_daemon_stop() {
  local name=$1 pid waited=0
  pid=$(marvel_daemon_pid "$name")
  if [ -z "$pid" ]; then
    rm -f "$(marvel_pidfile "$name")"
    echo "$name is not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && [ $waited -lt "${MARVEL_STOP_TIMEOUT:-30}" ]; do
    sleep 1
    waited=$((waited + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "$name did not stop within ${MARVEL_STOP_TIMEOUT:-30} s: killing it"
  fi
  # The daemon leads its own session: this also ends any child (for example containers) left.
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$(marvel_pidfile "$name")"
  echo "stopped $name"
}

# marvel_wait_for DESCRIPTION SECONDS COMMAND...: polls COMMAND until it succeeds or time is up.
marvel_wait_for() {
  local what=$1 seconds=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      marvel_die "$what did not happen within $seconds s; see the logs in $MARVEL_LOG_DIR"
    fi
    sleep 1
  done
}

# Prints the body of an HTTP GET on this machine (curl when present, else bash's /dev/tcp).
marvel_http_get() {
  local url=$1
  if command -v curl >/dev/null; then
    curl -fsS --max-time 5 "$url"
    return
  fi
  local rest=${url#http://}
  local hostport=${rest%%/*} path=/${rest#*/}
  exec 3<>"/dev/tcp/${hostport%:*}/${hostport#*:}" || return 1
  printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$path" "$hostport" >&3
  sed '1,/^\r\{0,1\}$/d' <&3
  exec 3<&-
}

# Succeeds when the NameNode at its HTTP address counts at least one live DataNode.
marvel_datanode_live() {
  local http=$1
  marvel_http_get "http://$http/jmx?qry=Hadoop:service=NameNode,name=FSNamesystemState" |
    grep -Eq '"NumLiveDataNodes" *: *[1-9]'
}
