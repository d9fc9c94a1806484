#!/usr/bin/env bash
# Runs every test of the project: C# (xunit, incl. the real-browser test), Python (pytest) and the Docker proof.
# On a fresh Debian machine run as root it installs what the tests need; otherwise it says exactly what is missing.
# Usage: ./test.sh            everything
#        SKIP_DOCKER=1 ./test.sh   everything but the Docker image test (it needs root and takes minutes)
set -uo pipefail
cd "$(dirname "$0")"
log() { printf '\n=== %s\n' "$*"; }

# --- what the tests need -----------------------------------------------------------------------------
PY=/usr/bin/python3
need_apt=()
$PY -c 'import torch, onnx, pytest, nltk' 2>/dev/null || need_apt+=(python3-torch python3-onnx python3-pytest python3-numpy python3-nltk)
# Debian's torch otherwise runs on the reference BLAS, 18x slower (docs: training/README.md)
ls /usr/lib/*/openblas-pthread/libblas.so.3 >/dev/null 2>&1 || need_apt+=(libopenblas0-pthread)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -x /usr/bin/chromedriver ] || need_apt+=(chromium-driver)
command -v xz >/dev/null || need_apt+=(xz-utils)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing Debian packages: ${need_apt[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null \
      || { echo "apt-get install failed for: ${need_apt[*]}" >&2; exit 1; }
  else
    echo "missing Debian packages: ${need_apt[*]} — run as root on Debian, or: sudo apt-get install ${need_apt[*]}" >&2
    exit 1
  fi
fi
command -v dotnet >/dev/null || { echo "missing: the .NET 10 SDK (dotnet)" >&2; exit 1; }

passed=0; failed=0; skipped=0; status=0
count() { passed=$((passed + $1)); failed=$((failed + $2)); skipped=$((skipped + ${3:-0})); }

# --- C# -------------------------------------------------------------------------------------------------
log "dotnet build"
dotnet build Summarizer.slnx -c Release 2>&1 | tail -n 5
[ "${PIPESTATUS[0]}" = 0 ] || { echo "dotnet build failed"; echo "0 passed, 1 failed"; exit 1; }
log "dotnet format whitespace --verify-no-changes (the .editorconfig layout)"
if dotnet format whitespace Summarizer.slnx --verify-no-changes 2>&1 | grep -v "Warnings were encountered while loading"; [ "${PIPESTATUS[0]}" = 0 ]; then
  count 1 0
else
  echo "C# layout differs from .editorconfig: run 'dotnet format whitespace Summarizer.slnx'"; count 0 1; status=1
fi
for proj in tests/*/*.Tests.csproj; do
  log "dotnet test $proj"
  out=$(mktemp)
  dotnet test "$proj" -c Release --no-build 2>&1 | tee "$out"
  rc=${PIPESTATUS[0]}
  line=$(grep -E '(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+' "$out" | tail -n 1)
  if [ -n "$line" ]; then
    f=$(sed -E 's/.*Failed: +([0-9]+).*/\1/' <<<"$line"); p=$(sed -E 's/.*Passed: +([0-9]+).*/\1/' <<<"$line")
    s=$(sed -E 's/.*Skipped: +([0-9]+).*/\1/' <<<"$line"); count "$p" "$f" "$s"
  fi
  if [ "$rc" != 0 ]; then status=1; [ -z "$line" ] && count 0 1; fi
  rm -f "$out"
done

# --- Python ---------------------------------------------------------------------------------------------
log "pytest training/tests"
out=$(mktemp)
(cd training && $PY -m pytest tests -q -p no:cacheprovider) 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
line=$(grep -E '^[=]* *[0-9]+ passed' "$out" | tail -n 1)
p=$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+' || echo 0)
f=$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+' || echo 0)
count "${p:-0}" "${f:-0}"
[ "$rc" = 0 ] || { status=1; [ -z "$line" ] && count 0 1; }
rm -f "$out"

# --- Docker ---------------------------------------------------------------------------------------------
if [ "${SKIP_DOCKER:-0}" = 1 ]; then
  log "Docker test SKIPPED (SKIP_DOCKER=1)"; skipped=$((skipped + 1))
else
  log "tests/docker/test-docker.sh"
  if bash tests/docker/test-docker.sh; then count 1 0; else count 0 1; status=1; fi
fi

log "summary"
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
