# "Kubernetes in Action" §5.1.2: discovering services through environment variables and DNS.
. "$(dirname "$0")/step.sh"

step kubesim create -f kubia-rc.yaml
step kubesim create -f kubia-svc.yaml
POD=$(kubesim get po -o jsonpath='{.items[0].metadata.name}')
CLUSTER_IP=$(kubesim get svc kubia -o jsonpath='{.spec.clusterIP}')
# Pods that started before the service have no KUBIA_* variables ...
step kubesim exec $POD -- env
step kubesim delete po --all
POD=$(kubesim get po -o jsonpath='{.items[0].metadata.name}')
# ... the replacements do.
step kubesim exec $POD -- env
step kubesim exec $POD -- curl -s http://kubia.default.svc.cluster.local
step kubesim exec $POD -- curl -s http://kubia.default
step kubesim exec $POD -- curl -s http://kubia
step kubesim exec $POD -- cat /etc/resolv.conf
step kubesim exec $POD -- ping -c 3 kubia
PEER_IP=$(kubesim get po -o jsonpath='{.items[1].status.podIP}')
step kubesim exec $POD -- ping -c 2 $PEER_IP
step kubesim exec $POD -- curl -sS http://nonexistent
step kubesim run dnsutils --image=tutum/dnsutils --command -- sleep infinity
step kubesim exec dnsutils -- nslookup kubia
step kubesim exec dnsutils -- nslookup kubia.default.svc.cluster.local
step kubesim exec dnsutils -- dig +short kubia.default.svc.cluster.local
step kubesim exec dnsutils -- nslookup nothere
echo '$ printf "hostname\ncurl -s http://kubia\nexit\n" | kubesim exec -i $POD -- bash'
printf 'hostname\ncurl -s http://kubia\nexit\n' | kubesim exec -i $POD -- bash 2>&1
echo '$ kubesim exec $POD -- sh -c "for i in \$(seq 1 1000); do curl -s http://kubia; done | sort | uniq -c"'
kubesim exec $POD -- sh -c 'for i in $(seq 1 1000); do curl -s http://kubia; done | sort | uniq -c'
