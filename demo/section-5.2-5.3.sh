# "Kubernetes in Action" §5.2-5.3: services outside the cluster, and the cluster's services from outside.
# Run from manifests/ on a fresh cluster by `make demo`, and by tests/e2e/test_book.py (seeded).
. "$(dirname "$0")/step.sh"

# §5.2.1-2: a service without a selector, and Endpoints written by hand.
step kubesim create -f kubia-rc.yaml
step kubesim create -f external-service.yaml
step kubesim create -f external-service-endpoints.yaml
step kubesim get svc external-service
step kubesim get ep external-service
POD=$(kubesim get po -o jsonpath='{.items[0].metadata.name}')
# Nothing answers on the internet until you say what is there: the book's addresses time out.
step kubesim exec $POD -- curl -sS --connect-timeout 5 http://external-service
echo "\$ kubesim world add 11.11.11.11 --body 'Hello from 11.11.11.11'"
kubesim world add 11.11.11.11 --body 'Hello from 11.11.11.11'
echo "\$ kubesim world add 22.22.22.22 --body 'Hello from 22.22.22.22'"
kubesim world add 22.22.22.22 --body 'Hello from 22.22.22.22'
step kubesim world list
echo '$ for x in $(seq 1 4); do kubesim exec $POD -- curl -s http://external-service; done'
for x in $(seq 1 4); do kubesim exec $POD -- curl -s http://external-service; done
step kubesim describe svc external-service

# §5.2.3: an ExternalName service is a DNS CNAME.
step kubesim delete svc external-service
step kubesim create -f external-service-externalname.yaml
step kubesim get svc external-service
echo "\$ kubesim world add api.somecompany.com --ip 33.33.33.33 --body '{\"company\":\"somecompany\"}'"
kubesim world add api.somecompany.com --ip 33.33.33.33 --body '{"company":"somecompany"}'
step kubesim run dnsutils --image=tutum/dnsutils --command -- sleep infinity
step kubesim exec dnsutils -- nslookup external-service
step kubesim exec $POD -- curl -s http://external-service
step kubesim describe svc external-service

# §5.3.1: a NodePort service, reached on a node's address from your machine (kubesim curl).
step kubesim create -f kubia-svc-nodeport.yaml
step kubesim get svc kubia-nodeport
step kubesim curl -s http://192.168.49.2:30123
step kubesim exec $POD -- curl -s http://192.168.49.2:30123
# From outside, cluster IPs and pod IPs do not exist.
CLUSTER_IP=$(kubesim get svc kubia-nodeport -o jsonpath='{.spec.clusterIP}')
echo '$ kubesim curl -sS --connect-timeout 3 http://$CLUSTER_IP'
kubesim curl -sS --connect-timeout 3 http://$CLUSTER_IP 2>&1 || echo "(exit code $?)"
echo '$ sed s/kubia-nodeport/kubia-nodeport2/ kubia-svc-nodeport.yaml | kubesim create -f -'
sed s/kubia-nodeport/kubia-nodeport2/ kubia-svc-nodeport.yaml | kubesim create -f - 2>&1 || echo "(exit code $?)"
step kubesim describe svc kubia-nodeport

# §5.3.2: a LoadBalancer service: <pending> until the load balancer is provisioned (30 s).
step kubesim create -f kubia-svc-loadbalancer.yaml
step kubesim get svc kubia-loadbalancer
step kubesim clock advance 30s
step kubesim get svc kubia-loadbalancer
LB_IP=$(kubesim get svc kubia-loadbalancer -o jsonpath='{.status.loadBalancer.ingress[0].ip}')
echo '$ for x in $(seq 1 3); do kubesim curl -s http://$LB_IP; done'
for x in $(seq 1 3); do kubesim curl -s http://$LB_IP; done
step kubesim describe svc kubia-loadbalancer

# The book's cluster: three GKE nodes with ExternalIPs, and you on the internet.
echo '$ kubesim cluster reset --profile gke'
kubesim cluster reset --profile gke | sed "s|$KUBESIM_HOME|\$KUBESIM_HOME|"
step kubesim get nodes -o wide
echo "\$ kubesim get nodes -o jsonpath='{.items[*].status.addresses[?(@.type==\"ExternalIP\")].address}'"
kubesim get nodes -o jsonpath='{.items[*].status.addresses[?(@.type=="ExternalIP")].address}'
echo
step kubesim create -f kubia-rc.yaml
step kubesim get po -o wide
step kubesim create -f kubia-svc-nodeport.yaml
step kubesim curl -s http://130.211.97.55:30123
step kubesim curl -s http://130.211.99.206:30123
# The internal addresses are private to the cloud network.
step kubesim curl -sS --connect-timeout 3 http://10.128.0.2:30123

# §5.3.3: externalTrafficPolicy: Local. Only nodes with a kubia pod answer; the app sees your address.
step kubesim scale rc kubia --replicas=2
step kubesim get po -o wide
step kubesim create -f kubia-svc-nodeport-onlylocal.yaml
step kubesim curl -sS --connect-timeout 3 http://130.211.97.55:30124
step kubesim curl -s http://130.211.99.206:30124
step kubesim curl -sS --connect-timeout 3 http://130.211.101.12:30124
# Who does the app see? echoserver prints the client address it got.
step kubesim run echo --image=registry.k8s.io/echoserver:1.4 --port=8080 --labels=app=echo
step kubesim expose pod echo --type=NodePort --port=80 --target-port=8080 --name=echo
NODE_PORT=$(kubesim get svc echo -o jsonpath='{.spec.ports[0].nodePort}')
echo '$ kubesim curl -s http://130.211.97.55:$NODE_PORT | grep client_address   # Cluster: SNAT to a node'
kubesim curl -s http://130.211.97.55:$NODE_PORT | grep client_address
echo '$ kubesim expose pod echo --type=NodePort --port=80 --target-port=8080 --name=echo-local -o yaml --dry-run=client | sed "s/type: NodePort/type: NodePort\n  externalTrafficPolicy: Local/" | kubesim create -f -'
kubesim expose pod echo --type=NodePort --port=80 --target-port=8080 --name=echo-local -o yaml --dry-run=client |
    sed "s/type: NodePort/type: NodePort\n  externalTrafficPolicy: Local/" | kubesim create -f -
NODE=$(kubesim get po echo -o jsonpath='{.spec.nodeName}')
NODE_IP=$(kubesim get node $NODE -o jsonpath='{.status.addresses[?(@.type=="ExternalIP")].address}')
LOCAL_PORT=$(kubesim get svc echo-local -o jsonpath='{.spec.ports[0].nodePort}')
echo '$ kubesim curl -s http://$NODE_IP:$LOCAL_PORT | grep client_address   # Local: your own address'
kubesim curl -s http://$NODE_IP:$LOCAL_PORT | grep client_address
step kubesim describe svc echo-local
