// Package actors owns the state tree (StateRoot v4/v5, the actors HAMT,
// actor records), address resolution through the init actor, the
// builtin-actors manifest and bundle loading (CAR, lotus .tar.zst). It never
// runs wasm.
package actors
