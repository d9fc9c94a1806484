#!/usr/bin/env bash
# Proves the Docker deployment runs: builds the image, starts it, summarizes through it, checks it runs as
# non-root on a read-only root filesystem with a working HEALTHCHECK, then brings up the compose "scale"
# profile (two replicas behind nginx, host-network variant) and sees both replicas answer.
#
#   bash tests/docker/test-docker.sh            # from the repository root, as root (may start dockerd)
#
# Environment: MODEL_DIR (bundle baked into the image, default models/arcticxs-copy), IMAGE (tag, default
# summarizer-api:test), PORT (single-container port, default 18090), READY_TIMEOUT (s, default 120),
# BUILD_TIMEOUT (s, default 1500), CLEAN_IMAGES=1 (also remove the images built here).
# Prints timings and ends with "docker: N passed, M failed"; exit status is non-zero on any failure.
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"

IMAGE=${IMAGE:-summarizer-api:test}
LB_IMAGE=summarizer-lb-debian:local
MODEL_DIR=${MODEL_DIR:-models/arcticxs-copy}
PORT=${PORT:-18090}
READY_TIMEOUT=${READY_TIMEOUT:-120}
BUILD_TIMEOUT=${BUILD_TIMEOUT:-1500}
CNAME=summarizer-dockertest-$$
PROJECT=summarizer-dockertest
REPLICA_PORTS=(18081 18082)
LB_PORT=8000
STANDIN=${STANDIN:-$repo/../shared/tools/docker-standin-images.sh}
SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0

passed=0
failed=0
compose=()
compose_up=0
t_start=$(date +%s.%N)

log() { printf '[docker-test %6.1fs] %s\n' "$(elapsed "$t_start")" "$*"; }
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
pass() { passed=$((passed + 1)); echo "  PASS $*"; }
fail() { failed=$((failed + 1)); echo "  FAIL $*"; }
loud() {
  echo >&2
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" >&2
  echo "!!! docker test CANNOT RUN: $*" >&2
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" >&2
}
finish() {
  echo "docker: $passed passed, $failed failed (total $(elapsed "$t_start")s)"
  [ "$failed" -eq 0 ]
  exit
}
# A step the rest depends on failed: count it and stop.
fatal() { fail "$*"; finish; }

