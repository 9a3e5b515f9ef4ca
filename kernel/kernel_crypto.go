package kernel

import (
	"fmt"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/crypto"
	"github.com/filecoin-project/go-state-types/proof"
	"github.com/ipfs/go-cid"

	fvmcrypto "github.com/gofvm/gofvm/kernel/crypto"
	"github.com/gofvm/gofvm/kernel/errno"
	"github.com/gofvm/gofvm/syscalls"
)

// VerifySignature: type check, charge, then resolve a non-key signer
// through its account state (v2), or reject it (Rules.KeySignersOnly).
// Invalid signatures are (false, nil), not errors.
func (k *invocationKernel) VerifySignature(sigType int32, sig []byte, signer address.Address, plaintext []byte) (bool, error) {
	if sigType != fvmcrypto.SigTypeSecp256k1 && sigType != fvmcrypto.SigTypeBLS {
		return false, errno.New(errno.IllegalArgument, "unknown signature type %d", sigType)
	}
	c, err := k.cm.p.OnVerifySignature(crypto.SigType(sigType), len(plaintext))
	if err != nil {
		return false, err
	}
	if err := k.cm.charge(c); err != nil {
		return false, err
	}
	key := signer
	if !k.cm.rules.KeySignersOnly {
		var err error
		if key, err = k.resolveKeyAddress(signer, true); err != nil {
			return false, err
		}
	} else if signer.Protocol() != address.SECP256K1 && signer.Protocol() != address.BLS {
		return false, errno.New(errno.IllegalArgument, "signer must be a key address")
	}
	return fvmcrypto.VerifySignature(sigType, sig, key, plaintext)
}

// VerifyBLSAggregate is crypto.verify_bls_aggregate (FVM v4, FIP-0079,
// fvm-abi-next.md §3.3 steps 6–8): OnVerifyBlsAggregateSignature on the
// signers and the plaintext bytes as sliced, then the plaintexts are split
// by their lengths (an overrun or a remainder is IllegalArgument), then the
// aggregate is checked; an invalid one is (false, nil).
func (k *invocationKernel) VerifyBLSAggregate(sig, pubKeys []byte, lens []uint32, plaintexts []byte) (bool, error) {
	if len(pubKeys) != len(lens)*fvmcrypto.BLSPublicKeyLen {
		return false, errno.New(errno.IllegalArgument, "%d bls keys for %d plaintexts", len(pubKeys)/fvmcrypto.BLSPublicKeyLen, len(lens))
	}
	c, err := k.cm.p.OnVerifyBlsAggregateSignature(len(lens), len(plaintexts))
	if err != nil {
		return false, err
	}
	if err := k.cm.charge(c); err != nil {
		return false, err
	}
	msgs := make([][]byte, len(lens))
	keys := make([][]byte, len(lens))
	off := 0
	for i, n := range lens {
		if int(n) > len(plaintexts)-off {
			return false, errno.New(errno.IllegalArgument, "bls plaintext %d out of bounds", i)
		}
		msgs[i] = plaintexts[off : off+int(n)]
		keys[i] = pubKeys[i*fvmcrypto.BLSPublicKeyLen : (i+1)*fvmcrypto.BLSPublicKeyLen]
		off += int(n)
	}
	if off != len(plaintexts) {
		return false, errno.New(errno.IllegalArgument, "bls plaintexts use %d of %d bytes", off, len(plaintexts))
	}
	return fvmcrypto.VerifyBLSAggregate(sig, keys, msgs), nil
}

// RecoverSecpPublicKey: charge, then recover (failure → IllegalArgument).
func (k *invocationKernel) RecoverSecpPublicKey(hash [32]byte, sig [65]byte) ([65]byte, error) {
	if err := k.cm.charge(k.cm.p.OnRecoverSecpPublicKey()); err != nil {
		return [65]byte{}, err
	}
	pk, err := fvmcrypto.RecoverSecpPublicKey(hash, sig)
	if err != nil {
		return [65]byte{}, errno.New(errno.IllegalArgument, "public key recovery failed: %v", err)
	}
	return pk, nil
}

// Hash: Skyr prices any code (charged before the code is checked); Hygge
// has no price for an unsupported code, which then costs just the syscall
// (gas.Rules.HashAfterValidation).
func (k *invocationKernel) Hash(code uint64, data []byte) ([]byte, error) {
	c, ok := k.cm.p.OnHashing(code, len(data))
	if !ok {
		return nil, errno.New(errno.IllegalArgument, "unsupported hash code %#x", code)
	}
	if err := k.cm.charge(c); err != nil {
		return nil, err
	}
	d, ok := fvmcrypto.Hash(code, data)
	if !ok {
		return nil, errno.New(errno.IllegalArgument, "unsupported hash code %#x", code)
	}
	return d, nil
}

