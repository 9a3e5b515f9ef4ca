package syscalls

import (
	"context"
	"fmt"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/proof"
	"github.com/tetratelabs/wazero/api"

	"github.com/gofvm/gofvm/kernel/errno"
)

// crypto family (fvm-abi.md §3.2 "crypto"). Ours: the signature-type and
// seal-proof-type checks, slices, address and CBOR decoding, output bounds,
// digest truncation, result encoding. Kernel's: charges (including the
// nv17/nv18 OnHashing order), unknown hash codes, verification, and the
// "zero infos" rule of verify_aggregate_seals.

var (
	errSigType   = errno.New(errno.IllegalArgument, "unknown signature type")
	errProofType = errno.New(errno.IllegalArgument, "invalid proof type")
)

// boolResult writes 0 (valid) or −1 (invalid) as the i32 at ret.
func boolResult(inv *Invocation, ret uint32, ok bool, err error) uint64 {
	if err == nil {
		v := int32(-1)
		if ok {
			v = 0
		}
		inv.mem.WriteUint32Le(ret, uint32(v))
	}
	return inv.finish(err)
}

// crypto.verify_signature(ret, sig_type, sig_off, sig_len, addr_off,
// addr_len, plaintext_off, plaintext_len) → i32 0/−1.
func cryptoVerifySignature(ctx context.Context, _ api.Module, stack []uint64) {
	ret := uint32(stack[0])
	inv := enter(ctx, ret, 4)
	if inv == nil {
		stack[0] = badRetPtr
		return
	}
	sigType := uint32(stack[1])
	var ok bool
	err := error(nil)
	if sigType != 1 && sigType != 2 { // secp256k1, BLS
		err = errSigType
	}
	var sig, plaintext []byte
	if err == nil {
		sig, err = inv.slice(uint32(stack[2]), uint32(stack[3]))
	}
	if err == nil {
		signer, e := inv.readAddress(uint32(stack[4]), uint32(stack[5]))
		err = e
		if err == nil {
			if plaintext, err = inv.slice(uint32(stack[6]), uint32(stack[7])); err == nil {
				ok, err = inv.k.VerifySignature(int32(sigType), sig, signer, plaintext)
			}
		}
	}
	stack[0] = boolResult(inv, ret, ok, err)
}

// BLS sizes of verify_bls_aggregate (compressed G2 signature, G1 keys).
const (
	blsSignatureLen = 96
	blsPublicKeyLen = 48
)

// crypto.verify_bls_aggregate(ret, num_signers, sig_off, pub_keys_off,
// plaintexts_off, plaintext_lens_off) → i32 0/−1, FVM v4 (FIP-0079,
// fvm-abi-next.md §3.3 steps 1–5): num_signers × 48 in u32 (overflow →
// IllegalArgument), then the 96-byte signature, the keys, the u32le lengths
// and the plaintexts (as many bytes as the lengths add up to, summed in u32
// as the reference does, wrapping), each IllegalArgument when out of bounds;
// the kernel charges, splits and verifies.
func cryptoVerifyBLSAggregate(ctx context.Context, _ api.Module, stack []uint64) {
	ret := uint32(stack[0])
	inv := enter(ctx, ret, 4)
	if inv == nil {
		stack[0] = badRetPtr
		return
	}
	n := uint32(stack[1])
	var ok bool
	var err error
	keysLen := uint64(n) * blsPublicKeyLen
	if keysLen > 1<<32-1 {
		err = errBLSSigners
	}
	var sig, keys, lensRaw, plaintexts []byte
	if err == nil {
		sig, err = inv.slice(uint32(stack[2]), blsSignatureLen)
	}
	if err == nil {
		keys, err = inv.slice(uint32(stack[3]), uint32(keysLen))
	}
	if err == nil {
		lensRaw, err = inv.slice(uint32(stack[5]), n*4)
	}
	var lens []uint32
	if err == nil {
		lens = make([]uint32, n)
		var total uint32
		for i := range lens {
			lens[i] = le.Uint32(lensRaw[4*i:])
			total += lens[i]
		}
		plaintexts, err = inv.slice(uint32(stack[4]), total)
	}
	if err == nil {
		ok, err = inv.k.VerifyBLSAggregate(sig, keys, lens, plaintexts)
	}
	stack[0] = boolResult(inv, ret, ok, err)
}

