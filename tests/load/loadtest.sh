#!/usr/bin/env bash
# Bounded load test of the summarizer API on loopback. Builds Release, starts the API on 127.0.0.1 with MODEL (default
# the tiny fixture, which measures the service's own overhead; MODEL=models/arcticxs-copy measures the shipped model
# with request counts scaled down to its ~0.3-0.5 s per summary), warms up, runs 1/4/16 concurrent clients (fixed
# request counts) and the model's default options, an overload run (1 slot, queue 2) that must show only 200s and 503s,
# and a soak sampling the server's RSS. Stops the servers it started.
# Usage: [MODEL=<bundle dir>] tests/load/loadtest.sh [port]      (whole run < 8 minutes; every step under `timeout`)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PORT="${1:-5391}"
ART=/tmp/build-api-load
PY="$(command -v python3)"
MODEL="${MODEL:-tests/fixtures/tiny}"
cd "$ROOT"
if [ "$MODEL" = tests/fixtures/tiny ]; then
  WARMUP=600; PER_CLIENT=50; MIN_REQUESTS=200; CLIENTS="1 4 16"; BEAM_REQUESTS=100; SOAK=120; OVERLOAD=160
else  # a real model: ~100x slower per summary, so fewer requests in the same bounded time
  WARMUP=8; PER_CLIENT=4; MIN_REQUESTS=12; CLIENTS="1 2 4"; BEAM_REQUESTS=12; SOAK=90; OVERLOAD=32
fi
timeout 300 dotnet build src/Api -c Release --artifacts-path "$ART" -nologo -v q >/dev/null
DLL="$ART/bin/Api/release/Summarizer.Api.dll"

SERVER_PID=""
start_server() { # extra settings as --Key=Value args
  (cd "$ROOT/src/Api" && exec dotnet "$DLL" --urls "http://127.0.0.1:$PORT" --Summarizer:ModelPath="$ROOT/$MODEL" \
     --Serilog:MinimumLevel:Default=Warning "$@" >/tmp/loadtest-server.log 2>&1) &
  SERVER_PID=$!
  for _ in $(seq 1 120); do
    if curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "server did not become ready" >&2; return 1
}
stop_server() { if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; fi; }
trap stop_server EXIT

echo "# $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores ($(uname -m)), $(dotnet --version), model $MODEL"
echo "## Throughput and latency (defaults: MaxConcurrency = $(nproc), QueueLength 32; greedy, maxLength 32)"
start_server
curl -fs "http://127.0.0.1:$PORT/info" >/dev/null
# Warm-up (tiered JIT reaches its optimized code), not reported.
timeout 120 "$PY" tests/load/loadclient.py --port "$PORT" --clients 4 --requests "$WARMUP" >/dev/null
for c in $CLIENTS; do
  timeout 180 "$PY" tests/load/loadclient.py --port "$PORT" --clients "$c" --requests $((c * PER_CLIENT > MIN_REQUESTS ? c * PER_CLIENT : MIN_REQUESTS))
done
echo "## Model defaults (GET /info's: beam search), 4 clients"
timeout 180 "$PY" tests/load/loadclient.py --port "$PORT" --clients 4 --requests "$BEAM_REQUESTS" --model-defaults
echo "## Soak: 4 clients for $SOAK s, server RSS sampled every 10 s"
timeout $((SOAK + 80)) "$PY" tests/load/loadclient.py --port "$PORT" --clients 4 --seconds "$SOAK" --pid "$SERVER_PID" --sample-every 10
stop_server

echo "## Overload: MaxConcurrency 1, QueueLength 2, 16 clients (expect only 200 and 503)"
start_server --Summarizer:MaxConcurrency=1 --Summarizer:QueueLength=2
timeout 180 "$PY" tests/load/loadclient.py --port "$PORT" --clients 16 --requests "$OVERLOAD"
curl -fs "http://127.0.0.1:$PORT/metrics" | grep -E '^summarizer_(rejected_total|http_requests_total\{endpoint="/summarize")' || true
stop_server