// ComputeUnsealedSectorCid computes CommD over the pieces. The seal proof
// id only gives the sector size: a Synthetic PoRep id (Rules.SyntheticPoRep)
// computes as the V1P1 id of its size (fvm_shared sector_size at
// fvm@v3.14.1).
func (k *invocationKernel) ComputeUnsealedSectorCid(pt abi.RegisteredSealProof, pieces []abi.PieceInfo) (cid.Cid, error) {
	class, ok := k.cm.rules.SealSizeClass(pt)
	if !ok {
		return cid.Undef, errno.New(errno.IllegalArgument, "invalid registered seal proof %d", pt)
	}
	if err := k.cm.charge(k.cm.p.OnComputeUnsealedSectorCid(pt, pieces)); err != nil {
		return cid.Undef, err
	}
	sized := abi.RegisteredSealProof(5 + class) // StackedDRG…V1P1 of the same sector size
	c, err := fvmcrypto.ComputeUnsealedSectorCID(sized, pieces)
	if err != nil {
		return cid.Undef, errno.New(errno.IllegalArgument, "computing unsealed sector cid: %v", err)
	}
	return c, nil
}

func (k *invocationKernel) verifier() (ProofVerifier, error) {
	v := k.cm.m.cfg.verifier
	if v == nil {
		return nil, fvmcrypto.ErrNoProofVerifier
	}
	return v, nil
}

// proofAnswer maps a verifier answer: errors (and panics) → IllegalArgument.
func proofAnswer(f func() (bool, error)) (ok bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			ok, err = false, errno.New(errno.IllegalArgument, "proof verification panicked: %v", r)
		}
	}()
	ok, err = f()
	if err != nil {
		if _, isErrno := errno.Of(err); !isErrno {
			err = errno.New(errno.IllegalArgument, "%v", err)
		}
		return false, err
	}
	return ok, nil
}

// VerifySeal: OnVerifySeal, then the verifier.
func (k *invocationKernel) VerifySeal(info *proof.SealVerifyInfo) (bool, error) {
	if err := k.cm.charge(k.cm.p.OnVerifySeal()); err != nil {
		return false, err
	}
	v, err := k.verifier()
	if err != nil {
		return false, err
	}
	return proofAnswer(func() (bool, error) { return v.VerifySeal(info) })
}

// VerifyPost: 117,680,921 + 43,780 per challenged sector, then the checks
// of windowPoStInfo, then the verifier.
func (k *invocationKernel) VerifyPost(info *proof.WindowPoStVerifyInfo) (bool, error) {
	if err := k.cm.charge(k.cm.p.OnVerifyPost(info)); err != nil {
		return false, err
	}
	info, err := k.windowPoStInfo(info)
	if err != nil {
		return false, err
	}
	v, err := k.verifier()
	if err != nil {
		return false, err
	}
	return proofAnswer(func() (bool, error) { return v.VerifyPoSt(info) })
}

// windowPoStInfo applies the FVM's own rules to a Window PoSt before the
// proofs library sees it (fvm-abi-next.md §7.14): the calibnet fix-up
// (Rules.CalibnetPoStFixup); with Rules.PoStConsistency at least one proof,
// every proof of the first one's type, and every challenged sector's seal
// proof fitting that type (Rules.WindowPoStMatchesSeal); and every proof
// type one the version accepts (V1 with PoStV1, V1P1 with PoStV1P1). Any
// failure is IllegalArgument. The info is copied before it is changed.
func (k *invocationKernel) windowPoStInfo(info *proof.WindowPoStVerifyInfo) (*proof.WindowPoStVerifyInfo, error) {
	r := k.cm.rules
	cfg := k.cm.m.cfg
	if r.CalibnetPoStFixup && cfg.chainID == calibnetChainID && cfg.epoch <= calibnetPoStFixupEpoch &&
		len(info.Proofs) > 0 && info.Proofs[0].PoStProof == abi.RegisteredPoStProof_StackedDrgWindow32GiBV1_1 {
		fixed := *info
		fixed.Proofs = append([]proof.PoStProof(nil), info.Proofs...)
		fixed.Proofs[0].PoStProof = abi.RegisteredPoStProof_StackedDrgWindow32GiBV1
		info = &fixed
	}
	if r.PoStConsistency {
		if len(info.Proofs) == 0 {
			return nil, errno.New(errno.IllegalArgument, "no window post proofs")
		}
		typ := info.Proofs[0].PoStProof
		for _, p := range info.Proofs {
			if p.PoStProof != typ {
				return nil, errno.New(errno.IllegalArgument, "all proof types must be the same (found both %d and %d)", typ, p.PoStProof)
			}
		}
		for _, s := range info.ChallengedSectors {
			if !r.WindowPoStMatchesSeal(typ, s.SealProof) {
				return nil, errno.New(errno.IllegalArgument, "sector %d: seal proof %d does not fit window post %d", s.SectorNumber, s.SealProof, typ)
			}
		}
	}
	for _, p := range info.Proofs {
		if !r.WindowPoStAccepted(p.PoStProof) {
			return nil, errno.New(errno.IllegalArgument, "window post proof type %d not accepted", p.PoStProof)
		}
	}
	return info, nil
}

