#!/usr/bin/env bash
# What one API request costs to sign in (issue 17): wrk at 50 connections for 20 s each against
#   GET /api/v1/incidents with HTTP Basic,
#   GET /incidents (the page) with the session cookie the login form sets,
#   GET /api/v1/incidents with "Authorization: Bearer $TOKEN" (a read token the script makes, unless TOKEN is set).
# Prints requests/s and p99 for each (the full wrk output goes to $OUT).
#
# By default it starts the packaged jar (./mvnw -o -q -B package -DskipTests first) on a fresh database of its
# own, $DB (dropped and created again), and stops it at the end. With BASE_URL set it uses a running Linger
# instead; then ADMIN_PASSWORD must be that Linger's admin password (for seeding the user).
#
#   ./mvnw -o -q -B package -DskipTests
#   CACHE_TTL=0S src/main/bench/api-auth.sh     # Basic without the cache: bcrypt on every request, as before
#   src/main/bench/api-auth.sh                  # the cache at its default, 60 s
#
# Settings (environment): PORT=8095 DB=linger_bench PGHOST=127.0.0.1 PGUSER=postgres CONNECTIONS=50 THREADS=2
# DURATION=20s WARMUP=10s TIMEOUT=30s CACHE_TTL (linger.api.basic-auth.cache-ttl; unset = Linger's default) OUT=target/benchmarks/api-auth
set -euo pipefail

cd "$(dirname "$0")/../../.."
PORT=${PORT:-8095}
DB=${DB:-linger_bench}
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-10s}
# wrk drops requests slower than its timeout (default 2 s) from the latencies; bcrypt under load is slower than that
TIMEOUT=${TIMEOUT:-30s}
OUT=${OUT:-target/benchmarks/api-auth}
ADMIN_PASSWORD=${ADMIN_PASSWORD:-bench-admin-password}
USER_NAME=bench-operator
USER_PASSWORD=bench-operator-password
mkdir -p "$OUT"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

pid=
stop() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; }
trap stop EXIT

if [ -z "${BASE_URL:-}" ]; then
    BASE_URL=http://127.0.0.1:$PORT
    dropdb --if-exists "$DB"
    createdb "$DB"
    env QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:5432/$DB" QUARKUS_HTTP_PORT="$PORT" \
        LINGER_ADMIN_PASSWORD="$ADMIN_PASSWORD" ${CACHE_TTL:+LINGER_API_BASIC_AUTH_CACHE_TTL=$CACHE_TTL} \
        java -jar target/quarkus-app/quarkus-run.jar >"$OUT/linger.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 120); do
        if curl -fs -o /dev/null "$BASE_URL/login"; then break; fi
        kill -0 "$pid" 2>/dev/null || { echo "Linger did not start, see $OUT/linger.log" >&2; exit 1; }
        sleep 0.5
    done
fi

# the user the requests sign in as: an operator, created by the admin through the API (201, or 409 when it exists)
status=$(curl -sS -o "$OUT/seed.json" -w '%{http_code}' -u "admin:$ADMIN_PASSWORD" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$USER_NAME\",\"password\":\"$USER_PASSWORD\",\"roles\":[\"operator\"]}" "$BASE_URL/api/v1/users")
case $status in 200|201|409) ;; *) echo "seeding the user answered $status: $(cat "$OUT/seed.json")" >&2; exit 1;; esac

# a session through the login form, as a browser gets one: the form's CSRF token is bound to its pre-session cookie
jar="$OUT/cookies.txt"
rm -f "$jar"
csrf=$(curl -sS -c "$jar" "$BASE_URL/login" | sed -n 's/.*name="csrf-token" value="\([^"]*\)".*/\1/p' | head -1)
cookie=$(curl -sS -o /dev/null -D - -b "$jar" --data-urlencode "csrf-token=$csrf" --data-urlencode "username=$USER_NAME" \
    --data-urlencode "password=$USER_PASSWORD" --data-urlencode "next=/" "$BASE_URL/login" \
    | sed -n 's/^[Ss]et-[Cc]ookie: *\(linger_session=[^;]*\).*/\1/p' | head -1)
[ -n "$cookie" ] || { echo "the login form set no session cookie" >&2; exit 1; }

basic=$(printf '%s:%s' "$USER_NAME" "$USER_PASSWORD" | base64 -w0)

run() { # name, url, header
    local name=$1 url=$2 header=$3
    # one request first: it must succeed, and it fills the cache the way a script's first call does
    local code
    code=$(curl -sS -o /dev/null -w '%{http_code}' -H "$header" "$url")
    [ "$code" = 200 ] || { echo "$name: $url answered $code" >&2; exit 1; }
    # warm-up (JIT, connection pool, cache), not reported; WARMUP=0 skips it, which the uncached Basic run needs:
    # the server finishes the bcrypt work of the warm-up's abandoned requests during the measured run
    [ "$WARMUP" = 0 ] || wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" --timeout "$TIMEOUT" -H "$header" "$url" >"$OUT/$name.warmup.txt"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout "$TIMEOUT" --latency -H "$header" "$url" >"$OUT/$name.txt"
    local rps p99 non2xx
    rps=$(awk '/^Requests\/sec/ {print $2}' "$OUT/$name.txt")
    p99=$(awk '$1 == "99%" {print $2}' "$OUT/$name.txt")
    non2xx=$(awk '/Non-2xx/ {print $NF}' "$OUT/$name.txt")
    errors=$(sed -n 's/.*Socket errors: *//p' "$OUT/$name.txt")
    printf '%-14s %10s req/s   p99 %8s   non-2xx %s   %s\n' "$name" "$rps" "$p99" "${non2xx:-0}" "${errors:-no socket errors}"
}

echo "Linger at $BASE_URL, $CONNECTIONS connections, $DURATION each, cache-ttl ${CACHE_TTL:-default}"
# the page first: without the cache, the server is still busy with abandoned bcrypts after the Basic run
run page-session "$BASE_URL/incidents" "Cookie: $cookie"
run api-basic "$BASE_URL/api/v1/incidents" "Authorization: Basic $basic"
# a personal API token of the same user (read scope), made through the API unless TOKEN gives one
if [ -z "${TOKEN:-}" ]; then
    TOKEN=$(curl -sS -u "$USER_NAME:$USER_PASSWORD" -H 'Content-Type: application/json' \
        -d '{"name":"api-auth benchmark","scopes":["read"],"expiresInDays":1}' "$BASE_URL/api/v1/tokens" \
        | sed -n 's/.*"token":"\(lgr_[0-9A-Za-z]*\)".*/\1/p')
    [ -n "$TOKEN" ] || { echo "making a token failed" >&2; exit 1; }
fi
run api-token "$BASE_URL/api/v1/incidents" "Authorization: Bearer $TOKEN"
