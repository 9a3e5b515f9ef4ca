// Package gas owns the milligas tracker, the price lists per network version
// and GasOutputs (fvm-gas.md §1, §2, §5; fvm-gas-next.md §1, §2).
//
// There are four lists, each the previous one plus named changes, checked at
// init: SKYR (nv16–17, FVM v2), HYGGE (nv18–20, FVM v3), WATERMELON (nv21–24,
// FVM v4) and TEEP (nv25–28). Package rules decides which list a network
// version uses; ByName returns one by name.
//
// # Calling it from the kernel
//
// The kernel never needs to know which list it holds. Every charge method
// exists on every list and takes every input any list prices (bytes, links,
// lookback, entries, keys, values); the list decides the amount, the
// compute/other split and the trace name. The result says what to do:
//
//   - Charge: apply it (an amount of 0 still appears in traces);
//   - (Charge, bool): ok = false means nothing is charged in this case on
//     this list, and nothing appears in traces;
//   - (Charge, error): an error wrapping ErrNoSuchCharge means the list has
//     no such charge — the caller reached a syscall step that its network
//     version's ABI does not have, which is a bug in the caller; an errno
//     error is the syscall error the sheets give (signature type, tipset
//     offset).
//
// A few methods written before WATERMELON cannot take the input it needs;
// there they return an unpriced Charge, which Tracker.Apply refuses with an
// ErrNoSuchCharge error (Charge.Err says so before applying):
// OnGetRandomness (use OnGetRandomnessLookback), OnActorEventValidate and
// OnActorEventAccept (use OnActorEvent). The shorter forms OnMethodInvocation,
// OnBlockOpenPerByte and OnBlockCreate price params or blocks without links
// and stay exact for those on every list.
//
// Create the message's tracker with NewTrackerFor(list, limit): SKYR keeps
// signed gas, later lists unsigned gas in which a saturated charge (a
// lookback for a future epoch) never fits.
//
// # What to call, per syscall
//
// In the order charged; "—" means nothing is charged (the method's ok is
// false, or the step does not exist on that list). Every syscall first
// charges OnSyscall; amounts are whole gas, n bytes, L links.
//
//	step                        method                           SKYR          HYGGE                   WATERMELON, TEEP
//	message inclusion           OnChainMessage(L)                85,663+1300L  560,663+1300L           = HYGGE
//	send, value ≠ 0             OnValueTransfer                  —             6,000                   = HYGGE
//	send / invoke               OnMethodInvocationLinks(v,m,L)   v2 formula    75,000 if m ≠ 0         75,000+300L if m ≠ 0
//	return, depth d             OnMethodReturn(d,n,L)            d=1: 1300n    d=1: 1300n, else —      d=1: 1300n, else 300L
//	instantiation               WasmTableInit, WasmMemoryInit    —             0.4/byte, 3.2/element   = HYGGE
//	actor lookup / update       OnActorLookup, OnActorUpdate     —             500,000 / 475,000       = HYGGE
//	self.root                   OnActorGetRoot                   —             —                       300
//	self.set_root               OnActorSetRoot (then update)     —             —                       300
//	self.self_destruct          OnDeleteActor                    −98,800       0                       0
//	ipld.block_open             OnBlockOpenBase                  135,617       187,440                 187,740
//	                            NewScanMeter … Charge()          —             —                       35/field + 400/CID
//	                            OnBlockOpen(n,L)                 10.5n         10n                     max(10n, 2.4n+300L)
//	ipld.block_create           NewScanMeter … Charge()          —             —                       35/field + 400/CID
//	                            OnBlockCreateLinks(n,L)          10.5n         10n                     max(10n, 2.4n+300L)
//	ipld.block_read             OnBlockRead(n)                   0.5n          0.4n                    = HYGGE
//	ipld.block_stat             OnBlockStat                      0             0                       0
//	ipld.block_link             OnBlockLink(n)                   353,640+1301n 506,000+3,352.4n        506,300+3,352.4n
//	event.emit_event            OnActorEventValidate(n),         error         1,750+27.4n,            error
//	                            OnActorEventAccept(n)                          15.2(n+12)
//	                            OnActorEvent(E,K,V)              error         error                   fvm-gas-next §4.1
//	rand.get_*_randomness       OnGetRandomnessLookback(e,lb)    21,000        21,000+10(e+48)         146,200+75·lb
//	network.tipset_cid          OnTipsetCid(offset)              error         50,000 / 215,000        146,200+75·offset
//	crypto.verify_signature     OnVerifySignature(t,n)           flat          flat + per byte         = HYGGE
//	crypto.verify_bls_aggregate OnVerifyBlsAggregateSignature    error         error                   8,299,302(N+1)+7P
//	crypto.hash                 OnHashing(code,n)                31,355        per byte by code        = HYGGE
//	crypto.recover_secp_…       OnRecoverSecpPublicKey           1,637,292     1,637,292               = HYGGE
//	crypto.batch_verify_seals   OnVerifySeal, once per seal      2,000         2,000                   2,000; TEEP 42,000,000
//	crypto.verify_aggregate_…   OnVerifyAggregateSeals           per type      per type                TEEP: NI-PoRep rows
//	crypto.verify_post          OnVerifyPost                     117,680,921 + 43,780 per sector, every list and type
//	crypto.verify_replica_…     OnVerifyReplicaUpdate            36,316,136    36,316,136              = HYGGE
//	crypto.verify_consensus_…   OnVerifyConsensusFault           516,422       516,422 (other)         = HYGGE
//	crypto.compute_unsealed_…   OnComputeUnsealedSectorCid       98,647        98,647                  = HYGGE
//	lookups, contexts, balance  OnResolveAddress, OnBalanceOf, … 0             0                       0
//
// Where the sheets are silent the reference's fvm/src/gas/price_list.rs
// (fvm@v2.12.1, fvm@v3.14.1, fvm@v4.8.2) decides.
package gas