// The calibnet fix-up's chain id and last epoch (fvm-abi-next.md §7.14).
const (
	calibnetChainID        = 314159
	calibnetPoStFixupEpoch = 498_691
)

// VerifyAggregateSeals: per-proof × n + step(n); zero infos → IllegalArgument.
func (k *invocationKernel) VerifyAggregateSeals(agg *proof.AggregateSealVerifyProofAndInfos) (bool, error) {
	if err := k.cm.charge(k.cm.p.OnVerifyAggregateSeals(agg)); err != nil {
		return false, err
	}
	if len(agg.Infos) == 0 {
		return false, errno.New(errno.IllegalArgument, "no seal verification infos")
	}
	v, err := k.verifier()
	if err != nil {
		return false, err
	}
	return proofAnswer(func() (bool, error) { return v.VerifyAggregateSeals(agg) })
}

// VerifyReplicaUpdate: flat charge, then the verifier.
func (k *invocationKernel) VerifyReplicaUpdate(rep *proof.ReplicaUpdateInfo) (bool, error) {
	if err := k.cm.charge(k.cm.p.OnVerifyReplicaUpdate()); err != nil {
		return false, err
	}
	v, err := k.verifier()
	if err != nil {
		return false, err
	}
	return proofAnswer(func() (bool, error) { return v.VerifyReplicaUpdate(rep) })
}

// BatchVerifySeals: OnVerifySeal per entry, all before verifying
// (Rules.BatchVerifySealCharges; free in v2). A seal that errors is false.
func (k *invocationKernel) BatchVerifySeals(infos []proof.SealVerifyInfo) ([]bool, error) {
	if k.cm.rules.BatchVerifySealCharges {
		for range infos {
			if err := k.cm.charge(k.cm.p.OnVerifySeal()); err != nil {
				return nil, err
			}
		}
	}
	out := make([]bool, len(infos))
	v, err := k.verifier()
	if err != nil {
		return out, nil
	}
	res, err := func() (r []bool, err error) {
		defer func() {
			if p := recover(); p != nil {
				r, err = nil, fmt.Errorf("panic: %v", p)
			}
		}()
		return v.BatchVerifySeals(infos)
	}()
	if err == nil && len(res) == len(infos) {
		copy(out, res)
	}
	return out, nil
}

// VerifyConsensusFault: charge, then the extern (error → IllegalArgument);
// a fault whose target is not an ID address is fatal.
func (k *invocationKernel) VerifyConsensusFault(h1, h2, extra []byte) (*syscalls.ConsensusFault, error) {
	if err := k.cm.charge(k.cm.p.OnVerifyConsensusFault()); err != nil {
		return nil, err
	}
	ext := k.cm.m.cfg.externs
	if ext == nil {
		return nil, errno.New(errno.IllegalArgument, "no externs configured")
	}
	f, err := ext.VerifyConsensusFault(h1, h2, extra)
	if err != nil {
		return nil, errno.New(errno.IllegalArgument, "verify consensus fault: %v", err)
	}
	if f == nil {
		return nil, nil
	}
	id, err := address.IDFromAddress(f.Target)
	if err != nil {
		return nil, fatalf("consensus fault target %s is not an ID address", f.Target)
	}
	return &syscalls.ConsensusFault{Epoch: f.Epoch, Target: abi.ActorID(id), Type: uint32(f.Type)}, nil
}
