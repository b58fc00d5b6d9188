#!/bin/sh
# The public Java API (javap -public of every io.rtmkit and io.rtmkit.signaling class in the jar,
# the generated io.rtmkit.internal layer excluded) against the committed snapshot api.txt.
# usage: check-api.sh JAR SNAPSHOT [--update]
set -eu
jar=$1 snapshot=$2
javap=${JAVAP:-javap}
jartool=$(dirname "$(command -v "$javap")")/jar
classes=$("$jartool" tf "$jar" | grep -E '^io/rtmkit/(signaling/)?[^/]*\.class$' | sed 's/\.class$//; s#/#.#g' | LC_ALL=C sort)
current=$(mktemp)
trap 'rm -f "$current"' EXIT
# shellcheck disable=SC2086
"$javap" -public -cp "$jar" $classes | grep -v '^Compiled from' > "$current"
if [ "${3:-}" = "--update" ]; then
  cp "$current" "$snapshot"
  echo "updated $snapshot"
  exit 0
fi
if ! diff -u "$snapshot" "$current"; then
  echo "The public Java API changed: review the diff, then run bindings/java/check-api.sh $jar $snapshot --update"
  exit 1
fi
echo "public Java API unchanged ($(grep -c '^public' "$current") types)"
