#!/usr/bin/env bash
# Creates the interception CA: the reference AKS + mitmproxy setup's generate-cert.sh, done right.
#
#   scripts/generate-cert.sh                     CA in the project's certs/ (where `tollgate run` looks)
#   scripts/generate-cert.sh DIR [ca init flags] CA in DIR, e.g. --cn "Acme egress CA" --key ec256
#
# The blog's script ran openssl by hand (a key, a self-signed certificate, a combined PEM for
# mitmproxy) and printed the certificate in base64 for the cluster. `tollgate ca init` does the
# same in one step, with a proper CA certificate (basicConstraints CA:true, keyCertSign), keys
# written 0600, and no overwrite of an existing CA without --force. Its files map to the
# blog's as follows:
#
#   blog / mitmproxy               Tollgate (DIR/)    what it is
#   cert.key                       ca.key             the CA private key (PKCS#8 PEM, 0600)
#   cert.crt, mitmproxy-ca-cert.pem  ca.pem           the CA certificate: what clients trust
#   mitmproxy-ca.pem               ca-combined.pem    key + certificate in one PEM (`run --ca`)
#   (none)                         ca.p12             the same as PKCS#12
#   base64 -w0 of the certificate  last line printed  the cluster's trustedCa value
#
# An existing mitmproxy CA needs no conversion: `tollgate run --ca mitmproxy-ca.pem` loads it.
set -euo pipefail

script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
root=$(cd -- "$script_dir/.." && pwd -P)

# A relative DIR is the caller's (scripts/tollgate takes it so too); made absolute here so the
# lines printed below name the files wherever they are read.
if (($# >= 1)); then
    dir=$1
    [[ $dir == /* ]] || dir=$PWD/$dir
else
    dir=$root/certs
fi

"$script_dir/tollgate" ca init --dir "$dir" "${@:2}"

echo
echo "For the cluster's HTTP proxy config (or let \`tollgate aks-config --ca $dir/ca.pem\` write the file):"
printf '"trustedCa": "%s"\n' "$("$script_dir/tollgate" ca export --dir "$dir" --format base64)"
