#!/bin/sh
# Builds the test actors: expands tester.wat.in into the FVM v2 (nv16–17),
# v3 (nv18–20) and v4 (nv21–28) sources — a line marked ";;vD… " belongs to
# the ABIs whose digits follow the "v" — then compiles every .wat with the
# wasm features the FVM allows (MVP + bulk memory). Run through
# `go generate ./actors/testactors` (needs /usr/bin/wat2wasm from wabt).
set -e
cd "$(dirname "$0")"
for v in 2 3 4; do
	sed -e "s/^;;v[0-9]*$v[0-9]* //" -e '/^;;v[0-9][0-9]* /d' tester.wat.in > "tester_v$v.wat"
done
for f in *.wat; do
	/usr/bin/wat2wasm --disable-multi-value --disable-reference-types --disable-simd \
		--disable-saturating-float-to-int --disable-sign-extension -o "../${f%.wat}.wasm" "$f"
done
