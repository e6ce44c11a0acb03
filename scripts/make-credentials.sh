#!/usr/bin/env bash
# Throwaway-grade credentials for one deployment, with openssl: a private CA, one EC P-256 certificate for every mmupt
# process (server and client auth; names: the Kubernetes Services and compose services, localhost, 127.0.0.1) and a
# random bearer token. Files: OUT/{ca.crt,ca.key,tls.crt,tls.key,token}; ca.key stays with you, the rest is the
# mmupt-credentials Secret (deploy/k8s/credentials.example.yaml).
#   scripts/make-credentials.sh OUT [EXTRA_DNS_NAME...]     (valid 365 days; DAYS=N to change)
set -euo pipefail
out=${1:?usage: make-credentials.sh OUT [EXTRA_DNS_NAME...]}; shift
days=${DAYS:-365}
mkdir -p "$out"; umask 077
names=(localhost mmupt-voting mmupt-rollout mmupt-learner mmupt-learner-0.mmupt-learner "$@")
for n in mmupt-voting mmupt-rollout mmupt-learner; do names+=("$n.mmupt.svc" "$n.mmupt.svc.cluster.local"); done
san=$(printf 'DNS:%s,' "${names[@]}")IP:127.0.0.1
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days "$days" -subj "/CN=mmupt CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$out/ca.key" -out "$out/ca.crt" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=mmupt" -keyout "$out/tls.key" -out "$out/tls.csr" 2>/dev/null
openssl x509 -req -in "$out/tls.csr" -CA "$out/ca.crt" -CAkey "$out/ca.key" -CAcreateserial -days "$days" -out "$out/tls.crt" \
  -extfile <(printf 'subjectAltName=%s\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\n' "$san") 2>/dev/null
rm -f "$out/tls.csr" "$out/ca.srl"
openssl rand -hex 32 > "$out/token"
echo "credentials in $out (names: ${names[*]})"
echo "kubectl -n mmupt create secret generic mmupt-credentials --from-file=token=$out/token --from-file=ca.crt=$out/ca.crt --from-file=tls.crt=$out/tls.crt --from-file=tls.key=$out/tls.key"