var errBLSSigners = errno.New(errno.IllegalArgument, "too many bls signers")

// crypto.recover_secp_public_key(ret, hash_off, sig_off) → [65]byte.
func cryptoRecoverSecpPublicKey(ctx context.Context, _ api.Module, stack []uint64) {
	ret := uint32(stack[0])
	inv := enter(ctx, ret, 65)
	if inv == nil {
		stack[0] = badRetPtr
		return
	}
	var hash [32]byte
	var sig [65]byte
	h, err := inv.slice(uint32(stack[1]), 32)
	if err == nil {
		copy(hash[:], h)
		var s []byte
		if s, err = inv.slice(uint32(stack[2]), 65); err == nil {
			copy(sig[:], s)
			var pub [65]byte
			if pub, err = inv.k.RecoverSecpPublicKey(hash, sig); err == nil {
				inv.mem.Write(ret, pub[:])
			}
		}
	}
	stack[0] = inv.finish(err)
}

// crypto.hash(ret, code, data_off, data_len, digest_off, digest_len) → bytes
// written. Digest bounds → data slice → kernel → truncating copy.
func cryptoHash(ctx context.Context, _ api.Module, stack []uint64) {
	ret := uint32(stack[0])
	inv := enter(ctx, ret, 4)
	if inv == nil {
		stack[0] = badRetPtr
		return
	}
	code := stack[1]
	dOff, dLen := uint32(stack[4]), uint32(stack[5])
	err := inv.checkBounds(dOff, dLen)
	if err == nil {
		var data []byte
		if data, err = inv.slice(uint32(stack[2]), uint32(stack[3])); err == nil {
			var digest []byte
			if digest, err = inv.k.Hash(code, data); err == nil {
				out, _ := inv.mem.Read(dOff, dLen)
				n := copy(out, digest)
				inv.mem.WriteUint32Le(ret, uint32(n))
			}
		}
	}
	stack[0] = inv.finish(err)
}

// crypto.compute_unsealed_sector_cid(ret, proof_type, pieces_off,
// pieces_len, cid_off, cid_len) → CID length. Proof type → CBOR → output
// bounds → kernel → write.
func cryptoComputeUnsealedSectorCid(ctx context.Context, _ api.Module, stack []uint64) {
	ret := uint32(stack[0])
	inv := enter(ctx, ret, 4)
	if inv == nil {
		stack[0] = badRetPtr
		return
	}
	pt := int64(stack[1])
	cOff, cLen := uint32(stack[4]), uint32(stack[5])
	var err error
	// RegisteredSealProof::from(i64): an id the version does not know is
	// Invalid, refused before anything else (fvm-abi-next.md §7.14).
	if !inv.k.Rules().SealProofKnown(abi.RegisteredSealProof(pt)) {
		err = errProofType
	}
	var pieces pieceInfos
	if err == nil {
		err = inv.readCBOR(uint32(stack[2]), uint32(stack[3]), &pieces)
	}
	if err == nil {
		err = inv.checkBounds(cOff, cLen)
	}
	if err == nil {
		var c cidT
		if c, err = inv.k.ComputeUnsealedSectorCid(abi.RegisteredSealProof(pt), pieces); err == nil {
			err = inv.writeCIDRet(c, cOff, cLen, ret)
		}
	}
	stack[0] = inv.finish(err)
}

