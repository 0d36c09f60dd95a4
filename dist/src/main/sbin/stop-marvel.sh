#!/usr/bin/env bash
# Stops the single-node Marvel cluster started by start-marvel.sh; leaves no process behind.
set -euo pipefail
. "$(dirname "$(readlink -f "$0")")/../libexec/marvel-config.sh"

marvel_daemon_stop whisk
marvel_daemon_stop datanode
marvel_daemon_stop namenode
