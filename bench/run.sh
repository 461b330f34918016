#!/usr/bin/env bash
# Load benchmarks with wrk against a release server, on SQLite and on PostgreSQL:
#   /healthz                               (no database)
#   /api/v1/admin-units?limit=20           (authenticated: JWT check, user reload, count + page)
# and, over the demo plus 20,000 synthetic products (BENCH_PRODUCTS) with their applications:
#   /api/v1/progress/stages?cycle_id=      (the progress dashboard: grouped counts per area)
#   /api/v1/progress/overdue?cycle_id=     (overdue applications against stage deadlines)
#   /api/v1/products?q=cha%20muc%20ha%20long (diacritics-insensitive word search, count + page)
#   /api/v1/applications?cycle_id=&status= (the cycle board's column)
# and, over the demo plus 20,000 certified synthetic products (BENCH_CATALOG_PRODUCTS), as a
# partner portal without a key (the anonymous rate limit off):
#   /api/v1/catalog/products?limit=100     (a page of 100 items built for every request: no page cache)
#   /api/v1/catalog/products?limit=100     (a page of 100 items; repeated, as portals poll)
#   the same with If-None-Match            (304)
#   200 different pages by cursor          (the whole catalog walked, pages built then cached)
# and, over the demo plus one batch of 1,000,000 stamps (BENCH_STAMPS) issued by the API's job:
#   the time the job takes                 (stamps-issue, in seconds)
#   /healthz                               (the same server, for comparison)
#   /api/v1/public/trace/{code}            (1,000 different stamps in turn; each look-up logs a scan)
#   the two in five alternating rounds     (trace / healthz: the median of the five ratios)
# and the time `ocop units load --all --structure both` takes into an empty registry (units-load-all),
# then, over those ~14,000 units:
#   /api/v1/admin-units?limit=20           (units-list-all)
#   /api/v1/admin-units?q=ha%20long&include_retired=true (units-search-all: without diacritics)
# BENCH_SUITES="registry catalog stamps units" (default) chooses what runs.
# Raw wrk output goes to bench/results/<date>-<db>-<target>.txt; a summary table to
# bench/results/latest.md. Loopback only; every run is bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${OCOP_BIN:-target/release/ocop}
duration=${BENCH_DURATION:-15s}
connections=${BENCH_CONNECTIONS:-32}
threads=${BENCH_THREADS:-2}
products=${BENCH_PRODUCTS:-20000}
catalog_products=${BENCH_CATALOG_PRODUCTS:-20000}
pg_base=${OCOP_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
results=bench/results
stamp=$(date -u +%Y%m%d-%H%M%S)
sudo_cmd=$([ "$(id -u)" = 0 ] || echo sudo)

command -v wrk >/dev/null || { $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq wrk; }
command -v psql >/dev/null || { $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql-client; }

summary=$results/latest.md
{
  echo "# Benchmark run $stamp"
  echo
  echo "wrk -t$threads -c$connections -d$duration, server and wrk on the same $(nproc)-core machine, release build."
  echo
  echo "| database | endpoint | requests/s | p50 | p90 | p99 |"
  echo "|---|---|---|---|---|---|"
} > "$summary"

run_wrk() { # db name url [header] [wrk script]
  local db=$1 name=$2 url=$3 header=${4:-} script=${5:-}
  local out=$results/$stamp-$db-$name.txt
  local args=(-t"$threads" -c"$connections" -d"$duration" --latency)
  [ -n "$header" ] && args+=(-H "$header")
  [ -n "$script" ] && args+=(-s "$script")
  wrk "${args[@]}" "$url" > "$out"
  local rps p50 p90 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$out")
  p50=$(awk '$1=="50%" {print $2}' "$out")
  p90=$(awk '$1=="90%" {print $2}' "$out")
  p99=$(awk '$1=="99%" {print $2}' "$out")
  echo "| $db | $name | $rps | $p50 | $p90 | $p99 |" >> "$summary"
  echo "$db $name: $rps req/s, p50 $p50, p99 $p99"
}

sign_in() { # port [email password]: an access token
  local body
  body=$(python3 -c 'import json,sys; print(json.dumps({"email": sys.argv[1], "password": sys.argv[2]}))' \
    "${2:-admin@ocop.demo}" "${3:-OcopDemo@2026}")
  curl -sf -X POST "http://127.0.0.1:$1/api/v1/auth/login" -H 'content-type: application/json' -d "$body" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}

bench_db() { # db port
  local db=$1 port=$2 data
  data=$(mktemp -d)
  local env=(OCOP_DATA_DIR="$data" OCOP_DEMO=true OCOP_LOG_FORMAT=json RUST_LOG=warn
             OCOP_JWT_SECRET=bench-only-secret-0123456789abcdefghij)
  if [ "$db" = postgres ]; then
    psql "$pg_base" -qX -c "DROP DATABASE IF EXISTS ocop_bench WITH (FORCE)" -c "CREATE DATABASE ocop_bench"
    env+=(OCOP_DATABASE_URL="${pg_base%/*}/ocop_bench")
  fi
  env "${env[@]}" "$bin" seed --demo --synthetic "$products" > "$data/seed.log"
  env "${env[@]}" "$bin" serve --bind "127.0.0.1:$port" > "$data/server.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
  local token
  token=$(sign_in "$port")
  run_wrk "$db" healthz "http://127.0.0.1:$port/healthz"
  run_wrk "$db" admin-units-list "http://127.0.0.1:$port/api/v1/admin-units?limit=20" "Authorization: Bearer $token"
  local cycle api="http://127.0.0.1:$port/api/v1"
  cycle=$(curl -sf -H "Authorization: Bearer $token" "$api/cycles" |
    python3 -c 'import json,sys; print([c["id"] for c in json.load(sys.stdin) if c["year"] == 2026][0])')
  run_wrk "$db" progress-stages "$api/progress/stages?cycle_id=$cycle" "Authorization: Bearer $token"
  run_wrk "$db" progress-overdue "$api/progress/overdue?cycle_id=$cycle" "Authorization: Bearer $token"
  run_wrk "$db" products-search "$api/products?q=cha%20muc%20ha%20long" "Authorization: Bearer $token"
  run_wrk "$db" board-column "$api/applications?cycle_id=$cycle&status=plan_submitted" "Authorization: Bearer $token"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

bench_catalog() { # db port
  local db=$1 port=$2 data
  data=$(mktemp -d)
  local env=(OCOP_DATA_DIR="$data" OCOP_DEMO=true OCOP_LOG_FORMAT=json RUST_LOG=warn
             OCOP_JWT_SECRET=bench-only-secret-0123456789abcdefghij OCOP_CATALOG_ANONYMOUS_RATE_PER_MINUTE=0)
  if [ "$db" = postgres ]; then
    psql "$pg_base" -qX -c "DROP DATABASE IF EXISTS ocop_bench_catalog WITH (FORCE)" -c "CREATE DATABASE ocop_bench_catalog"
    env+=(OCOP_DATABASE_URL="${pg_base%/*}/ocop_bench_catalog")
  fi
  env "${env[@]}" "$bin" seed --demo --synthetic "$catalog_products" --certified > "$data/seed.log"
  # As a database in service would be: statistics up to date after the bulk load.
  [ "$db" = postgres ] && psql "${pg_base%/*}/ocop_bench_catalog" -qX -c "VACUUM ANALYZE"
  # Every answer built anew (no page cache): what a full page costs the server.
  env "${env[@]}" OCOP_CATALOG_CACHE_BYTES=0 "$bin" serve --bind "127.0.0.1:$port" > "$data/server-uncached.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
  local api="http://127.0.0.1:$port/api/v1" etag
  run_wrk "$db" catalog-page-built "$api/catalog/products?limit=100"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  env "${env[@]}" "$bin" serve --bind "127.0.0.1:$port" > "$data/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
  etag=$(curl -sf -o /dev/null -D - "$api/catalog/products?limit=100" | tr -d '\r' | awk 'tolower($1) == "etag:" {print $2}')
  run_wrk "$db" catalog-page "$api/catalog/products?limit=100"
  run_wrk "$db" catalog-304 "$api/catalog/products?limit=100" "If-None-Match: $etag"
  # The first 200 pages' cursors, for a walk through distinct pages.
  python3 - "$api" > "$data/walk.lua" <<'PY'
import json, sys, urllib.request
api, cursors, cursor = sys.argv[1], [], None
for _ in range(200):
    page = json.load(urllib.request.urlopen(f"{api}/catalog/products?limit=100" + (f"&cursor={cursor}" if cursor else "")))
    cursor = page.get("next_cursor")
    if not cursor:
        break
    cursors.append(cursor)
print("local cursors = {" + ",".join(f'"{c}"' for c in cursors) + "}")
print("local i = 0")
print("request = function() i = i + 1; return wrk.format('GET', '/api/v1/catalog/products?limit=100&cursor=' .. cursors[(i % #cursors) + 1]) end")
PY
  run_wrk "$db" catalog-walk "$api/catalog/products?limit=100" "" "$data/walk.lua"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

bench_stamps() { # db port
  local db=$1 port=$2 data
  data=$(mktemp -d)
  # One load generator is one client: its limit is raised so the limiter runs but never refuses.
  local env=(OCOP_DATA_DIR="$data" OCOP_DEMO=true OCOP_LOG_FORMAT=json RUST_LOG=warn
             OCOP_JWT_SECRET=bench-only-secret-0123456789abcdefghij OCOP_TRACE_RATE_PER_MINUTE=1000000000)
  if [ "$db" = postgres ]; then
    psql "$pg_base" -qX -c "DROP DATABASE IF EXISTS ocop_bench_stamps WITH (FORCE)" -c "CREATE DATABASE ocop_bench_stamps"
    env+=(OCOP_DATABASE_URL="${pg_base%/*}/ocop_bench_stamps")
  fi
  env "${env[@]}" "$bin" serve --bind "127.0.0.1:$port" > "$data/server.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
  local api="http://127.0.0.1:$port/api/v1" token product batch job started seconds
  token=$(sign_in "$port")
  product=$(curl -sf -H "Authorization: Bearer $token" "$api/products?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
  batch=$(curl -sf -X POST -H "Authorization: Bearer $token" -H 'content-type: application/json' "$api/batches" \
    -d "{\"product_id\":\"$product\",\"code\":\"BENCH-1\",\"produced_on\":\"2026-12-01\",\"quantity\":1000000,\"unit\":\"hộp\",\"standard\":\"TCCS\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  started=$(date +%s.%N)
  job=$(curl -sf -X POST -H "Authorization: Bearer $token" -H 'content-type: application/json' "$api/batches/$batch/stamps" \
    -d "{\"count\":${BENCH_STAMPS:-1000000}}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  until curl -sf -H "Authorization: Bearer $token" "$api/stamp-jobs/$job" | python3 -c 'import json,sys; sys.exit(json.load(sys.stdin)["status"] == "running")'; do sleep 0.2; done
  seconds=$(python3 -c "import time; print(round(time.time() - $started, 1))")
  curl -sf -H "Authorization: Bearer $token" "$api/stamp-jobs/$job" | python3 -c 'import json,sys; j = json.load(sys.stdin); assert j["status"] == "done", j'
  echo "| $db | stamps-issue (${BENCH_STAMPS:-1000000}) | ${seconds} s | | | |" >> "$summary"
  echo "$db stamps-issue: ${seconds} s"
  [ "$db" = postgres ] && psql "${pg_base%/*}/ocop_bench_stamps" -qX -c "VACUUM ANALYZE"
  # 1,000 stamps spread over the batch, looked up in turn.
  curl -sf -H "Authorization: Bearer $token" "$api/batches/$batch/stamps?from=1&to=1000000" |
    python3 -c '
import sys
codes = [l.split(",")[1] for l in sys.stdin.read().splitlines()[1:]][::1000]
print("local codes = {" + ",".join(f"\"{c}\"" for c in codes) + "}")
print("local i = 0")
print("request = function() i = i + 1; return wrk.format(\"GET\", \"/api/v1/public/trace/\" .. codes[(i % #codes) + 1]) end")
' > "$data/trace.lua"
  # /healthz under the same load: the same script shape, one of 1,000 URLs per request.
  sed -e 's|/api/v1/public/trace/|/healthz?stamp=|' "$data/trace.lua" > "$data/healthz.lua"
  # The machine's speed drifts between runs (it is shared): five rounds of the pair, side by
  # side, and the median of the five ratios.
  local ratios=()
  for round in 1 2 3 4 5; do
    run_wrk "$db" "stamps-healthz-$round" "http://127.0.0.1:$port/healthz" "" "$data/healthz.lua"
    run_wrk "$db" "stamps-trace-$round" "$api/public/trace/x" "" "$data/trace.lua"
    ratios+=("$(awk '/Requests\/sec/ {print $2}' "$results/$stamp-$db-stamps-trace-$round.txt" "$results/$stamp-$db-stamps-healthz-$round.txt" |
      paste -sd' ' | awk '{printf "%.1f", 100 * $1 / $2}')")
  done
  echo "| $db | trace / healthz | median $(printf '%s\n' "${ratios[@]}" | sort -n | sed -n 3p) % (${ratios[*]}) | | | |" >> "$summary"
  echo "$db trace / healthz: ${ratios[*]} %"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

bench_units() { # db port: loading the whole country, both structures, into an empty registry; then listing and searching it
  local db=$1 port=$2 data
  data=$(mktemp -d)
  local env=(OCOP_DATA_DIR="$data" OCOP_DEMO=false OCOP_LOG_FORMAT=json RUST_LOG=warn OCOP_PROVINCES=
             OCOP_JWT_SECRET=bench-only-secret-0123456789abcdefghij)
  if [ "$db" = postgres ]; then
    psql "$pg_base" -qX -c "DROP DATABASE IF EXISTS ocop_bench_units WITH (FORCE)" -c "CREATE DATABASE ocop_bench_units"
    env+=(OCOP_DATABASE_URL="${pg_base%/*}/ocop_bench_units")
  fi
  env "${env[@]}" "$bin" migrate > /dev/null
  local start end
  start=$(date +%s.%N)
  env "${env[@]}" "$bin" units load --all --structure both > "$data/units.log"
  end=$(date +%s.%N)
  local seconds
  seconds=$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.1f", b - a}')
  echo "| $db | units-load-all ($(grep -o 'Loaded [0-9]*' "$data/units.log" | awk '{s += $2} END {print s}') units) | $seconds s | | | |" >> "$summary"
  echo "$db units-load-all: $seconds s"
  # With every unit loaded (about 14,000): a page of the list, and a search without diacritics.
  [ "$db" = postgres ] && psql "${pg_base%/*}/ocop_bench_units" -qX -c "VACUUM ANALYZE"
  env "${env[@]}" OCOP_ADMIN_PASSWORD='Bench units 2026!' "$bin" create-admin --email admin@bench.local > /dev/null
  env "${env[@]}" "$bin" serve --bind "127.0.0.1:$port" > "$data/server.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
  local token
  token=$(sign_in "$port" admin@bench.local 'Bench units 2026!')
  local api="http://127.0.0.1:$port/api/v1"
  run_wrk "$db" units-list-all "$api/admin-units?limit=20" "Authorization: Bearer $token"
  run_wrk "$db" units-search-all "$api/admin-units?q=ha%20long&limit=20&include_retired=true" "Authorization: Bearer $token"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

suites=${BENCH_SUITES:-registry catalog stamps units}
if [[ " $suites " == *" registry "* ]]; then
  bench_db sqlite 18281
  bench_db postgres 18282
fi
if [[ " $suites " == *" catalog "* ]]; then
  bench_catalog sqlite 18283
  bench_catalog postgres 18284
fi
if [[ " $suites " == *" stamps "* ]]; then
  bench_stamps sqlite 18285
  bench_stamps postgres 18286
fi
if [[ " $suites " == *" units "* ]]; then
  bench_units sqlite 18287
  bench_units postgres 18288
fi
psql "$pg_base" -qX -c "DROP DATABASE IF EXISTS ocop_bench WITH (FORCE)" -c "DROP DATABASE IF EXISTS ocop_bench_catalog WITH (FORCE)" \
  -c "DROP DATABASE IF EXISTS ocop_bench_stamps WITH (FORCE)" -c "DROP DATABASE IF EXISTS ocop_bench_units WITH (FORCE)"
echo; cat "$summary"
