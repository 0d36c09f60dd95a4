# Shell functions shared by the tarball's scripts (through marvel-config.sh) and the source
# tree's developer scripts (through dev-support/bin/lib.sh). Sourced, never run; defines
# functions only.
# shellcheck shell=bash

marvel_die() {
  echo "$(basename "$0"): $*" >&2
  exit 1
}
