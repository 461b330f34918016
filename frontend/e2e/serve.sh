#!/usr/bin/env bash
# Starts the real server for the browser tests over a fresh database: serve.sh DB PORT [catalog].
# With `catalog`, the database also holds 90 certified synthetic products (three to a subject, so that some communes list both 3★ and 4★).
set -euo pipefail
db=$1
port=$2
dataset=${3:-demo}
bin=${OCOP_BIN:-../target/debug/ocop}
data=$(mktemp -d)
export OCOP_DATA_DIR=$data OCOP_SPA_DIR=$PWD/dist OCOP_DEMO=true
export OCOP_JWT_SECRET=e2e-only-secret-0123456789abcdefghij
# Requests are logged at info; the browser tests need only warnings and errors.
export RUST_LOG=${RUST_LOG:-warn}
# Notifications are found within a second rather than a minute.
export OCOP_NOTIFICATION_SWEEP_SECONDS=1
# As behind one proxy: the tests tell clients apart by X-Forwarded-For (counterfeit signals).
export OCOP_TRUST_PROXY=true
export OCOP_PUBLIC_BASE_URL=http://127.0.0.1:$port
if [ "$db" = postgres ]; then
  base=${OCOP_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
  name=ocop_e2e_$dataset
  psql "$base" -qX -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" -c "CREATE DATABASE $name"
  export OCOP_DATABASE_URL="${base%/*}/$name"
fi
if [ "$dataset" = catalog ]; then
  "$bin" seed --demo --synthetic 90 --certified > "$data/seed.log"
fi
exec "$bin" serve --bind "127.0.0.1:$port"
