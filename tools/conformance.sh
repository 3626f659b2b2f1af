#!/usr/bin/env bash
# make conformance: runs librdkafka's own regression suite (Debian's librdkafka 2.0.2 source,
# tests/) against a local Tributary broker, broker version 3.9.0, and writes a per-test report.
#   TESTS=0001,0002 tools/conformance.sh   runs a subset (comma-separated test numbers)
#   CONFORMANCE_TEST_TIMEOUT=900            seconds allowed per test (default 300)
#   CONFORMANCE_BROKERS=3                   (make conformance-cluster) runs against a `tributary dev`
#                                           cluster of that many combined broker+controller nodes in
#                                           racks CONFORMANCE_ZONES (default a,b,c); report in
#                                           artifacts/conformance-cluster
#   CONFORMANCE_REPORT=DIR                  where the report goes instead
#   CONFORMANCE_OVERRIDES="k=v k=v"         cluster mode: broker properties for every node (default
#                                           num.partitions=4 min.insync.replicas=1, what librdkafka's
#                                           suite expects; dev's replication factor 3 stays)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
tools/deps.sh
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
cache="${TRIBUTARY_TOOLS_DIR:-$root/.tools}/librdkafka"
src="$cache/librdkafka-2.0.2"
runner="$src/tests/test-runner"

if [ ! -x "$runner" ]; then
  echo "==> fetching and building librdkafka 2.0.2's test suite (once)"
  if ! grep -rqs "^Types: deb-src" /etc/apt/sources.list.d/ && ! grep -qs "^deb-src" /etc/apt/sources.list; then
    printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      | $SUDO tee /etc/apt/sources.list.d/tributary-deb-src.sources >/dev/null
    $SUDO apt-get update -qq
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq build-essential libssl-dev zlib1g-dev libzstd-dev liblz4-dev libsasl2-dev libcurl4-openssl-dev >/dev/null
  mkdir -p "$cache"
  (cd "$cache" && apt-get source -qq librdkafka >/dev/null 2>&1)
  (cd "$src" && ./configure --prefix=/usr/local >/dev/null && make -j"$(nproc)" libs >/dev/null && make -C tests -j"$(nproc)" build >/dev/null)
fi

dotnet build broker-image/src/Tributary.Server -c Release --verbosity quiet -nologo >/dev/null
bin="${TRIBUTARY_ARTIFACTS:-$root/artifacts}/bin/Tributary.Server/release/tributary"
data="$(mktemp -d /tmp/tributary-conformance.XXXXXX)"
port=${CONFORMANCE_PORT:-39092}
brokers=${CONFORMANCE_BROKERS:-1}
if [ "$brokers" -gt 1 ]; then
  echo "==> starting a $brokers-broker Tributary cluster (tributary dev, data in $data)"
  overrides=()
  for kv in ${CONFORMANCE_OVERRIDES:-num.partitions=4 min.insync.replicas=1}; do overrides+=(--override "$kv"); done
  "$bin" dev --brokers "$brokers" --zones "${CONFORMANCE_ZONES:-a,b,c}" --data "$data/cluster" --base-port "$port" \
    --stop-timeout-ms 15000 "${overrides[@]}" > "$data/dev.log" 2>&1 &
  broker=$!
  trap 'kill -TERM $broker 2>/dev/null || true; wait $broker 2>/dev/null || true' EXIT
  bootstrap=""
  for _ in $(seq 1 100); do
    bootstrap=$(sed -n '1s/^bootstrap\.servers=//p' "$data/dev.log")
    [ -n "$bootstrap" ] && break
    kill -0 $broker 2>/dev/null || break
    sleep 0.2
  done
  [ -n "$bootstrap" ] || { echo "tributary dev did not start:"; cat "$data/dev.log"; exit 1; }
  # Ready when the metadata lists every broker (each registered and unfenced by the controller).
  seen=0
  for _ in $(seq 1 300); do
    seen=$(kcat -b "$bootstrap" -L -m 2 2>/dev/null | sed -n 's/^ *\([0-9]*\) brokers:$/\1/p' || true)
    [ "${seen:-0}" -ge "$brokers" ] && break
    kill -0 $broker 2>/dev/null || break
    sleep 0.2
  done
  [ "${seen:-0}" -ge "$brokers" ] || { echo "cluster at $bootstrap shows ${seen:-0} of $brokers brokers:"; cat "$data/dev.log"; exit 1; }
  echo "==> $brokers brokers up at $bootstrap (broker logs in $data/cluster/node-N/broker.log)"
  report="${CONFORMANCE_REPORT:-$root/artifacts/conformance-cluster}"
