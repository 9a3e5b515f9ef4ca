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
	// 3.6.0 and later abort at once when the charge runs out of gas
	// (Rules.TipsetCidChargeAborts); 3.1.0 ignored it: the tracker was
	// pinned at the limit and the next charge failed (fvm-gas.md §7 item 14).
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

// GetChainRandomness: OnGetRandomness, then the extern's chain digest
// (error → IllegalArgument), then the kernel's blake2b step.
func (k *invocationKernel) GetChainRandomness(tag int64, epoch abi.ChainEpoch, entropy []byte) ([32]byte, error) {
	return k.randomness(tag, epoch, entropy, fvmcrypto.ChainRandomness)
}

// GetBeaconRandomness is the beacon counterpart.
func (k *invocationKernel) GetBeaconRandomness(tag int64, epoch abi.ChainEpoch, entropy []byte) ([32]byte, error) {
	return k.randomness(tag, epoch, entropy, fvmcrypto.BeaconRandomness)
}

func (k *invocationKernel) randomness(tag int64, epoch abi.ChainEpoch, entropy []byte,
	f func(fvmcrypto.Externs, int64, abi.ChainEpoch, []byte) ([32]byte, error)) ([32]byte, error) {
	if err := k.cm.charge(k.cm.p.OnGetRandomness(len(entropy))); err != nil {
		return [32]byte{}, err
	}
	ext := k.cm.m.cfg.externs
	if ext == nil {
		return [32]byte{}, errno.New(errno.IllegalArgument, "no externs configured")
	}
	r, err := f(ext, tag, epoch, entropy)
	if err != nil {
		return [32]byte{}, errno.New(errno.IllegalArgument, "randomness: %v", err)
	}
	return r, nil
}
