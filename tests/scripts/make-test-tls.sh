#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Makes the TLS files of the tests (tests/data/tls), for tests only:
#
#   make-test-tls.sh [DIR]   writes DIR/ca.pem (a throwaway CA), DIR/server.pem (a server
#                            certificate for 127.0.0.1 and localhost, signed by that CA) and
#                            DIR/server.key (its private key, unencrypted). DIR defaults to
#                            tests/data/tls next to this script. Both certificates are valid
#                            for 100 years. Needs the openssl command.
#
# The CA's private key is thrown away, so nothing else can ever be signed with it; the server
# key is public (it is in the repository): trust ca.pem nowhere but in a test.
set -euo pipefail

readonly DAYS=36500
dir=${1:-"$(cd "$(dirname "$0")/.." && pwd)/data/tls"}
mkdir -p "$dir"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days "$DAYS" \
    -subj "/O=Sluice tests/CN=Sluice test CA (tests only, never trust)" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null

openssl req -newkey rsa:2048 -nodes -sha256 -subj "/O=Sluice tests/CN=127.0.0.1" \
    -keyout "$work/server.key" -out "$work/server.csr" 2>/dev/null
cat >"$work/server.ext" <<'EXT'
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
EXT
openssl x509 -req -sha256 -days "$DAYS" -in "$work/server.csr" \
    -CA "$work/ca.pem" -CAkey "$work/ca.key" -set_serial "0x$(openssl rand -hex 8)" \
    -extfile "$work/server.ext" -out "$work/server.pem" 2>/dev/null

# The server certificate must verify against the CA before anything is replaced.
openssl verify -CAfile "$work/ca.pem" "$work/server.pem" >/dev/null
cp "$work/ca.pem" "$work/server.pem" "$work/server.key" "$dir/"
chmod 644 "$dir/ca.pem" "$dir/server.pem" "$dir/server.key"
