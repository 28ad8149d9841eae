# Shared by bin/lab-cli and bin/producer-cli: builds the module when its build output is missing
# or older than the sources, then runs its main class from the module's own jar, named exactly by
# the build (target/main-jar.txt, never another artifact of the module: its test kit, sources or
# job jar), with the class path and JVM flags that the build wrote (target/classpath.txt,
# target/jvm-flags.txt). Sourced, not run.
#
# STREAMLAB_SPARK_LINE picks the Spark line: 3.5 (the default; Spark 3.5, Scala 2.12, built into
# MODULE/target) or 4.2 (Spark 4.2, Scala 2.13: Maven's profile spark-4.2, built into
# MODULE/target/spark-4.2_2.13). Each line has its own build, so the two never mix.
#
# classpath.txt is written at every `package`, so it dates the last build. STREAMLAB_NO_BUILD=1 (any
# value but 0) makes a missing or stale build an error instead of a build: the tests that run the
# launchers set it, so that no test ever starts a Maven build of its own.
#
# When the calling script sets LAUNCH_TRAINING (the arguments of a short run), the first launch
# after a build makes that run once with -XX:ArchiveClassesAtExit: a class-data archive (JDK CDS)
# of the classes it loaded, target/MODULE.jsa, which every later launch maps instead of loading and
# verifying those classes again (a run of the variance job starts about 1.4x sooner). A build, by
# this script or by mvn, makes it stale: it is then recorded again; one that does not match the
# class path anyway is ignored, silently. -Xshare:off in JAVA_OPTS does without it.

# launch MODULE MAIN_CLASS [ARGS...]
launch() {
  local module=$1 main=$2
  shift 2
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  local target="$root/$module/target" profile=()
  case "${STREAMLAB_SPARK_LINE:-3.5}" in
    3.5) ;;
    4.2) target="$target/spark-4.2_2.13" profile=(-P spark-4.2) ;;
    *)
      echo "$module: STREAMLAB_SPARK_LINE is '${STREAMLAB_SPARK_LINE}': give 3.5 (the default) or 4.2" >&2
      exit 2
      ;;
  esac
  local stamp="$target/classpath.txt"
  local main_jar="$target/main-jar.txt"

  local reason="" sources=()
  if [[ -f "$stamp" ]]; then
    mapfile -t sources < <(module_dirs "$root" "$module" "$stamp")
  fi
  if [[ ! -f "$stamp" || ! -f "$main_jar" || ! -f "$target/jvm-flags.txt" ]]; then
    reason="first run: building $module"
  elif [[ ! -f "$target/$(<"$main_jar")" ]]; then
    reason="its jar is missing: building $module"
  elif [[ -n "$(find "$root/pom.xml" "${sources[@]}" \
        -path '*/target' -prune -o \
        \( -path '*/src/main/*' -o -name pom.xml -o -path '*/src/launcher/*' \) \
        -newer "$stamp" -print -quit)" ]]; then
    reason="sources changed: rebuilding $module"
  fi
  if [[ -n "$reason" && "${STREAMLAB_NO_BUILD:-0}" != 0 ]]; then
    echo "$module: ${reason%%:*}, and STREAMLAB_NO_BUILD is set: build it with 'mvn -B package -DskipTests${profile[*]:+ ${profile[*]}}' (or unset STREAMLAB_NO_BUILD)" >&2
    exit 1
  fi
  if [[ -n "$reason" ]]; then
    command -v mvn >/dev/null || { echo "$module: Maven (mvn) is needed to build; install it and retry" >&2; exit 1; }
    echo "$module: $reason (tests skipped, a few minutes the first time: Maven downloads about 390 MB)..." >&2
    local log="$root/target/launcher-build.log"
    mkdir -p "$root/target"
    if ! (cd "$root" && mvn -B -Dstyle.color=never -DskipTests "${profile[@]}" -pl "$module" -am package 2>&1) \
        | build_progress "$module" "$log"; then
      echo "$module: the build failed; see $log" >&2
      exit 1
    fi
    touch "$stamp"
    rm -f "$target/$module.jsa"
  fi

  local jar="$target/$(<"$main_jar")"
  local flags
  read -r -a flags <"$target/jvm-flags.txt"
  local classpath="$jar:$(<"$stamp")"
  local archive="$target/$module.jsa"
  if [[ -f "$archive" ]] && archive_is_stale "$archive" "$classpath"; then
    rm -f "$archive" # a jar of its class path was built since (by mvn, say): the JVM would ignore it
  fi
  if [[ -n "${LAUNCH_TRAINING:-}" && ! -f "$archive" ]]; then
    echo "$module: recording the classes a run loads, once per build, for a faster start..." >&2
    local training
    read -r -a training <<<"$LAUNCH_TRAINING"
    # shellcheck disable=SC2064 # expanded now: a Ctrl-C during training leaves no partial archive
    trap "rm -f $(printf %q "$archive.$$")" EXIT
    # shellcheck disable=SC2086
    if java ${JAVA_OPTS:-} "${flags[@]}" "-XX:ArchiveClassesAtExit=$archive.$$" "-Xlog:cds*=off" \
        -cp "$classpath" "$main" "${training[@]}" >/dev/null 2>&1 && [[ -f "$archive.$$" ]]; then
      mv -f "$archive.$$" "$archive"
    else
      rm -f "$archive.$$"
      echo "$module: could not record them; starting without" >&2
    fi
    trap - EXIT
  fi
  local share=()
  if [[ -f "$archive" ]]; then
    share=("-XX:SharedArchiveFile=$archive" "-Xlog:cds*=off")
  fi
  # JAVA_OPTS adds JVM options (for example -Xmx2g); it is split on spaces.
  # shellcheck disable=SC2086
  exec java "${share[@]}" ${JAVA_OPTS:-} "${flags[@]}" -cp "$classpath" "$main" "$@"
}