else
  echo "==> starting a Tributary broker"
  cat > "$data/server.properties" <<PROPS
node.id=1
process.roles=broker,controller
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$((port + 1))
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
controller.quorum.voters=1@127.0.0.1:$((port + 1))
log.dirs=$data/logs
num.partitions=4
auto.create.topics.enable=true
offsets.topic.replication.factor=1
tributary.metrics.listener=none
# ACLs are enforced (0081's ACL admin tests, kafka-acls.sh in 0109/0115/0119); open to all until one is added.
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=true
PROPS
  "$bin" broker --config "$data/server.properties" > "$data/broker.log" 2>&1 &
  broker=$!
  trap 'kill -TERM $broker 2>/dev/null || true; wait $broker 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do kcat -b 127.0.0.1:$port -L -m 2 >/dev/null 2>&1 && break; sleep 0.2; done
  bootstrap="127.0.0.1:$port"
  report="${CONFORMANCE_REPORT:-$root/artifacts/conformance}"
fi

# Tests that shell out to Kafka's tools ($KAFKA_PATH/bin/kafka-topics.sh --bootstrap-server $BROKERS,
# kafka-acls.sh) get our Kafka-compatible wrappers, running the tributary just built.
export KAFKA_PATH="$root/tools/kafka-cli" BROKERS="$bootstrap" TRIBUTARY_BIN="$bin"

cat > "$data/test.conf" <<CONF
metadata.broker.list=$bootstrap
test.timeout.multiplier=2
test.topic.random=true
CONF

mkdir -p "$report"
echo "==> running librdkafka's broker tests (report in $report)"
cd "$src/tests"
tests="${TESTS:-$(ls 0[0-9][0-9][0-9]-*.c 0[0-9][0-9][0-9]-*.cpp 2>/dev/null | cut -c1-4 | sort -u | tr '\n' ' ')}"
: > "$report/results.tsv"
for t in ${tests//,/ }; do
  log="$report/$t.log"
  # A dead broker would fail every remaining test for a reason that is not theirs.
  kill -0 $broker 2>/dev/null || { echo "the broker exited before test $t; its logs are in $data"; exit 1; }
  if [ "$brokers" -gt 1 ] && grep -q "exited unexpectedly" "$data/dev.log"; then
    echo "a cluster node exited before test $t (see $data/dev.log):"; grep "exited unexpectedly" "$data/dev.log"; exit 1
  fi
  set +e
  TESTS=$t TEST_KAFKA_VERSION=3.9.0 RDKAFKA_TEST_CONF="$data/test.conf" LD_LIBRARY_PATH=../src:../src-cpp \
    timeout "${CONFORMANCE_TEST_TIMEOUT:-300}" ./test-runner -L -p1 -V 3.9.0 > "$log" 2>&1
  rc=$?
  set -e
  # The runner's summary table has one row per test: "| 0012_produce_consume | PASSED | 1.6s |".
  # Some numbers hold several (0045_subscribe_update, 0045_subscribe_update_mock, ...): one
  # failure fails the number, else one pass passes it (the others being skipped variants).
  states=$(sed 's/\x1b\[[0-9;]*m//g; s/\x1b(B//g' "$log" | grep -E "^\| ${t}_" | awk -F'|' '{gsub(/ /, "", $3); print $3}' || true)
  if [ $rc -eq 124 ]; then state=TIMEOUT
  elif grep -qx FAILED <<<"$states"; then state=FAILED
  elif grep -qx PASSED <<<"$states"; then state=PASSED
  elif [ -n "$states" ]; then state=$(head -1 <<<"$states")
  elif [ $rc -eq 0 ]; then state=SKIPPED
  else state=FAILED; fi
  reason=""
  # A failure's reason is the line after the runner's "### Test ... failed at ..." banner.
  [ "$state" = PASSED ] || reason=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -m1 -A1 "^### Test" | tail -1 | cut -c1-220 || true)
  [ "$state" = PASSED ] || [ -n "$reason" ] || reason=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -m1 -E "FAIL|Test failure|assert|skipping|SKIP" | cut -c1-220 || true)
  printf '%s\t%s\t%s\n' "$t" "$state" "$reason" | tee -a "$report/results.tsv"
done
echo "==> summary"
cut -f2 "$report/results.tsv" | sort | uniq -c
