#!/bin/sh
# cdk.json's app command. Runs the compiled app with plain java, so a synth needs neither Maven
# nor the network; it compiles first (model + cdk, from the repository root) only when the
# classes are missing, older than the sources, or their classpath names files that are gone.
set -eu
cd "$(dirname "$0")"

needs_build() {
  [ -f target/classpath.txt ] && [ -d target/classes ] || return 0
  [ -z "$(find src/main pom.xml ../model/src/main -newer target/classpath.txt -print | head -n 1)" ] || return 0
  for entry in $(tr ':' ' ' < target/classpath.txt); do
    [ -e "$entry" ] || return 0
  done
  return 1
}

if needs_build; then
  (cd .. && mvn -q -B -pl cdk -am compile) >&2
  touch target/classpath.txt
fi
exec java -cp "target/classes:$(cat target/classpath.txt)" dev.wsfanout.cdk.WsfanoutApp
