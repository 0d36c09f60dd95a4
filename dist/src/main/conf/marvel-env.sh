# Environment of Marvel's bin/ and sbin/ scripts, sourced by them. Every line is optional.

# The JDK (17 or newer). Unset: the java on PATH.
# export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64

# Heap of daemons and clients, e.g. 1g. Unset: the JVM's default.
# export MARVEL_HEAPSIZE=1g

# Where logs, pid files and HDFS/OpenWhisk data of the single-node cluster live.
# export MARVEL_LOG_DIR=$MARVEL_HOME/logs
# export MARVEL_PID_DIR=$MARVEL_HOME/run
# export MARVEL_DATA_DIR=$MARVEL_HOME/data

# Port of the embedded OpenWhisk platform (3233 is standalone OpenWhisk's).
export MARVEL_WHISK_PORT=${MARVEL_WHISK_PORT:-3233}
# Memory of its container pool in MB: the sum of the containers' memory limits (each task action
# takes mapreduce.faas.action.memory-mb, 512 by default).
export MARVEL_WHISK_POOL_MB=${MARVEL_WHISK_POOL_MB:-5120}

# Emulated PMEM on /dev/shm (tmpfs), where libpmem would use msync: this makes it use the
# cache-flush path of real PMEM, the one worth measuring. It has no effect on files of a disk
# file system (the default [NVDIMM] dir in data/), which Marvel always persists with msync so
# that they survive a power cut, nor on a real fsdax mount, which libpmem recognizes itself.
export PMEM_IS_PMEM_FORCE=${PMEM_IS_PMEM_FORCE:-1}
