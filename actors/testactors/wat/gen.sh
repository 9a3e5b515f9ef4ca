#!/bin/sh
# Builds the test actors: expands tester.wat.in into the nv17 (FVM v2 ABI)
# and nv18 (FVM v3 ABI) sources, then compiles every .wat with the wasm
# features the FVM allows (MVP + bulk memory). Run through
# `go generate ./actors/testactors` (needs /usr/bin/wat2wasm from wabt).
set -e
cd "$(dirname "$0")"
sed -e 's/^;;v2 //' -e '/^;;v3 /d' tester.wat.in > tester_v2.wat
sed -e 's/^;;v3 //' -e '/^;;v2 /d' tester.wat.in > tester_v3.wat
for f in *.wat; do
	/usr/bin/wat2wasm --disable-multi-value --disable-reference-types --disable-simd \
		--disable-saturating-float-to-int --disable-sign-extension -o "../${f%.wat}.wasm" "$f"
done
