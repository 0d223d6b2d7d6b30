# "Kubernetes in Action" §5.7: troubleshooting services. kubesim diagnose walks the book's checklist,
# kubesim trace shows the path one request takes, kubesim graph draws the whole picture.
. "$(dirname "$0")/step.sh"

step kubesim create -f kubia-rc.yaml
step kubesim create -f kubia-svc.yaml
POD=$(kubesim get po -o jsonpath='{.items[0].metadata.name}')
CLUSTER_IP=$(kubesim get svc kubia -o jsonpath='{.spec.clusterIP}')
# The checklist on a healthy service: every check passes, exit code 0.
step kubesim diagnose svc kubia
# Don't ping the service IP: it is virtual, nothing answers ICMP there.
step kubesim exec $POD -- ping -c 1 -W 1 $CLUSTER_IP
# Connect from within the cluster; follow the request hop by hop.
step kubesim trace $POD http://kubia
step kubesim trace $POD http://$CLUSTER_IP
PEER_IP=$(kubesim get po -o jsonpath='{.items[1].status.podIP}')
step kubesim trace $POD http://$PEER_IP:8080
# The port exposed by the service, not the target port.
step kubesim trace $POD http://kubia:8080
# From outside the cluster, a cluster IP does not exist.
step kubesim trace --from-outside http://$CLUSTER_IP

# A selector typo: the service selects app=kubai.
step kubesim delete svc kubia
step kubesim create -f ../tests/diagnose/broken/selector-typo.yaml
step kubesim get endpoints kubia
step kubesim diagnose svc kubia
step kubesim trace $POD http://kubia
step kubesim graph

# Fixed: the same service with the right selector.
step kubesim delete svc kubia
step kubesim create -f kubia-svc.yaml
# Clients in another namespace must say kubia.default.
step kubesim diagnose svc kubia --from-namespace kube-public
step kubesim create -f kubia-svc-nodeport.yaml
step kubesim trace --from-outside http://192.168.49.2:30123
step kubesim graph
step kubesim graph -o dot
