package kernel

import (
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/ipfs/go-cid"

	fvmcrypto "github.com/gofvm/gofvm/kernel/crypto"
	"github.com/gofvm/gofvm/kernel/errno"
	"github.com/gofvm/gofvm/syscalls"
)

// BaseFee is nv17 network.base_fee.
func (k *invocationKernel) BaseFee() (abi.TokenAmount, error) {
	return tokenU128(k.cm.m.cfg.baseFee, "base fee")
}

// TotalFilCircSupply is the client-supplied circulating supply.
func (k *invocationKernel) TotalFilCircSupply() (abi.TokenAmount, error) {
	return tokenU128(k.cm.m.cfg.circSupply, "circulating supply")
}

// NetworkContext is nv18 network.context (OnNetworkContext, 0 gas).
func (k *invocationKernel) NetworkContext() (syscalls.NetworkContext, error) {
	if err := k.cm.charge(k.cm.p.OnNetworkContext()); err != nil {
		return syscalls.NetworkContext{}, err
	}
	bf, err := tokenU128(k.cm.m.cfg.baseFee, "base fee")
	if err != nil {
		return syscalls.NetworkContext{}, err
	}
	c := k.cm.m.cfg
	return syscalls.NetworkContext{Epoch: c.epoch, Timestamp: c.timestamp, BaseFee: bf, ChainID: c.chainID,
		NetworkVersion: k.cm.rules.NetworkVersion}, nil
}

// finality is the lookback limit of network.tipset_cid (Rules.TipsetCidFinality).
const finality = 900

// TipsetCid is network.tipset_cid of the v3 ABI (fvm-abi.md §3.2 network,
// fvm-abi-next.md §3.3): epoch < 0, offset ≤ 0 and (Rules.TipsetCidFinality)
// offset ≥ 900 are IllegalArgument before any charge; then OnTipsetCid, the
// extern (an error is fatal) and the CID.
func (k *invocationKernel) TipsetCid(epoch abi.ChainEpoch) (cid.Cid, error) {
	if epoch < 0 {
		return cid.Undef, errno.New(errno.IllegalArgument, "epoch is negative")
	}
	offset := int64(k.cm.m.cfg.epoch - epoch)
	if offset < 0 {
		return cid.Undef, errno.New(errno.IllegalArgument, "epoch %d is in the future", epoch)
	}
	if offset == 0 {
		return cid.Undef, errno.New(errno.IllegalArgument, "cannot lookup the tipset cid for the current epoch")
	}
	if k.cm.rules.TipsetCidFinality && offset >= finality {
		return cid.Undef, errno.New(errno.IllegalArgument, "epoch %d is too far in the past", epoch)
	}
	charge, err := k.cm.p.OnTipsetCid(offset)
	if err != nil {
		return cid.Undef, err
	}
	// FVM 3.1.0 ignored this charge's failure (the tracker is pinned at the
	// limit and the next charge fails, fvm-gas.md §7 item 14); from 3.6.0 it
	// aborts at once (Rules.TipsetCidChargeAborts, fvm-abi-next.md §3.3).
	if err := k.cm.charge(charge); err != nil && k.cm.rules.TipsetCidChargeAborts {
		return cid.Undef, err
	}
	ext := k.cm.m.cfg.externs
	if ext == nil {
		return cid.Undef, fatalf("no externs configured")
	}
	c, err := ext.TipsetCid(epoch)
	if err != nil {
		return cid.Undef, fatalf("tipset cid for epoch %d: %v", epoch, err)
	}
	return c, nil
}

// GetChainRandomness is rand.get_chain_randomness of FVM v2 and v3: the
// value drawn from the client's chain digest for epoch.
func (k *invocationKernel) GetChainRandomness(tag int64, epoch abi.ChainEpoch, entropy []byte) ([32]byte, error) {
	return k.randomness(false, tag, epoch, entropy)
}

// GetBeaconRandomness is the beacon counterpart.
func (k *invocationKernel) GetBeaconRandomness(tag int64, epoch abi.ChainEpoch, entropy []byte) ([32]byte, error) {
	return k.randomness(true, tag, epoch, entropy)
}

// GetChainRandomnessDigest is rand.get_chain_randomness of FVM v4
// (FIP-0075): the client's chain digest for epoch, unchanged.
func (k *invocationKernel) GetChainRandomnessDigest(epoch abi.ChainEpoch) ([32]byte, error) {
	return k.randomness(false, 0, epoch, nil)
}

// GetBeaconRandomnessDigest is the beacon counterpart.
func (k *invocationKernel) GetBeaconRandomnessDigest(epoch abi.ChainEpoch) ([32]byte, error) {
	return k.randomness(true, 0, epoch, nil)
}

// randomness serves both randomness syscalls of every ABI.
//
// With Rules.RandomnessDigest (FIP-0075, fvm-abi-next.md §3.3, §6.1): the
// lookback is the current epoch minus epoch, and only an overflowing
// subtraction is IllegalArgument; OnGetRandomness prices the lookback read as
// unsigned, so a future epoch saturates and runs out of gas; the extern's
// digest (error → IllegalArgument) is returned unchanged.
//
// Without it: OnGetRandomness, the extern's digest (error →
// IllegalArgument), then the kernel draws blake2b-256(tag ‖ digest ‖ epoch
// ‖ entropy) (fvm-abi.md §3.2 rand).
func (k *invocationKernel) randomness(beacon bool, tag int64, epoch abi.ChainEpoch, entropy []byte) ([32]byte, error) {
	digestOnly := k.cm.rules.RandomnessDigest
	var lookback int64
	if digestOnly {
		cur := int64(k.cm.m.cfg.epoch)
		lookback = cur - int64(epoch)
		if (int64(epoch) < 0 && lookback < cur) || (int64(epoch) > 0 && lookback > cur) {
			return [32]byte{}, errno.New(errno.IllegalArgument, "randomness epoch %d overflows the lookback", epoch)
		}
	}
	if err := k.cm.charge(k.cm.p.OnGetRandomnessLookback(len(entropy), lookback)); err != nil {
		return [32]byte{}, err
	}
	ext := k.cm.m.cfg.externs
	if ext == nil {
		return [32]byte{}, errno.New(errno.IllegalArgument, "no externs configured")
	}
	digest := ext.ChainDigest
	if beacon {
		digest = ext.BeaconDigest
	}
	d, err := digest(epoch)
	if err != nil {
		return [32]byte{}, errno.New(errno.IllegalArgument, "randomness: %v", err)
	}
	if digestOnly {
		return d, nil
	}
	return fvmcrypto.DeriveRandomness(tag, d, int64(epoch), entropy), nil
}
