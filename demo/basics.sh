# A Service from manifests/, read back in kubectl's formats, changed, and deleted.
. "$(dirname "$0")/step.sh"

step kubesim get nodes
step kubesim create -f kubia-svc.yaml
step kubesim get svc
step kubesim get svc kubia -o wide
step kubesim get svc kubia -o yaml
step kubesim get svc kubia -o jsonpath='{.spec.clusterIP}{"\n"}'
step kubesim get svc -o custom-columns=NAME:.metadata.name,IP:.spec.clusterIP,PORTS:.spec.ports[*].port
step kubesim get svc -o name
step kubesim apply -f kubia-svc.yaml
step kubesim label svc kubia tier=web
step kubesim get svc --show-labels
step kubesim describe svc kubia
step kubesim clock advance 2m29s
step kubesim get svc kubia
step kubesim delete svc kubia
step kubesim get svc kubia
