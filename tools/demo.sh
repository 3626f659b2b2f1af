#!/usr/bin/env bash
# make demo: build, start a local broker, create a topic, produce and consume with kcat,
# print how to connect, and keep the broker running until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh
PORT=${DEMO_PORT:-9092}
DATA=${DEMO_DATA:-$PWD/artifacts/demo-data}
CONF=$DATA/server.properties
BIN=artifacts/bin/Tributary.Server/release/tributary
[ -n "${TRIBUTARY_ARTIFACTS:-}" ] && BIN=$TRIBUTARY_ARTIFACTS/bin/Tributary.Server/release/tributary

echo "==> building"
dotnet build broker-image/src/Tributary.Server -c Release --verbosity quiet -nologo >/dev/null
mkdir -p "$DATA/logs"
cat > "$CONF" <<PROPS
# Written by make demo: a single node that is both broker and controller.
node.id=1
process.roles=broker,controller
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$((PORT + 1))
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
controller.quorum.voters=1@127.0.0.1:$((PORT + 1))
log.dirs=$DATA/logs
num.partitions=3
offsets.topic.replication.factor=1
tributary.metrics.listener=127.0.0.1:$((PORT + 2))
PROPS

echo "==> starting broker on 127.0.0.1:$PORT (data in $DATA)"
"$BIN" broker --config "$CONF" > "$DATA/broker.log" 2>&1 &
BROKER=$!
trap 'echo; echo "==> stopping broker"; kill -TERM $BROKER 2>/dev/null; wait $BROKER 2>/dev/null; exit 0' INT TERM
for _ in $(seq 1 100); do
  kcat -b 127.0.0.1:$PORT -L -m 2 >/dev/null 2>&1 && break
  kill -0 $BROKER 2>/dev/null || { echo "broker exited:"; cat "$DATA/broker.log"; exit 1; }
  sleep 0.2
done

TOPIC=demo-orders
echo "==> producing 5 keyed records to '$TOPIC' (auto-created, 3 partitions) with kcat"
for i in 1 2 3 4 5; do echo "order-$i:{\"order\":$i,\"amount\":$((i * 10))}"; done \
  | kcat -P -b 127.0.0.1:$PORT -t $TOPIC -K: -H source=demo -z snappy
echo "==> consuming them back with kcat"
kcat -C -b 127.0.0.1:$PORT -t $TOPIC -o beginning -e -q -f 'partition %p offset %o  key=%k  value=%s  headers=%h\n'
cat <<INFO

Tributary broker is running.
  bootstrap servers : 127.0.0.1:$PORT
  metrics           : http://127.0.0.1:$((PORT + 2))/metrics
  try               : kcat -b 127.0.0.1:$PORT -L
                      echo hello | kcat -P -b 127.0.0.1:$PORT -t my-topic
                      kcat -C -b 127.0.0.1:$PORT -t my-topic -o beginning
  broker log        : $DATA/broker.log
Press Ctrl-C to stop.
INFO
wait $BROKER
