# Shared shell functions of Marvel's developer scripts. Source it; do not run it.
# shellcheck shell=bash

MARVEL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export MARVEL_ROOT

# shellcheck source=../../dist/src/main/libexec/marvel-functions.sh
. "$MARVEL_ROOT/dist/src/main/libexec/marvel-functions.sh"

# Installs a Debian package when running as root; otherwise says which command to run.
marvel_apt_install() {
  local packages=("$@")
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "$(basename "$0"): installing ${packages[*]} with apt-get" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null ||
      marvel_die "apt-get install ${packages[*]} failed"
  else
    marvel_die "missing ${packages[*]}: install with 'sudo apt-get install ${packages[*]}'" \
      "(Debian/Ubuntu), then run this again"
  fi
}

# libpmem's headers and library (PMDK), needed to build and run native-pmem.
marvel_need_libpmem() {
  if ! printf '#include <libpmem.h>\n' | cc -E -x c - >/dev/null 2>&1; then
    marvel_apt_install libpmem-dev
  fi
}

marvel_need_toolchain() {
  command -v java >/dev/null || marvel_die "java not found: install a JDK 17 (apt-get install openjdk-17-jdk-headless)"
  command -v mvn >/dev/null || marvel_die "mvn not found: install Maven 3.8+ (apt-get install maven)"
  command -v cc >/dev/null || marvel_apt_install gcc make
  command -v make >/dev/null || marvel_apt_install make
  local version
  version=$(java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')
  [ "${version%%.*}" -ge 17 ] 2>/dev/null || marvel_die "Java 17 or newer is needed, found ${version:-none}"
}

# Builds and installs the given modules (and what they need) unless their jars are already there.
marvel_build() {
  local missing=()
  local module
  for module in "$@"; do
    ls "$MARVEL_ROOT/$module"/target/*.jar >/dev/null 2>&1 || missing+=("$module")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    local list
    list=$(IFS=,; echo "${missing[*]}")
    echo "$(basename "$0"): building $list" >&2
    marvel_mvn install -DskipTests -Dcheckstyle.skip -pl "$list" -am ||
      marvel_die "the build failed; run 'mvn -B install -DskipTests' in $MARVEL_ROOT to see why"
  fi
}

# Prints the classpath of a module's classes, its test classes and its test-scope dependencies,
# cached in the module's target/ until its pom changes.
marvel_module_classpath() {
  local module=$1
  local file="$MARVEL_ROOT/$module/target/marvel.classpath"
  if [ ! -s "$file" ] || [ "$MARVEL_ROOT/$module/pom.xml" -nt "$file" ]; then
    marvel_mvn dependency:build-classpath -pl "$module" -Dmdep.outputFile="$file" \
      -Dmdep.includeScope=test ||
      marvel_die "could not resolve the classpath of $module"
  fi
  echo "$MARVEL_ROOT/$module/target/classes:$MARVEL_ROOT/$module/target/test-classes:$(cat "$file")"
}

# Runs a quiet Maven in the source tree; its output is shown only when it fails.
marvel_mvn() {
  local log
  log=$(mktemp)
  if (cd "$MARVEL_ROOT" && mvn -B -q "$@") >"$log" 2>&1; then
    rm -f "$log"
  else
    grep -v '^\s*at ' "$log" | tail -n 40 >&2
    rm -f "$log"
    return 1
  fi
}
