#!/usr/bin/env bash
# End-to-end check on a real Kubernetes (k3d: k3s in Docker), for users with Docker. It does what a
# platform team does: install the chart, apply a 3-zone KafkaCluster and a Topic, wait for Ready,
# produce and consume with kcat from a pod, then kill a broker pod and check the cluster recovers.
#
#   tests/e2e/k3d.sh            run everything, delete the k3d cluster at the end
#   KEEP=1 tests/e2e/k3d.sh     keep the cluster for poking around (kubectl config use-context k3d-tributary-e2e)
#
# Needs: docker, k3d, kubectl, helm (or tools/helm.sh). Images are built locally and imported into
# k3d, so nothing is pushed. Offline builds: see tools/build-base-image.sh.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cluster=${CLUSTER:-tributary-e2e}
version=${VERSION:-0.1.0}
broker_image="ghcr.io/tributary/tributary:$version"
operator_image="ghcr.io/tributary/tributary-operator:$version"
ns=kafka
helm=${HELM:-$(command -v helm || echo "$root/tools/helm.sh")}
kubectl="kubectl --context k3d-$cluster"

step() { printf '\n==> %s\n' "$*"; }
fail() { echo "FAILED: $*" >&2; $kubectl get kafkaclusters,topics,pods,pvc -A -o wide >&2 || true; exit 1; }

for tool in docker k3d kubectl; do
  command -v "$tool" >/dev/null || { echo "k3d.sh needs $tool" >&2; exit 2; }
done

cleanup() {
  if [ "${KEEP:-0}" != 1 ]; then
    k3d cluster delete "$cluster" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

step "Building images"
docker build -f "$root/broker-image/Dockerfile" -t "$broker_image" "$root"
docker build -f "$root/operator/Dockerfile" -t "$operator_image" "$root"

step "Creating k3d cluster $cluster: one server and two agents, one zone each"
k3d cluster delete "$cluster" >/dev/null 2>&1 || true
k3d cluster create "$cluster" --agents 2 --wait \
  --k3s-node-label "topology.kubernetes.io/zone=zone-a@server:0" \
  --k3s-node-label "topology.kubernetes.io/zone=zone-b@agent:0" \
  --k3s-node-label "topology.kubernetes.io/zone=zone-c@agent:1"
$kubectl get nodes -L topology.kubernetes.io/zone

step "Importing images into the cluster"
k3d image import -c "$cluster" "$broker_image" "$operator_image"

step "Installing the operator chart"
$helm --kube-context "k3d-$cluster" install tributary "$root/charts/tributary-operator" \
  --namespace tributary-system --create-namespace \
  --set image.tag="$version" --set image.pullPolicy=Never --set brokerImage.tag="$version" \
  --wait --timeout 3m
$kubectl -n tributary-system rollout status deployment -l app.kubernetes.io/name=tributary-operator --timeout=2m

step "Applying the 3-zone KafkaCluster and the Topic"
$kubectl create namespace "$ns" --dry-run=client -o yaml | $kubectl apply -f -
# The example targets AWS (eu-west-1a/b/c zones, gp3 volumes); here the zones are zone-a/b/c and
# volumes come from k3s' local-path provisioner. Everything else is applied as shipped.
sed -e 's/eu-west-1a/zone-a/; s/eu-west-1b/zone-b/; s/eu-west-1c/zone-c/' \
    -e 's/storageClassName: gp3/storageClassName: local-path/' \
    -e 's/size: 100Gi/size: 1Gi/' -e 's/cpu: 1$/cpu: 100m/' -e 's/memory: 4Gi/memory: 1Gi/g' \
    "$root/examples/kafkacluster-3az.yaml" | $kubectl apply -f -
$kubectl apply -f "$root/examples/topic.yaml"

step "Waiting for the cluster and the topic to be Ready"
$kubectl -n "$ns" wait --for=condition=Ready kafkacluster/orders --timeout=10m || fail "KafkaCluster not Ready"
$kubectl -n "$ns" wait --for=condition=Ready topic/orders-events --timeout=5m || fail "Topic not Ready"
$kubectl -n "$ns" get kafkaclusters,topics
for zone in zone-a zone-b zone-c; do
  node=$($kubectl -n "$ns" get pod -l tributary.dev/zone="$zone",app.kubernetes.io/instance=orders -o jsonpath='{.items[0].spec.nodeName}')
  actual=$($kubectl get node "$node" -o jsonpath='{.metadata.labels.topology\.kubernetes\.io/zone}')
  [ "$actual" = "$zone" ] || fail "broker of $zone runs on $node in $actual"
done

bootstrap=$($kubectl -n "$ns" get kafkacluster orders -o jsonpath='{.status.bootstrapServers}')
topic=Orders_Events
kcat() {
  # A throwaway pod with kcat (from Debian's kafkacat package), talking to the in-cluster bootstrap Service.
  $kubectl -n "$ns" run "kcat-$1" --rm -i --restart=Never --quiet --image=debian:bookworm-slim --command -- \
    bash -c "apt-get update -qq >/dev/null && apt-get install -y -qq kafkacat >/dev/null && $2"
}

step "Producing and consuming with kcat via $bootstrap"
messages=$(printf 'order-%s\n' $(seq 1 100))
kcat produce "printf '%s\n' $(echo $messages) | kafkacat -b $bootstrap -t $topic -P -X acks=all" || fail "produce"
consumed=$(kcat consume "kafkacat -b $bootstrap -t $topic -C -o beginning -c 100 -e -q -f '%s\n'" | sort -V)
[ "$consumed" = "$messages" ] || fail "consumed records differ from produced ones"
echo "100 records round-tripped"

step "Deleting a broker pod and checking recovery"
victim=orders-zone-b-0
claim_uid=$($kubectl -n "$ns" get pvc "data-$victim" -o jsonpath='{.metadata.uid}')
$kubectl -n "$ns" delete pod "$victim" --wait=false
$kubectl -n "$ns" wait --for=condition=Ready=false kafkacluster/orders --timeout=1m || true
$kubectl -n "$ns" wait --for=condition=Ready pod/"$victim" --timeout=5m || fail "$victim not back"
$kubectl -n "$ns" wait --for=condition=Ready kafkacluster/orders --timeout=5m || fail "cluster not Ready after the broker restart"
[ "$($kubectl -n "$ns" get pvc "data-$victim" -o jsonpath='{.metadata.uid}')" = "$claim_uid" ] || fail "the broker's volume claim was replaced"
consumed=$(kcat consume2 "kafkacat -b $bootstrap -t $topic -C -o beginning -c 100 -e -q -f '%s\n'" | sort -V)
[ "$consumed" = "$messages" ] || fail "records lost after the broker restart"

step "e2e passed"
