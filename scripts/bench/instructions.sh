#!/usr/bin/env bash
# Gateway instructions per request, counted by valgrind's callgrind: repeatable to about 1 % between runs
# of the same build whatever else the machine does, where req/s and CPU ms move by 10-20 % on a shared
# machine. For A/B comparisons of builds, not for absolute speed (JIT code runs some 50x slower under it).
#
#   bash scripts/bench/instructions.sh <dist dir> page|tenant-page|typename [requests=300] [warm-up=200]
#
# Needs DATABASE_URL naming a database loaded by `npm run bench -- --size L --reuse` (the hot application's
# page 1 as super admin, or as the admin of the first tenant with tenant-page) and valgrind. The gateway starts with `npm start`'s flags, uninstrumented; the
# warm-up requests run; counting is switched on for the measured ones only (sequential, one client).
set -euo pipefail
dist=$(cd "${1:?dist dir}" && pwd)
scenario=${2:?page, tenant-page or typename}
requests=${3:-300}
warmup=${4:-200}
port=${PORT:-39120}
: "${DATABASE_URL:?a database loaded by npm run bench -- --size L}"
export JWT_SECRET=${JWT_SECRET:-bench-secret-0123456789abcdef-0123456789abcdef} NODE_ENV=production PORT=$port SEED_DEMO_DATA=0
out=$(mktemp -d /tmp/idgraph-instructions.XXXXXX)
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$out/callgrind.%p" \
  node --max-old-space-size=1024 --max-semi-space-size=32 "$dist/src/main.js" >/dev/null 2>"$out/stderr" &
gateway=$!
trap 'kill $gateway 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do curl -sf "localhost:$port/healthz" >/dev/null && break; sleep 1; done
TENANT=83f1535f-99ab-0bf4-e9d0-2dfd85d3e3f7 # benchId('t', 1)
if [ "$scenario" = tenant-page ]; then role=(--role tenant_admin --tenant "$TENANT"); else role=(--role super_admin); fi
token=$(node "$dist/scripts/token.js" "${role[@]}" | tail -1)
TENANT=$TENANT HOT=8a8bb7cd-343a-a2ad-99b7-d762030857a2 SCENARIO=$scenario TOKEN=$token PORT=$port REQUESTS=$requests WARMUP=$warmup GATEWAY=$gateway node -e '
const http = require("node:http");
const { execFileSync } = require("node:child_process");
const { SCENARIO, TOKEN, PORT, HOT, TENANT, REQUESTS, WARMUP, GATEWAY } = process.env;
const body = JSON.stringify({ query: "{ __typename }" });
const once = () => new Promise((resolve, reject) => {
  const headers = { authorization: `Bearer ${TOKEN}` };
  const paths = {
    page: `/api/v1/admin/applications/${HOT}/effective-users?page=1&per_page=50`,
    "tenant-page": `/api/v1/tenants/${TENANT}/applications/${HOT}/effective-users?page=1&per_page=50`,
  };
  const req = paths[SCENARIO]
    ? http.request(`http://localhost:${PORT}${paths[SCENARIO]}`, { headers })
    : http.request(`http://localhost:${PORT}/graphql`, { method: "POST", headers: { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(body) } });
  req.on("response", (res) => { res.resume(); res.on("end", () => resolve(res.statusCode)); });
  req.on("error", reject);
  req.end(paths[SCENARIO] ? undefined : body);
});
(async () => {
  // Under valgrind the first requests may time out on the pool: retried, and only while warming up.
  for (let i = 0; i < Number(WARMUP); i++) await once().catch(() => undefined);
  execFileSync("callgrind_control", ["-i", "on", GATEWAY], { stdio: "ignore" });
  let failed = 0;
  for (let i = 0; i < Number(REQUESTS); i++) if ((await once()) !== 200) failed++;
  execFileSync("callgrind_control", ["-i", "off", GATEWAY], { stdio: "ignore" });
  if (failed) console.error(`${failed} of ${REQUESTS} measured requests did not answer 200`);
})();
'
callgrind_control -d "$gateway" >/dev/null
kill "$gateway"; wait "$gateway" 2>/dev/null || true
total=$(for f in "$out"/callgrind.*; do callgrind_annotate "$f" 2>/dev/null | sed -n 's/^ *\([0-9,]*\) (100.0%) *PROGRAM TOTALS.*/\1/p'; done | tr -d , | sort -n | tail -1)
echo "$scenario: $(node -e "console.log((Number(process.argv[1]) / Number(process.argv[2]) / 1e6).toFixed(2))" "$total" "$requests") M instructions per request ($requests requests, $out)"
