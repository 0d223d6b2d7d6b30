# "Kubernetes in Action" §5.1, as the book types it with kubesim in place of kubectl.
# Run from manifests/ on a fresh cluster by `make demo`, and by tests/e2e/test_book.py (seeded).
. "$(dirname "$0")/step.sh"

step kubesim create -f kubia-svc.yaml
step kubesim get all
step kubesim create -f kubia-rc.yaml
step kubesim get po -o=custom-columns=NAME:.metadata.name
POD=$(kubesim get po -o jsonpath='{.items[0].metadata.name}')
CLUSTER_IP=$(kubesim get svc kubia -o jsonpath='{.spec.clusterIP}')
step kubesim exec $POD -- curl -s http://localhost:8080
echo '$ for x in $(seq 1 5); do kubesim exec $POD -- curl -s http://$CLUSTER_IP; done'
for x in $(seq 1 5); do kubesim exec $POD -- curl -s http://$CLUSTER_IP; done
echo '$ kubesim exec $POD curl -s http://$CLUSTER_IP   # without --'
kubesim exec $POD curl -s http://$CLUSTER_IP 2>&1 || echo "(exit code $?)"

# Session affinity: the same client always reaches the same pod.
step kubesim create -f kubia-svc-client-ip-session-affinity.yaml
echo '$ kubesim get svc kubia-clientip -o json | grep sessionAffinity'
kubesim get svc kubia-clientip -o json | grep sessionAffinity
echo '$ for x in $(seq 1 10); do kubesim exec $POD -- curl -s http://kubia-clientip; done'
for x in $(seq 1 10); do kubesim exec $POD -- curl -s http://kubia-clientip; done

# Named ports: the service refers to the pod's ports by name.
step kubesim create -f kubia-named-ports-pod.yaml
step kubesim create -f kubia-svc-named-ports.yaml
step kubesim get svc kubia-named
step kubesim get ep kubia-named
step kubesim exec $POD -- curl -s http://kubia-named
step kubesim exec $POD -- curl -sS http://kubia-named:443
step kubesim describe svc kubia-named

# expose: a service made from the RC's selector and ports.
step kubesim expose rc kubia --port=80 --target-port=8080 --name=kubia-exposed
step kubesim get svc kubia-exposed -o wide
step kubesim expose rc kubia --type=LoadBalancer --name kubia-http
step kubesim get svc kubia-http
step kubesim expose pod $POD --port=80 --dry-run=client -o yaml
step kubesim expose deploy nothing
step kubesim delete rc kubia
step kubesim get po