# module_dirs ROOT MODULE CLASSPATH_FILE: the directories of MODULE and of the project's modules
# it runs on (those whose jar its class path names), whose sources make its build stale; another
# module's (a source formatted by the build of a module built after it, say) do not.
module_dirs() {
  local root=$1 module=$2 classpath_file=$3 dir name
  echo "$root/$module"
  for dir in "$root"/*/; do
    name=$(basename "$dir")
    if [[ "$name" != "$module" && -f "$dir/pom.xml" ]] \
        && grep -q -F -e "$root/$name/target/" -e "/dev/streamlab/$name/" "$classpath_file"; then
      echo "$root/$name"
    fi
  done
}

# archive_is_stale ARCHIVE CLASSPATH: whether a jar of the class path is newer than the archive.
archive_is_stale() {
  local entry entries
  IFS=: read -r -a entries <<<"$2"
  for entry in "${entries[@]}"; do
    [[ "$entry" -nt "$1" ]] && return 0
  done
  return 1
}

# build_progress MODULE LOG: Maven's output on standard input, written to LOG without colour codes;
# a line on standard error per module built and per 100 files downloaded, so a first build that
# downloads for minutes is seen to work.
build_progress() {
  awk -v module="$1" -v logfile="$2" '
    { gsub(/\033\[[0-9;]*m/, ""); print > logfile }
    /^\[INFO\] Downloaded from / {
      if (++downloaded % 100 == 0) { printf "%s:   %d files downloaded\n", module, downloaded > "/dev/stderr"; fflush("/dev/stderr") }
    }
    /^\[INFO\] Building .*\[[0-9]+\/[0-9]+\]$/ {
      name = $3; step = $NF
      printf "%s:   building %s %s\n", module, name, step > "/dev/stderr"; fflush("/dev/stderr")
    }
    END { if (downloaded % 100 != 0) printf "%s:   %d files downloaded\n", module, downloaded > "/dev/stderr" }
  '
}
