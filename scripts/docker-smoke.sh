#!/usr/bin/env bash
# Smoke test of the Docker image on a real engine: build, run on a volume, wait for health, adjust, stop, restart, read back.
# Usage: scripts/docker-smoke.sh   (DOCKER=podman to use podman; IMAGE=name:tag to name the image). Not part of npm test.
set -euo pipefail
cd "$(dirname "$0")/.."

DOCKER=${DOCKER:-docker}
IMAGE=${IMAGE:-trackstar-sandbox:smoke}
NAME=trackstar-sandbox-smoke-$$
VOLUME=trackstar-sandbox-smoke-$$
AUTH=(-H 'x-trackstar-api-key: sandbox_api_key' -H 'x-trackstar-access-token: acme_shopify_token')
PRODUCT_URL_PATH=/cart/products/shp_tee_001_m

fail () { echo "FAIL: $*"; $DOCKER logs --tail 20 "$NAME" 2>&1 || true; exit 1; }
cleanup () { $DOCKER rm -f "$NAME" >/dev/null 2>&1 || true; $DOCKER volume rm -f "$VOLUME" >/dev/null 2>&1 || true; }
trap cleanup EXIT

# Starts a container on the volume with a free host port, waits for /_sandbox/health, sets BASE_URL.
start () {
  $DOCKER run -d --name "$NAME" -p 127.0.0.1::3000 -v "$VOLUME:/data" "$IMAGE" >/dev/null
  local port
  port=$($DOCKER port "$NAME" 3000/tcp | head -n 1 | sed 's/.*://')
  BASE_URL=http://127.0.0.1:$port
  for _ in $(seq 1 60); do
    curl -sf -o /dev/null "$BASE_URL/_sandbox/health" && return 0
    [ "$($DOCKER inspect --format '{{.State.Running}}' "$NAME")" = true ] || fail "container exited before it was healthy"
    sleep 1
  done
  fail "no 200 on /_sandbox/health within 60 s"
}

# Stops the container as `docker stop` does (SIGTERM, then SIGKILL after 10 s) and requires a clean exit 0.
stop () {
  $DOCKER stop -t 10 "$NAME" >/dev/null
  local code
  code=$($DOCKER inspect --format '{{.State.ExitCode}}' "$NAME")
  [ "$code" = 0 ] || fail "container exited with $code after SIGTERM, expected 0"
  $DOCKER rm "$NAME" >/dev/null
}

started=$(date +%s)
$DOCKER build -t "$IMAGE" .
echo "built $IMAGE in $(( $(date +%s) - started ))s, $($DOCKER image inspect --format '{{.Size}}' "$IMAGE") bytes"

start
answer=$(curl -s -w ' %{http_code}' -X PUT "$BASE_URL$PRODUCT_URL_PATH/adjust-inventory" "${AUTH[@]}" \
  -H 'content-type: application/json' -d '{"quantity": 37, "adjustment_type": "exact", "warehouse_id": "wh_nyc", "reason": "received"}')
[ "${answer##* }" = 200 ] || fail "adjust answered ${answer##* }, expected 200: ${answer% *}"
stop

start
curl -s "$BASE_URL$PRODUCT_URL_PATH" "${AUTH[@]}" | grep -q '"wh_nyc":37' || fail "the adjustment did not survive a restart on the volume"
stop

echo "PASS: healthy, SIGTERM exits 0, data survives a restart on a volume"
