// Package actors owns the state tree (StateRoot v4/v5, the actors HAMT,
// actor records), address resolution through the init actor, the
// builtin-actors manifest and bundle loading (CAR, lotus .tar.zst). It never
// runs wasm.
//
// Entry points:
//   - LoadStateTree / NewStateTree → *StateTree: GetActor, SetActor,
//     DeleteActor, LookupID, RegisterNewAddress, Begin/EndTransaction, Flush
//     (fvm-abi.md §6.6, §8.2–§8.5);
//   - ManifestFromState / LoadManifest → *Manifest: builtin type ids,
//     code CIDs, singleton and account checks (fvm-abi.md §8.1);
//   - LoadBundle / LoadBundleFile / LoadBundleDir and Bundles: verified
//     bundle loading and code CID → wasm lookup (conformance.md §1.6);
//   - NewActorAddressV2 / NextActorAddressV3: f2 derivation (fvm-abi.md §6.7).
package actors
