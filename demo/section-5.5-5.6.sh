# "Kubernetes in Action" §5.5-5.6: readiness probes decide which pods a service sends to, and a
# headless service lets clients find the pods themselves. (§4.1's liveness probe closes it.)
# Run from manifests/ on a fresh cluster by `make demo`, and by tests/e2e/test_book.py (seeded).
. "$(dirname "$0")/step.sh"

# §5.5.2: the pods of §5.1, all answering through the service.
step kubesim create -f kubia-rc.yaml
step kubesim create -f kubia-svc.yaml
step kubesim get po
# Add a readiness probe to the pod template with `edit`, as the book does. Any editor works; here sed
# stands in for you typing the lines below the container's image.
export KUBE_EDITOR='sed -i "s|^      - image: luksa/kubia$|&\n        readinessProbe:\n          exec:\n            command: [ls, /var/ready]|"'
echo "\$ KUBE_EDITOR='$KUBE_EDITOR' kubesim edit rc kubia"
kubesim edit rc kubia
unset KUBE_EDITOR
step kubesim get rc kubia -o jsonpath='{.spec.template.spec.containers[0].readinessProbe}'
echo
# Pods keep the template they were made from: replace them to get the probe.
step kubesim get po
step kubesim delete po --all
step kubesim get po
POD=$(kubesim get po -o jsonpath='{.items[0].metadata.name}')
step kubesim exec $POD -- touch /var/ready
# The probe runs every 10 s: a moment later the pod is ready (real time works too; this is instant).
step kubesim clock advance 10s
step kubesim get po
step kubesim get ep kubia
echo '$ for x in $(seq 1 4); do kubesim exec $POD -- curl -s http://kubia; done'
for x in $(seq 1 4); do kubesim exec $POD -- curl -s http://kubia; done
OTHER=$(kubesim get po -o jsonpath='{.items[1].metadata.name}')
step kubesim describe po $OTHER
step kubesim describe ep kubia
echo "\$ kubesim get endpointslices -l kubernetes.io/service-name=kubia -o jsonpath='{range .items[0].endpoints[*]}{.addresses[0]}{\" ready=\"}{.conditions.ready}{\"\\n\"}{end}'"
kubesim get endpointslices -l kubernetes.io/service-name=kubia \
    -o jsonpath='{range .items[0].endpoints[*]}{.addresses[0]}{" ready="}{.conditions.ready}{"\n"}{end}'
step kubesim get rc kubia
# Taking the file away makes the pod unready again after three failed probes in a row.
step kubesim exec $POD -- rm /var/ready
step kubesim clock advance 20s
step kubesim get po $POD
step kubesim clock advance 10s
step kubesim get po $POD
step kubesim exec $POD -- touch /var/ready
step kubesim clock advance 10s

# §5.6.1-2: a headless service; DNS answers with the ready pods' own addresses.
step kubesim create -f kubia-svc-headless.yaml
step kubesim get svc
step kubesim run dnsutils --image=tutum/dnsutils --restart=Never --command -- sleep infinity
step kubesim exec dnsutils -- nslookup kubia-headless
step kubesim exec $OTHER -- touch /var/ready
step kubesim clock advance 10s
step kubesim exec dnsutils -- nslookup kubia-headless
step kubesim exec dnsutils -- nslookup kubia
step kubesim exec dnsutils -- dig +short kubia-headless.default.svc.cluster.local

# §5.6.3: every pod, ready or not. The book's field name does not exist; the real one does.
step kubesim create -f ../tests/book/Chapter05/kubia-svc-publish-not-ready.yaml
step kubesim create -f kubia-svc-publish-not-ready.yaml
step kubesim get ep

# §4.1 (which readiness is contrasted with): a liveness probe restarts an app that stops answering.
# kubia-unhealthy answers 200 five times, then 500; three failures in a row and the kubelet kills it.
step kubesim create -f ../tests/book/Chapter04/kubia-liveness-probe.yaml
step kubesim clock advance 80s
step kubesim get po kubia-liveness
# Node ignores SIGTERM: the container stops after the 30 s grace period, and starts again.
step kubesim clock advance 30s
step kubesim get po kubia-liveness
step kubesim describe po kubia-liveness
step kubesim clock advance 10m
step kubesim get po kubia-liveness
step kubesim get events --field-selector involvedObject.name=kubia-liveness
