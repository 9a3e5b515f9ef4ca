package testactors

import "encoding/binary"

// Probe operations (wat/probe_v4.wat): each runs one FVM v4 syscall with the
// arguments of its params. Arguments marked "off" are offsets into the
// params; ProbeData is where ProbeParams puts its data.
const (
	ProbeEmitEvent         = 1  // emit_event(entries off, n, keys off, keys len, values off, values len)
	ProbeChainRandomness   = 2  // get_chain_randomness(epoch) → 32 bytes
	ProbeBeaconRandomness  = 3  // get_beacon_randomness(epoch) → 32 bytes
	ProbeTipsetCid         = 4  // tipset_cid(epoch, buffer length) → u32 length, CID
	ProbeSelfDestruct      = 5  // self_destruct(burn), then self.root (its errno at out[124])
	ProbeBLSAggregate      = 6  // verify_bls_aggregate(n, sig off, keys off, plaintexts off, lengths off) → i32
	ProbeVerifyPoSt        = 7  // verify_post(info off, len) → i32
	ProbeBatchSeals        = 8  // batch_verify_seals(infos off, len) → one byte per seal
	ProbeAggregateSeals    = 9  // verify_aggregate_seals(info off, len) → i32
	ProbeVerifySignature   = 10 // verify_signature(type, sig off, len, addr off, len, plaintext off, len) → i32
	ProbeRecoverSecpPubKey = 11 // recover_secp_public_key(hash off, sig off) → 65 bytes
	ProbeSend              = 12 // send(to off, len, method, params off, len (0: none), value, gas limit, flags) → Send, return bytes at out[20]
	ProbeUnsealedCid       = 13 // compute_unsealed_sector_cid(proof type, pieces off, len) → u32 length, CID
)

// ProbeData is the offset of ProbeParams' data inside the params: after the
// op (8 bytes with padding) and eight u64 arguments.
const ProbeData = 72

// ProbeParams lays out the probe's params: op u32le at 0, args as u64le from
// 8, data from ProbeData. An offset argument is ProbeData + the index of the
// byte in data.
func ProbeParams(op uint32, data []byte, args ...uint64) []byte {
	if len(args) > 8 {
		panic("testactors: the probe takes at most eight arguments")
	}
	out := make([]byte, ProbeData, ProbeData+len(data))
	binary.LittleEndian.PutUint32(out, op)
	for i, a := range args {
		binary.LittleEndian.PutUint64(out[8+8*i:], a)
	}
	return append(out, data...)
}

// ProbeResult splits the probe's 132-byte return into the syscall's error
// number and its 128-byte output area (nil if ret is not a probe return).
func ProbeResult(ret []byte) (errno uint32, out []byte) {
	if len(ret) != 132 {
		return 0, nil
	}
	return binary.LittleEndian.Uint32(ret), ret[4:]
}
