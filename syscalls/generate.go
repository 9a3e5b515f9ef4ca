package syscalls

// The test actors in testdata/ are written in WAT and committed together with
// their .wasm, so `go test` needs no tool. After editing a .wat file run
// `go generate ./syscalls/` (needs wat2wasm from wabt, e.g. Debian's package).
//
//go:generate sh -c "for f in testdata/*.wat; do wat2wasm $DOLLAR{f} -o $DOLLAR{f%.wat}.wasm || exit 1; done"
