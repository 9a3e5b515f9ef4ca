#!/bin/sh
# Compiles the compute kernels with the wasm features the FVM allows (MVP +
# bulk memory). Run through `go generate` in bench/wasmtime (needs wabt's
# wat2wasm at /usr/bin).
set -e
cd "$(dirname "$0")"
for f in *.wat; do
	/usr/bin/wat2wasm --disable-multi-value --disable-reference-types --disable-simd \
		--disable-saturating-float-to-int --disable-sign-extension -o "${f%.wat}.wasm" "$f"
done
