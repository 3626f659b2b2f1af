#!/usr/bin/env bash
# make demo: build, start a local 3-broker cluster spread over zones a, b and c with
# `tributary dev`, create a replicated topic, produce and consume with kcat, show where
# its replicas are, print how to connect, and keep the cluster running until Ctrl-C.
# DEMO_BROKERS (3), DEMO_PORT (9092, the first broker; controllers on +100, metrics on +200)
# and DEMO_DATA change the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh
PORT=${DEMO_PORT:-9092}
BROKERS=${DEMO_BROKERS:-3}
DATA=${DEMO_DATA:-$PWD/artifacts/demo-cluster}
BIN=artifacts/bin/Tributary.Server/release/tributary
[ -n "${TRIBUTARY_ARTIFACTS:-}" ] && BIN=$TRIBUTARY_ARTIFACTS/bin/Tributary.Server/release/tributary

echo "==> building"
dotnet build broker-image/src/Tributary.Server -c Release --verbosity quiet -nologo >/dev/null
mkdir -p "$DATA"

echo "==> starting $BROKERS brokers in zones a,b,c (data in $DATA)"
OUT=$DATA/dev.out
"$BIN" dev --brokers "$BROKERS" --zones a,b,c --data "$DATA" --base-port "$PORT" > "$OUT" 2>&1 &
DEV=$!
trap 'echo; echo "==> stopping the cluster"; kill -TERM $DEV 2>/dev/null; wait $DEV 2>/dev/null; exit 0' INT TERM
BOOTSTRAP=""
for _ in $(seq 1 150); do
  kill -0 $DEV 2>/dev/null || { echo "tributary dev exited:"; cat "$OUT"; exit 1; }
  BOOTSTRAP=$(sed -n '1s/^bootstrap.servers=//p' "$OUT")
  if [ -n "$BOOTSTRAP" ] && [ "$(kcat -b "$BOOTSTRAP" -L -m 2 2>/dev/null | grep -c '^  broker ')" -ge "$BROKERS" ]; then
    break
  fi
  sleep 0.2
done
FIRST=${BOOTSTRAP%%,*}

TOPIC=demo-orders
echo "==> producing 5 keyed records to '$TOPIC' (auto-created: 3 partitions, replication factor $((BROKERS < 3 ? BROKERS : 3))) with kcat, acks=all"
for i in 1 2 3 4 5; do echo "order-$i:{\"order\":$i,\"amount\":$((i * 10))}"; done \
  | kcat -P -b "$BOOTSTRAP" -t $TOPIC -K: -H source=demo -z snappy -X request.required.acks=-1
echo "==> where the replicas are"
kcat -b "$BOOTSTRAP" -L -t $TOPIC | sed -n '/topic "/,$p'
echo "==> consuming them back with kcat"
kcat -C -b "$BOOTSTRAP" -t $TOPIC -o beginning -e -q -f 'partition %p offset %o  key=%k  value=%s  headers=%h\n'
cat <<INFO

Tributary cluster is running: $BROKERS brokers, racks a, b, c, a Raft metadata quorum.
  bootstrap servers : $BOOTSTRAP
  metrics           : http://127.0.0.1:$((PORT + 200))/metrics (one port per broker from there)
  try               : kcat -b $FIRST -L
                      echo hello | kcat -P -b $BOOTSTRAP -t my-topic -X request.required.acks=-1
                      kcat -C -b $BOOTSTRAP -t my-topic -o beginning
  failover          : kill -9 one broker's pid (see $OUT), then kcat -b $BOOTSTRAP -L -t $TOPIC
  logs              : $DATA/node-<id>/broker.log
Press Ctrl-C to stop.
INFO
wait $DEV
