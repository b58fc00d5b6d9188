#!/usr/bin/env bash
# The export check of librtmkit (ctest capi_exports):
#  1. `nm -D --defined-only` shows rtm_* functions and the version nodes of rtmkit.map, nothing else
#     (no Boost, OpenSSL, SQLite or std:: symbol leaks from the statically linked core);
#  2. the exported functions, the functions declared in the public headers, the functions the symbol
#     test references, and capi/symbols-in-versions.txt are the same set;
#  3. every public function is called by the C tests (unit.c, e2e.c, signaling.c);
#  4. no double-underscore (private) name is exported; the library has the expected SONAME and can
#     be dlopen'ed by any runtime (no static TLS, no text relocations).
# usage: check_exports.sh LIB SOURCE_DIR
set -euo pipefail
lib=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

nm -D --defined-only "$lib" >"$tmp/nm"
# Version nodes show as absolute symbols named after rtmkit.map's nodes.
grep -oE '^RTMKIT_[0-9.]+' "$src/capi/rtmkit.map" | sort -u >"$tmp/nodes"
awk '{print $3}' "$tmp/nm" | sed 's/@.*//' | sort -u >"$tmp/all"
grep -vxF -f "$tmp/nodes" "$tmp/all" | grep -v '^rtm_' >"$tmp/foreign" || true
if [ -s "$tmp/foreign" ]; then
  echo "FAIL: librtmkit exports symbols that are not rtm_*:"
  head -50 "$tmp/foreign"
  fail=1
fi
awk '$2 != "A" {print $3}' "$tmp/nm" | sed 's/@.*//' | grep '^rtm_' | sort -u >"$tmp/exported"
if grep -q '^rtm_[a-z0-9]*__' "$tmp/exported"; then
  echo "FAIL: private (double underscore) names are exported:"; grep '^rtm_[a-z0-9]*__' "$tmp/exported"; fail=1
fi
# Every exported symbol must carry a version from rtmkit.map.
if awk '$2 != "A"' "$tmp/nm" | grep -v '@@RTMKIT_' | grep -q .; then
  echo "FAIL: unversioned exports:"; awk '$2 != "A"' "$tmp/nm" | grep -v '@@RTMKIT_'; fail=1
fi

cat "$src"/capi/include/rtmkit/*.h \
  | tr '\n' ' ' | grep -oE 'RTM_CALL +\**rtm_[a-z0-9_]+ *\(' | sed -E 's/RTM_CALL +\**//; s/ *\(//' \
  | sort -u >"$tmp/declared"
sed -n '/BEGIN SYMBOLS/,/END SYMBOLS/p' "$src/tests/capi/symbols.c" | grep -oE 'F\(rtm_[a-z0-9_]+\)' \
  | sed -E 's/F\((.*)\)/\1/' | sort -u >"$tmp/referenced"
grep -v '^#' "$src/capi/symbols-in-versions.txt" | awk 'NF {print $1}' | sort -u >"$tmp/versions"

compare() {
  if ! diff -u "$tmp/$1" "$tmp/$2" >"$tmp/diff"; then
    echo "FAIL: $1 and $2 differ ('-' only in $1, '+' only in $2):"
    grep -E '^[-+]rtm' "$tmp/diff" || true
    fail=1
  fi
}
compare declared exported
compare declared referenced
compare declared versions

# Every public function is exercised by the C tests.
for f in $(cat "$tmp/declared"); do
  grep -qw "$f" "$src/tests/capi/unit.c" "$src/tests/capi/e2e.c" "$src/tests/capi/testutil.h" "$src/tests/capi/signaling.c" \
    || { echo "FAIL: no C test calls $f"; fail=1; }
done

# Loadable with dlopen anywhere (JNI, .NET, Python): no static TLS, no text relocations.
if readelf -d "$lib" | grep -qE 'STATIC_TLS|TEXTREL'; then
  echo "FAIL: the library needs static TLS or text relocations:"; readelf -d "$lib" | grep -E 'FLAGS|TEXTREL'; fail=1
fi

soname=$(readelf -d "$lib" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
case "$soname" in
  librtmkit.so.[0-9]*) ;;
  *) echo "FAIL: unexpected SONAME '$soname'"; fail=1 ;;
esac

n=$(wc -l <"$tmp/exported")
if [ "$fail" = 0 ]; then
  echo "capi_exports: $n rtm_* functions exported, all declared, referenced, tested and versioned; SONAME $soname; nothing else exported"
fi
exit "$fail"
