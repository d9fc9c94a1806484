#!/usr/bin/env bash
# Bounded load test of the summarizer API on loopback. Builds Release, starts the API on 127.0.0.1 with the tiny
# fixture model, warms up, runs 1/4/16 concurrent clients (fixed request counts) and the model's default options, an overload run (1 slot, queue 2) that
# must show only 200s and 503s, and a 120 s soak sampling the server's RSS. Stops the servers it started.
# Usage: tests/load/loadtest.sh [port]      (whole run < 6 minutes; every step under `timeout`)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PORT="${1:-5391}"
ART=/tmp/build-api-load
PY="$(command -v python3)"
cd "$ROOT"
timeout 300 dotnet build src/Api -c Release --artifacts-path "$ART" -nologo -v q >/dev/null
DLL="$ART/bin/Api/release/Summarizer.Api.dll"

SERVER_PID=""
start_server() { # extra settings as --Key=Value args
  (cd "$ROOT/src/Api" && exec dotnet "$DLL" --urls "http://127.0.0.1:$PORT" \
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

echo "# $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores ($(uname -m)), $(dotnet --version), model tests/fixtures/tiny"
echo "## Throughput and latency (defaults: MaxConcurrency = $(nproc), QueueLength 32; greedy, maxLength 32)"
start_server
curl -fs "http://127.0.0.1:$PORT/info" >/dev/null
# Warm-up (tiered JIT reaches its optimized code), not reported.
timeout 120 "$PY" tests/load/loadclient.py --port "$PORT" --clients 4 --requests 600 >/dev/null
for c in 1 4 16; do
  timeout 180 "$PY" tests/load/loadclient.py --port "$PORT" --clients "$c" --requests $((c * 50 > 200 ? c * 50 : 200))
done
echo "## Model defaults (beam search, numBeams 4, maxLength 48), 4 clients"
timeout 180 "$PY" tests/load/loadclient.py --port "$PORT" --clients 4 --requests 100 --model-defaults
echo "## Soak: 4 clients for 120 s, server RSS sampled every 10 s"
timeout 200 "$PY" tests/load/loadclient.py --port "$PORT" --clients 4 --seconds 120 --pid "$SERVER_PID" --sample-every 10
stop_server

echo "## Overload: MaxConcurrency 1, QueueLength 2, 16 clients (expect only 200 and 503)"
start_server --Summarizer:MaxConcurrency=1 --Summarizer:QueueLength=2
timeout 180 "$PY" tests/load/loadclient.py --port "$PORT" --clients 16 --requests 160
curl -fs "http://127.0.0.1:$PORT/metrics" | grep -E '^summarizer_(rejected_total|http_requests_total\{endpoint="/summarize")' || true
stop_server
