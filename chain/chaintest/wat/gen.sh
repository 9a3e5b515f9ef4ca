#!/bin/sh
# Builds the test chain's actors: each *.wat.in becomes an nv17 (FVM v2 ABI)
# and an nv18 (FVM v3 ABI) module, compiled with the features the FVM allows
# (MVP + bulk memory). Run through `go generate ./chain/chaintest` (needs
# /usr/bin/wat2wasm from wabt).
set -e
cd "$(dirname "$0")"
for f in *.wat.in; do
	n="${f%.wat.in}"
	sed -e 's/^;;v2 //' -e '/^;;v3 /d' "$f" > "$n"_v2.wat
	sed -e 's/^;;v3 //' -e '/^;;v2 /d' "$f" > "$n"_v3.wat
done
for f in *_v2.wat *_v3.wat; do
	/usr/bin/wat2wasm --disable-multi-value --disable-reference-types --disable-simd \
		--disable-saturating-float-to-int --disable-sign-extension -o "../${f%.wat}.wasm" "$f"
done
rm -f *_v2.wat *_v3.wat
