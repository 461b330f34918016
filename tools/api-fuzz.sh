#!/usr/bin/env bash
# Property-based API fuzzing with schemathesis over the OpenAPI document the server serves:
# api-fuzz.sh DB ROLE, DB `sqlite` or `postgres`, ROLE `admin` or `producer`. All phases
# (examples, coverage, fuzzing, stateful), bounded by FUZZ_SECONDS (45) and a fixed seed
# (FUZZ_SEED), so a run is repeatable. Fails on a 5xx, a dropped connection, or an answer whose
# status, content type, headers or body the document does not describe.
#
# Left out on purpose: signing out and changing or resetting passwords (they end the fuzzer's
# own session), and schemathesis' `positive_data_acceptance` check (the document does not yet
# state every range and format the server enforces: see issue 17's note).
set -euo pipefail
db=$1
role=$2
bin=${OCOP_BIN:?OCOP_BIN: the ocop binary}
st=${SCHEMATHESIS:?SCHEMATHESIS: the schemathesis command}
port=${FUZZ_PORT:-18090}
data=$(mktemp -d)
export OCOP_DATA_DIR=$data OCOP_DEMO=true RUST_LOG=error
export OCOP_JWT_SECRET=fuzz-only-secret-0123456789abcdefghijk
export OCOP_PUBLIC_BASE_URL=http://127.0.0.1:$port
if [ "$db" = postgres ]; then
  base=${OCOP_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
  psql "$base" -qX -c "DROP DATABASE IF EXISTS ocop_fuzz WITH (FORCE)" -c "CREATE DATABASE ocop_fuzz"
  export OCOP_DATABASE_URL="${base%/*}/ocop_fuzz"
fi
"$bin" serve --bind "127.0.0.1:$port" > "$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
python3 - "$port" <<'PY'
import sys, time, urllib.request
for _ in range(150):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/readyz", timeout=1)
        break
    except Exception:
        time.sleep(0.2)
else:
    sys.exit("the server did not start")
PY
case $role in
  admin) email=admin@ocop.demo ;;
  producer) email=chuthe@ocop.demo ;;
  *) echo "role: admin or producer" >&2; exit 2 ;;
esac
token=$(python3 - "$port" "$email" <<'PY'
import json, sys, urllib.request
request = urllib.request.Request(
    f"http://127.0.0.1:{sys.argv[1]}/api/v1/auth/login",
    data=json.dumps({"email": sys.argv[2], "password": "OcopDemo@2026"}).encode(),
    headers={"content-type": "application/json"},
)
print(json.load(urllib.request.urlopen(request))["access_token"])
PY
)
echo "schemathesis: $role on $db"
cd "$data"
fuzz() {
  "$st" run "http://127.0.0.1:$port/api-docs/openapi.json" \
    -H "Authorization: Bearer $token" \
    --phases examples,coverage,fuzzing,stateful \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance \
    --exclude-path-regex '^/api/v1/(auth/(password|logout)|users/[^/]+/password-reset)' \
    --max-time "${FUZZ_SECONDS:-45}" --seed "${FUZZ_SEED:-20261207}" --workers 2 --warnings off
}
# CPython 3.11's parser is not safe to enter from two threads at once: hypothesis, describing a
# filter, can then die inside `ast.parse` with "AST constructor recursion depth mismatch" — an
# error of the fuzzer, not of the server. That one error, and only it, earns one more run.
if ! fuzz 2>&1 | tee "$data/fuzz.log"; then
  grep -q "AST constructor recursion depth mismatch" "$data/fuzz.log" || exit 1
  echo "schemathesis: the fuzzer itself failed (CPython's parser between threads); running again"
  fuzz
fi
