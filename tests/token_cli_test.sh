#!/usr/bin/env bash
# The token command lines: rtm-token and `rtmd token` mint tokens that rtm-token verify accepts, for
# every kind; bad input exits 2 without printing the certificate.
# usage: token_cli_test.sh RTM_TOKEN RTMD
set -uo pipefail
tool=$1
rtmd=$2
app=970CA35de60c44645bbae8a215061b33
cert=5CFd2fd1755d40ecb72977518be15d3e
fails=0
check() {  # check NAME EXPECTED_EXIT COMMAND...
  local name=$1 want=$2; shift 2
  local out rc
  out=$("$@" 2>&1); rc=$?
  if [ "$rc" != "$want" ]; then echo "FAIL $name: exit $rc, wanted $want: $out"; fails=$((fails+1)); fi
  if grep -q "$cert" <<<"$out"; then echo "FAIL $name: the certificate was printed"; fails=$((fails+1)); fi
}
for kind in 007 006 sig; do
  t=$("$tool" "$kind" --app-id "$app" --app-cert "$cert" --user alice) || { echo "FAIL mint $kind"; fails=$((fails+1)); }
  check "verify $kind" 0 "$tool" verify --app-id "$app" --app-cert "$cert" --user alice "$t"
  check "verify $kind, other user" 4 "$tool" verify --app-id "$app" --app-cert "$cert" --user bob "$t"
  t2=$("$rtmd" token "$kind" --app-id "$app" --app-cert "$cert" --user alice) || { echo "FAIL rtmd token $kind"; fails=$((fails+1)); }
  check "verify rtmd's $kind" 0 "$tool" verify --app-id "$app" --app-cert "$cert" --user alice "$t2"
done
case $("$tool" sig --app-id "$app" --app-cert "$cert" --user alice) in
  "1:$app:"*) ;;
  *) echo "FAIL sig token form"; fails=$((fails+1)) ;;
esac
t=$(RTM_APP_CERT=$cert "$tool" sig --app-id "$app" --user alice --expire 5)
check "sig expired" 3 "$tool" verify --app-id "$app" --app-cert "$cert" --user alice --now 4000000000 "$t"
last=${t: -1}
if [ "$last" = 0 ]; then flip=1; else flip=0; fi   # a digest that differs in its last character
check "sig bad digest" 4 "$tool" verify --app-id "$app" --app-cert "$cert" --user alice "${t%?}$flip"
check "unknown kind" 2 "$tool" 008 --app-id "$app" --app-cert "$cert" --user alice
check "missing user" 2 "$tool" sig --app-id "$app" --app-cert "$cert"
check "bad expire" 2 "$tool" sig --app-id "$app" --app-cert "$cert" --user alice --expire soon
check "rtmd unknown kind" 1 "$rtmd" token 008 --app-id "$app" --app-cert "$cert" --user alice
[ "$fails" = 0 ] && echo "token CLI: ok" || { echo "token CLI: $fails failure(s)"; exit 1; }