// verifier is the shape of verify_seal, verify_post, verify_aggregate_seals
// and verify_replica_update: (ret, off, len) → i32 0/−1 after decoding T.
func verifier[T any, P interface {
	*T
	decodable
}](verify func(Kernel, *T) (bool, error)) api.GoModuleFunc {
	return func(ctx context.Context, _ api.Module, stack []uint64) {
		ret := uint32(stack[0])
		inv := enter(ctx, ret, 4)
		if inv == nil {
			stack[0] = badRetPtr
			return
		}
		var v T
		var ok bool
		err := inv.readCBOR(uint32(stack[1]), uint32(stack[2]), P(&v))
		if err == nil {
			ok, err = verify(inv.k, &v)
		}
		stack[0] = boolResult(inv, ret, ok, err)
	}
}

var (
	cryptoVerifySeal = verifier[proof.SealVerifyInfo](func(k Kernel, v *proof.SealVerifyInfo) (bool, error) {
		return k.VerifySeal(v)
	})
	cryptoVerifyPost = verifier[proof.WindowPoStVerifyInfo](func(k Kernel, v *proof.WindowPoStVerifyInfo) (bool, error) {
		return k.VerifyPost(v)
	})
	cryptoVerifyAggregateSeals = verifier[proof.AggregateSealVerifyProofAndInfos](func(k Kernel, v *proof.AggregateSealVerifyProofAndInfos) (bool, error) {
		return k.VerifyAggregateSeals(v)
	})
	cryptoVerifyReplicaUpdate = verifier[replicaUpdateInfo](func(k Kernel, v *replicaUpdateInfo) (bool, error) {
		return k.VerifyReplicaUpdate(&v.ReplicaUpdateInfo)
	})
)

// crypto.verify_consensus_fault(ret, h1_off, h1_len, h2_off, h2_len,
// extra_off, extra_len) → VerifyConsensusFault{epoch i64, target u64, fault u32}.
func cryptoVerifyConsensusFault(ctx context.Context, _ api.Module, stack []uint64) {
	ret := uint32(stack[0])
	inv := enter(ctx, ret, 20)
	if inv == nil {
		stack[0] = badRetPtr
		return
	}
	h1, err := inv.slice(uint32(stack[1]), uint32(stack[2]))
	var h2, extra []byte
	if err == nil {
		h2, err = inv.slice(uint32(stack[3]), uint32(stack[4]))
	}
	if err == nil {
		extra, err = inv.slice(uint32(stack[5]), uint32(stack[6]))
	}
	if err == nil {
		var f *ConsensusFault
		if f, err = inv.k.VerifyConsensusFault(h1, h2, extra); err == nil {
			var buf [20]byte
			if f != nil {
				le.PutUint64(buf[0:], uint64(f.Epoch))
				le.PutUint64(buf[8:], uint64(f.Target))
				le.PutUint32(buf[16:], f.Type)
			}
			inv.mem.Write(ret, buf[:])
		}
	}
	stack[0] = inv.finish(err)
}

// crypto.batch_verify_seals(batch_off, batch_len, result_off). CBOR →
// result slice of one byte per entry → kernel → 1/0 bytes.
func cryptoBatchVerifySeals(ctx context.Context, _ api.Module, stack []uint64) {
	inv := enter(ctx, 0, 0)
	var batch sealVerifyInfos
	err := inv.readCBOR(uint32(stack[0]), uint32(stack[1]), &batch)
	var out []byte
	if err == nil {
		out, err = inv.slice(uint32(stack[2]), uint32(len(batch)))
	}
	if err == nil {
		var res []bool
		if res, err = inv.k.BatchVerifySeals(batch); err == nil {
			if len(res) != len(batch) {
				inv.fatal(fmt.Errorf("expected one result per input: %d != %d", len(batch), len(res)))
			}
			for i, ok := range res {
				out[i] = 0
				if ok {
					out[i] = 1
				}
			}
		}
	}
	stack[0] = inv.finish(err)
}
