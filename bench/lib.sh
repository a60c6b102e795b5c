# Shared by the benchmark scripts: the stack, a dev build of the API against the benchmark
# database, and psql. Source it from the repository root. A script may set BENCH_DB,
# BENCH_REDIS_DB and BENCH_DEMO_SEED before sourcing (bench/api uses the dev database and
# its demo catalog); environment given to bench_api_start reaches the API, which sets BENCH_START_S
# (seconds from java -jar to ready).
BENCH_DB=${BENCH_DB:-${HONGTONG_BENCH_DB:-hongtong_bench}}
BENCH_REDIS_DB=${BENCH_REDIS_DB:-2}
BENCH_DEMO_SEED=${BENCH_DEMO_SEED:-false}
BENCH_PORT=${HONGTONG_BENCH_PORT:-8080}
API=http://localhost:$BENCH_PORT
# Health and metrics are on the management interface, off the public port.
BENCH_MGMT_PORT=${HONGTONG_BENCH_MGMT_PORT:-9091}
MGMT=http://localhost:$BENCH_MGMT_PORT
export PGPASSWORD=${HONGTONG_PG_PASSWORD:-hongtong}
PSQL="psql -h 127.0.0.1 -p ${HONGTONG_PG_PORT:-5432} -U ${HONGTONG_PG_USER:-hongtong} -d $BENCH_DB -qtAX -v ON_ERROR_STOP=1"
BENCH_WORK=$(mktemp -d)
API_PID=""
say() { printf '[bench] %s\n' "$*"; }
bench_cleanup() {
  if [ -n "$API_PID" ]; then kill "$API_PID" 2>/dev/null || true; wait "$API_PID" 2>/dev/null || true; fi
  # BENCH_KEEP_LOGS=DIR keeps the API's log of the run there.
  if [ -n "${BENCH_KEEP_LOGS:-}" ]; then mkdir -p "$BENCH_KEEP_LOGS"; cp "$BENCH_WORK"/*.log "$BENCH_KEEP_LOGS"/ 2>/dev/null || true; fi
  rm -rf "$BENCH_WORK"
}
trap bench_cleanup EXIT

bench_stack() {
  bin/stack jdk >/dev/null
  HONGTONG_PG_DATABASES="hongtong hongtong_test $BENCH_DB" bin/stack up >/dev/null
}

bench_build() {
  if [ "${BENCH_NO_BUILD:-0}" = 1 ] && [ -f target/quarkus-app/quarkus-run.jar ]; then return 0; fi
  say "building a dev build of the API"
  ./mvnw -B -q package -DskipTests -Dquarkus.profile=dev
}

# Starts the API on the benchmark database (by default its own Redis database, 2, so the dev
# stack's stream is left alone, and no demo courses); waits until it is ready.
bench_api_start() {
  local log=$1
  curl -s -o /dev/null "$API/" && { echo "[bench] something already listens on :$BENCH_PORT; stop it first" >&2; exit 1; }
  curl -s -o /dev/null "$MGMT/" && { echo "[bench] something already listens on :$BENCH_MGMT_PORT; stop it first" >&2; exit 1; }
  # _DEV_ variables: the dev profile's own keys, which plain QUARKUS_ variables would not override.
  local redis="redis://127.0.0.1:${HONGTONG_REDIS_PORT:-6380}/$BENCH_REDIS_DB"
  if [ "${BENCH_REDIS_CLUSTER:-0}" = 1 ]; then
    # The local Redis Cluster (bin/stack up redis-cluster) through the cluster client.
    local first=${HONGTONG_REDIS_CLUSTER_PORT:-7101}
    redis="redis://127.0.0.1:$first,redis://127.0.0.1:$((first + 1)),redis://127.0.0.1:$((first + 2))"
    set -a; . bin/redis-cluster.env; set +a
  fi
  QUARKUS_HTTP_PORT=$BENCH_PORT QUARKUS_MANAGEMENT_PORT=$BENCH_MGMT_PORT \
  _DEV_QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:${HONGTONG_PG_PORT:-5432}/$BENCH_DB" \
  _DEV_QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:${HONGTONG_PG_PORT:-5432}/$BENCH_DB" \
  _DEV_QUARKUS_REDIS_HOSTS="$redis" \
  HONGTONG_CATALOG_DEMO_SEED=$BENCH_DEMO_SEED HONGTONG_MEDIA_PROCESSING_ENABLED=$BENCH_DEMO_SEED \
  QUARKUS_LOG_CONSOLE_LEVEL=WARN \
    java -Xmx1g -Dquarkus.profile=dev -jar target/quarkus-app/quarkus-run.jar > "$log" 2>&1 &
  API_PID=$!
  local started=$(date +%s.%N)
  for _ in $(seq 1 1800); do
    if curl -sf -o /dev/null "$MGMT/q/health/ready"; then
      BENCH_START_S=$(python3 -c "print(round($(date +%s.%N) - $started, 2))"); return 0
    fi
    sleep 0.1
    kill -0 "$API_PID" 2>/dev/null || break; done
  echo "[bench] the API did not become ready:" >&2; tail -n 30 "$log" >&2; exit 1
}

bench_api_stop() {
  kill "$API_PID" 2>/dev/null || true; wait "$API_PID" 2>/dev/null || true; API_PID=""
}