cleanup() {
  docker rm -f "$CNAME" >/dev/null 2>&1 || true
  if [ "$compose_up" = 1 ]; then "${compose[@]}" down --remove-orphans >/dev/null 2>&1 || true; fi
  if [ "${CLEAN_IMAGES:-0}" = 1 ]; then docker rmi -f "$IMAGE" "$LB_IMAGE" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
trap 'echo "interrupted"; exit 130' INT TERM

port_free() { ! ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

# Waits (bounded) until $1 answers 200; prints the seconds it took or fails. $2: container to watch.
wait_ready() {
  local url=$1 container=${2:-} t0; t0=$(date +%s.%N)
  for _ in $(seq $((READY_TIMEOUT * 4))); do
    if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then elapsed "$t0"; return 0; fi
    if [ -n "$container" ] && [ "$(docker inspect -f '{{.State.Running}}' "$container" 2>/dev/null)" != true ]; then
      echo "container $container exited" >&2; return 1
    fi
    sleep 0.25
  done
  echo "no 200 from $url within ${READY_TIMEOUT}s" >&2
  return 1
}

# Checks a /summarize response: non-empty summary and one attention row per summary token, each a
# distribution over the source tokens.
check_summary_json() {
  python3 - "$1" <<'EOF'
import json, math, sys
r = json.loads(open(sys.argv[1]).read())
summary = r.get("summary")
assert isinstance(summary, str) and summary.strip(), f"empty summary: {summary!r}"
att = r.get("attention") or {}
w = att.get("weights")
assert isinstance(w, list) and w, "no attention.weights"
n_src = len(r["sourceTokens"]) if "sourceTokens" in r else len(w[0])
if "summaryTokens" in r:
    assert len(w) == len(r["summaryTokens"]), f"{len(w)} attention rows for {len(r['summaryTokens'])} summary tokens"
for i, row in enumerate(w):
    assert len(row) == n_src, f"row {i} has {len(row)} weights for {n_src} source tokens"
    assert all(x >= 0 for x in row) and abs(sum(row) - 1) < 1e-3, f"row {i} is not a distribution (sum {sum(row)})"
print(f"summary {summary[:60]!r}..., attention {len(w)}x{n_src}")
EOF
}

TEXT='The city council voted on Tuesday to build a new bridge across the river, after years of debate about traffic and cost. The project will take three years and is paid for by the state and the city together. Residents said they hoped the bridge would shorten their daily commute.'
BODY=$(python3 -c 'import json,sys; print(json.dumps({"text": sys.argv[1]}))' "$TEXT")

echo "== docker deployment test ($repo)"

# ---- 0. engine and base images -------------------------------------------------------------------
if ! docker info >/dev/null 2>&1; then
  log "no Docker engine answers; trying $STANDIN to start one"
  if [ ! -f "$STANDIN" ]; then
    loud "no Docker engine, and $STANDIN (which would start dockerd) does not exist"; exit 2
  fi
  if ! bash "$STANDIN"; then loud "could not start dockerd (see /tmp/dockerd.log)"; exit 2; fi
  if ! docker info >/dev/null 2>&1; then loud "dockerd still does not answer (see /tmp/dockerd.log)"; exit 2; fi
fi
if ! docker image inspect "$SDK_IMAGE" "$RUNTIME_IMAGE" >/dev/null 2>&1; then
  log "base images missing; trying docker pull (30 s each)"
  if ! { timeout 30 docker pull -q "$SDK_IMAGE" && timeout 30 docker pull -q "$RUNTIME_IMAGE"; } >/dev/null 2>&1; then
    log "pull failed (no registry?): building stand-in images with $STANDIN"
    if [ ! -f "$STANDIN" ] || ! bash "$STANDIN"; then loud "no .NET base images and no stand-ins"; exit 2; fi
  fi
fi
log "engine $(docker version -f '{{.Server.Version}}') ready; base images present"

for p in "$PORT" "${REPLICA_PORTS[@]}" "$LB_PORT"; do
  port_free "$p" || { loud "port $p is in use on this host (host networking): free it or set PORT"; exit 2; }
done
[ -f "$MODEL_DIR/config.json" ] || fatal "model bundle $MODEL_DIR/config.json missing (MODEL_DIR)"

# ---- 1. build ------------------------------------------------------------------------------------
echo "-- build"
t0=$(date +%s.%N)
if timeout "$BUILD_TIMEOUT" docker build --network host --force-rm -t "$IMAGE" --build-arg MODEL_DIR="$MODEL_DIR" \
     --build-arg NUGET_CERT_REVOCATION_MODE . >/tmp/docker-test-build.log 2>&1; then
  build_s=$(elapsed "$t0")
  pass "image builds ($IMAGE, ${build_s}s; log /tmp/docker-test-build.log)"
else
  tail -30 /tmp/docker-test-build.log
  fatal "docker build failed after $(elapsed "$t0")s (log /tmp/docker-test-build.log)"
fi
size=$(docker image ls --format '{{.Size}}' "$IMAGE" | head -1)
base_size=$(docker image ls --format '{{.Size}}' "$RUNTIME_IMAGE" | head -1)
log "image size $size (runtime base $base_size)"

# Nothing of the SDK, sources, tests or training in the final image; ONNX Runtime's native library is.
if contents=$(docker run --rm --network host --entrypoint bash "$IMAGE" -c \
     'dotnet --list-sdks; ls /src /app/training /app/tests 2>/dev/null; ls /app/libonnxruntime.so /app/model/config.json /app/Summarizer.Api.dll' 2>&1) \
   && [ "$(echo "$contents" | grep -c .)" -eq 3 ]; then
  pass "final stage has the app, libonnxruntime.so and the bundle, and no SDK/sources"
else
  fail "final image contents unexpected: $contents"
fi

# ---- 2. one container ----------------------------------------------------------------------------
echo "-- single container on port $PORT (read-only root, 1 CPU, 1 GiB)"
t0=$(date +%s.%N)
docker run -d --name "$CNAME" --network host --read-only --tmpfs /tmp --cpus 1 --memory 1g \
  -e ASPNETCORE_HTTP_PORTS="$PORT" "$IMAGE" >/dev/null || fatal "docker run failed"
start_s=$(elapsed "$t0")
if ready_s=$(wait_ready "http://127.0.0.1:$PORT/health/ready" "$CNAME"); then
  pass "/health/ready 200 ${ready_s}s after the container started (docker run -d took ${start_s}s; total $(elapsed "$t0")s)"
else
  docker logs --tail 40 "$CNAME" 2>&1
  fatal "container never became ready"
fi

code=$(curl -s -o /tmp/docker-test-live.out -w '%{http_code}' --max-time 5 "http://127.0.0.1:$PORT/health/live")
[ "$code" = 200 ] && pass "/health/live 200" || fail "/health/live answered $code"

code=$(curl -s -o /tmp/docker-test-info.json -w '%{http_code}' --max-time 5 "http://127.0.0.1:$PORT/info")
if [ "$code" = 200 ] && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d, "empty"' /tmp/docker-test-info.json 2>/dev/null; then
  pass "/info 200: $(head -c 160 /tmp/docker-test-info.json)"
else
  fail "/info answered $code: $(head -c 300 /tmp/docker-test-info.json 2>/dev/null)"
fi

t0=$(date +%s.%N)
code=$(curl -s -o /tmp/docker-test-summary.json -w '%{http_code}' --max-time 60 -H 'Content-Type: application/json' \
  -d "$BODY" "http://127.0.0.1:$PORT/summarize")
if [ "$code" = 200 ] && msg=$(check_summary_json /tmp/docker-test-summary.json 2>&1); then
  pass "POST /summarize in the container: $msg ($(elapsed "$t0")s)"
else
  fail "POST /summarize answered $code: ${msg:-} $(head -c 400 /tmp/docker-test-summary.json 2>/dev/null)"
fi

uid=$(docker exec "$CNAME" id -u 2>&1)
puid=$(docker exec "$CNAME" awk '/^Uid:/ { print $2 }' /proc/1/status 2>&1)
if [ "$uid" != 0 ] && [ "$puid" != 0 ] && [[ "$uid" =~ ^[0-9]+$ ]]; then
  pass "runs as non-root (uid $uid, server process uid $puid)"
else
  fail "runs as root or unknown: id -u=$uid, pid 1 uid=$puid"
fi

# The image's HEALTHCHECK (bash /dev/tcp, no curl) must turn the container healthy.
health=""
for _ in $(seq 60); do
  health=$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$CNAME")
  [ "$health" = healthy ] || [ "$health" = unhealthy ] && break
  sleep 1
done
[ "$health" = healthy ] && pass "HEALTHCHECK reports healthy" \
  || fail "HEALTHCHECK status '$health': $(docker inspect -f '{{json .State.Health}}' "$CNAME" | head -c 400)"

docker rm -f "$CNAME" >/dev/null

# Configuration through the environment: a missing model path must not yield a ready container.
docker run -d --name "$CNAME" --network host -e ASPNETCORE_HTTP_PORTS="$PORT" \
  -e Summarizer__ModelPath=/nonexistent/bundle "$IMAGE" >/dev/null || fatal "docker run failed"
bad=""
for _ in $(seq 60); do
  if [ "$(docker inspect -f '{{.State.Running}}' "$CNAME")" != true ]; then
    bad="exited with code $(docker inspect -f '{{.State.ExitCode}}' "$CNAME")"; break
  fi
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$PORT/health/ready")
  if [ "$code" != 000 ]; then bad="/health/ready answered $code"; break; fi
  sleep 0.5
done
if [[ "$bad" == exited* && "$bad" != *"code 0" ]] || [[ "$bad" == "/health/ready answered 5"* ]]; then
  pass "Summarizer__ModelPath=/nonexistent/bundle is honoured: $bad ($(docker logs "$CNAME" 2>&1 | grep -m1 -io '[^"]*nonexistent[^"]*' | head -c 120))"
else
  fail "bad Summarizer__ModelPath gave '${bad:-no answer}'"
fi
docker rm -f "$CNAME" >/dev/null

# ---- 3. compose: replicas behind nginx -----------------------------------------------------------
echo "-- compose profile scale (host-network variant: docker-compose.hostnet.yml)"
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null; then
  compose=(docker-compose)
elif [ "$(id -u)" = 0 ]; then
  log "installing Debian's docker-compose"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose; } >/dev/null 2>&1
  compose=(docker-compose)
fi
command -v "${compose[0]:-none}" >/dev/null || fatal "no docker compose / docker-compose available"
compose_bin=("${compose[@]}")
# Compose v1 applies deploy.resources / deploy.replicas only in compatibility mode.
[ "${compose[0]}" = docker-compose ] && compose+=(--compatibility)
compose+=(-p "$PROJECT" -f docker-compose.yml -f docker-compose.hostnet.yml --profile scale)
log "using: ${compose[*]}"
export API_IMAGE=$IMAGE API_CPUS=1

# The default (bridged) file must stay valid too, although this host can only run the host-network variant.
if "${compose_bin[@]}" -f docker-compose.yml --profile scale config -q 2>/tmp/docker-test-config.log; then
  pass "docker-compose.yml (bridged, profile scale) is valid"
else
  fail "docker-compose.yml invalid: $(head -c 300 /tmp/docker-test-config.log)"
fi

t0=$(date +%s.%N)
if ! docker image inspect "$LB_IMAGE" >/dev/null 2>&1; then
  "${compose[@]}" build lb-hostnet >/tmp/docker-test-lb-build.log 2>&1 || fatal "nginx image build failed (/tmp/docker-test-lb-build.log)"
fi
compose_up=1
if "${compose[@]}" up -d --no-build replica replica2 lb-hostnet >/tmp/docker-test-compose.log 2>&1; then
  pass "compose up (2 replicas + nginx) in $(elapsed "$t0")s"
else
  tail -20 /tmp/docker-test-compose.log
  fatal "compose up failed (/tmp/docker-test-compose.log)"
fi
if lb_s=$(wait_ready "http://127.0.0.1:$LB_PORT/health/ready"); then
  pass "nginx answers /health/ready after ${lb_s}s"
else
  "${compose[@]}" logs --tail 20 >&2
  fatal "nginx never answered"
fi

# Resource limits from the compose file reach the containers.
mem=$(docker inspect -f '{{.HostConfig.Memory}}' "$("${compose[@]}" ps -q replica2)" 2>/dev/null)
[ "${mem:-0}" -gt 0 ] && pass "replica memory limit applied ($((mem / 1048576)) MiB)" || fail "no memory limit on replica2 (got '${mem:-}')"

declare -A upstreams=()
ok=0
for i in $(seq 6); do
  hdr=$(curl -s -D - -o "/tmp/docker-test-lb-$i.json" --max-time 60 -H 'Content-Type: application/json' \
    -d "$BODY" "http://127.0.0.1:$LB_PORT/summarize" | tr -d '\r')
  up=$(echo "$hdr" | awk -F': ' 'tolower($1) == "x-upstream" { print $2 }')
  if echo "$hdr" | head -1 | grep -q ' 200' && check_summary_json "/tmp/docker-test-lb-$i.json" >/dev/null 2>&1; then
    ok=$((ok + 1)); upstreams[$up]=1
  else
    # Say what came back, so that a failure on CI can be told apart from a slow replica.
    echo "    request $i: status '$(echo "$hdr" | head -1)', upstream '${up:-none}': $(head -c 300 "/tmp/docker-test-lb-$i.json" 2>/dev/null)"
  fi
done
if [ "$ok" = 6 ]; then
  pass "6/6 summaries through nginx"
else
  fail "only $ok/6 summaries through nginx succeeded"
  "${compose[@]}" logs --tail 15 >&2 2>&1 || true
fi
[ "${#upstreams[@]}" -ge 2 ] && pass "round robin: ${#upstreams[@]} replicas answered (${!upstreams[*]})" \
  || fail "only ${#upstreams[@]} distinct upstream(s) answered: ${!upstreams[*]}"

# SSE through the proxy (proxy_buffering off for this location): start, tokens, done.
t0=$(date +%s.%N)
curl -sN --max-time 60 -H 'Content-Type: application/json' -H 'Accept: text/event-stream' -d "$BODY" \
  "http://127.0.0.1:$LB_PORT/summarize/stream" >/tmp/docker-test-stream.txt 2>&1
n_start=$(grep -c '^event: *start' /tmp/docker-test-stream.txt)
n_token=$(grep -c '^event: *token' /tmp/docker-test-stream.txt)
n_done=$(grep -c '^event: *done' /tmp/docker-test-stream.txt)
if [ "$n_start" = 1 ] && [ "$n_token" -ge 1 ] && [ "$n_done" = 1 ]; then
  pass "POST /summarize/stream through nginx: start, $n_token token events, done ($(elapsed "$t0")s)"
else
  fail "stream through nginx: start=$n_start token=$n_token done=$n_done: $(head -c 300 /tmp/docker-test-stream.txt)"
fi

"${compose[@]}" down --remove-orphans >/dev/null 2>&1 && compose_up=0
finish
