#!/bin/sh
# cdk.json's app command. Runs the compiled app with plain java, so a synth needs neither Maven
# nor the network; it compiles first (model + cdk, from the repository root) only when the
# classes are missing or older than the sources.
set -eu
cd "$(dirname "$0")"
if [ ! -f target/classpath.txt ] || [ -n "$(find src/main pom.xml ../model/src/main -newer target/classpath.txt -print | head -n 1)" ]; then
  (cd .. && mvn -q -B -pl cdk -am compile) >&2
  touch target/classpath.txt
fi
exec java -cp "target/classes:$(cat target/classpath.txt)" dev.wsfanout.cdk.WsfanoutApp
