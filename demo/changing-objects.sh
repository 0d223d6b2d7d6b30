# Objects changed in place (edit, patch, replace) and waited for (wait, rollout status).
. "$(dirname "$0")/step.sh"

step kubesim create -f kubia-rc.yaml
step kubesim create -f kubia-svc.yaml
KUBE_EDITOR="sed -i 's/^  replicas: 3$/  replicas: 4/'" step kubesim edit rc kubia
step kubesim get rc kubia
step kubesim patch svc kubia -p '{"spec":{"sessionAffinity":"ClientIP"}}'
step kubesim patch svc kubia -p '{"spec":{"sessionAffinity":"ClientIP"}}'
step kubesim patch rc kubia --type=json -p '[{"op":"replace","path":"/spec/replicas","value":3}]'
step kubesim patch rc kubia --type=json -p '[{"op":"test","path":"/spec/replicas","value":5}]'
step kubesim replace -f kubia-svc.yaml
step kubesim wait --for=condition=Ready pods -l app=kubia --timeout=10s
step kubesim delete rc kubia
step kubesim create -f kubia-deployment.yaml
step kubesim rollout status deployment/kubia
step kubesim patch deployment kubia -p '{"spec":{"template":{"spec":{"containers":[{"name":"nodejs","image":"luksa/kubia:v2"}]}}}}'
step kubesim rollout status deployment/kubia
step kubesim rollout history deployment/kubia
step kubesim get rs
