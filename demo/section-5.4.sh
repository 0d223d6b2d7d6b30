# "Kubernetes in Action" §5.4: exposing services through an Ingress, with ingress-nginx as minikube runs it.
# Run from manifests/ on a fresh cluster by `make demo`, and by tests/e2e/test_book.py (seeded).
. "$(dirname "$0")/step.sh"

# The book's manifest is extensions/v1beta1, which a current cluster no longer serves.
step kubesim create -f ../tests/book/Chapter05/kubia-ingress.yaml

# §5.4.1: an Ingress needs an ingress controller; on minikube it is the ingress addon.
step kubesim addons enable ingress
step kubesim get po -n ingress-nginx
step kubesim get svc -n ingress-nginx
step kubesim get ingressclass

# §5.4.1: an Ingress for the kubia pods (manifests/kubia-ingress.yaml is the book's, on networking.k8s.io/v1).
step kubesim create -f kubia-rc.yaml
step kubesim create -f kubia-svc-nodeport.yaml
step kubesim create -f kubia-ingress.yaml
step kubesim get ing
step kubesim describe ing kubia

# §5.4.2: the controller answers on the node's address; the Host header picks the rule.
echo "\$ kubesim curl -s -H 'Host: kubia.example.com' http://192.168.49.2"
kubesim curl -s -H 'Host: kubia.example.com' http://192.168.49.2
step kubesim curl -s --resolve kubia.example.com:80:192.168.49.2 http://kubia.example.com
# The book adds "192.168.49.2 kubia.example.com" to /etc/hosts; kubesim hosts is your machine's hosts file.
step kubesim hosts add 192.168.49.2 kubia.example.com foo.example.com
step kubesim curl -s http://kubia.example.com
POD=$(kubesim get po -l app=kubia -o jsonpath='{.items[0].metadata.name}')
echo "\$ kubesim exec \$POD -- curl -s -H 'Host: kubia.example.com' http://192.168.49.2"
kubesim exec $POD -- curl -s -H 'Host: kubia.example.com' http://192.168.49.2
# A host no rule names: the controller's default backend.
step kubesim curl -si http://192.168.49.2/

# §5.4.3: several paths, then several hosts, on one Ingress.
step kubesim delete ing kubia
step kubesim run foo --image=registry.k8s.io/echoserver:1.4 --port=8080 --labels=app=foo
step kubesim expose pod foo --port=80 --target-port=8080
step kubesim create -f kubia-ingress-paths.yaml
step kubesim curl -s http://kubia.example.com/kubia
# echoserver prints what reached it: the controller's own address and the headers it added.
step kubesim curl -s http://kubia.example.com/foo/bar
echo
step kubesim curl -si http://kubia.example.com/
step kubesim create -f kubia-ingress-hosts.yaml
step kubesim get ing
step kubesim describe ing kubia-hosts
step kubesim curl -s http://kubia.example.com
# A rule whose service has no ready endpoint: 503.
step kubesim delete po foo
step kubesim curl -si http://foo.example.com

# §5.4.4: TLS. The book's self-signed certificate (openssl req -new -x509 ... -subj /CN=kubia.example.com).
step kubesim delete ing kubia-paths kubia-hosts
step kubesim create secret tls tls-secret --cert=tls.cert --key=tls.key
step kubesim get secret tls-secret
step kubesim create secret tls other-secret --cert=tls.key --key=tls.cert
step kubesim create -f kubia-ingress-tls.yaml
step kubesim get ing
step kubesim describe ing kubia
step kubesim curl -sS https://kubia.example.com
step kubesim curl -sk https://kubia.example.com
step kubesim curl -kv https://kubia.example.com/kubia
# Plain HTTP to a TLS host is redirected; -L follows it.
step kubesim curl -si http://kubia.example.com/
step kubesim curl -skL http://kubia.example.com/
# A name no tls entry lists gets the controller's fake certificate.
echo "\$ kubesim curl -kv https://foo.example.com 2>&1 | grep -E '^\*  (subject|issuer|start|expire)'"
kubesim curl -kv https://foo.example.com 2>&1 | grep -E '^\*  (subject|issuer|start|expire)'
