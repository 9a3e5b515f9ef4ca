package fvmcrypto

import (
	"bytes"
	"testing"

	bls12381 "github.com/consensys/gnark-crypto/ecc/bls12-381"
)

// aggregate adds compressed G2 signatures (the aggregation of the BLS
// aggregate scheme: the sum of the signatures).
func aggregate(t testing.TB, sigs ...[]byte) []byte {
	t.Helper()
	var acc bls12381.G2Jac
	for _, s := range sigs {
		var p bls12381.G2Affine
		if _, err := p.SetBytes(s); err != nil {
			t.Fatal(err)
		}
		var j bls12381.G2Jac
		j.FromAffine(&p)
		acc.AddAssign(&j)
	}
	var out bls12381.G2Affine
	out.FromJacobian(&acc)
	b := out.Bytes()
	return b[:]
}

// crypto.verify_bls_aggregate's check (fvm-abi-next.md §3.3 step 8,
// FIP-0079): the sum of sk_i·H(m_i) verifies against the keys sk_i·g1 and
// distinct plaintexts m_i, because e(g1, Σ sk_i·H(m_i)) = Π e(sk_i·g1,
// H(m_i)). Everything else is simply invalid: a changed plaintext or key
// order, repeated plaintexts (the rogue-key countermeasure), the identity
// key, bytes that do not decode. No signers is valid.
func TestVerifyBLSAggregate(t *testing.T) {
	keys := []blsKey{newBLSKey(t, 1), newBLSKey(t, 2), newBLSKey(t, 3)}
	msgs := [][]byte{[]byte("first"), []byte("second"), nil}
	var sigs [][]byte
	var pks [][]byte
	for i, k := range keys {
		sigs = append(sigs, k.sign(t, msgs[i]))
		pks = append(pks, bytes.Clone(k.pk[:]))
	}
	agg := aggregate(t, sigs...)
	if !VerifyBLSAggregate(agg, pks, msgs) {
		t.Fatal("a valid aggregate does not verify")
	}
	one := aggregate(t, sigs[0])
	if !VerifyBLSAggregate(one, pks[:1], msgs[:1]) {
		t.Fatal("an aggregate of one does not verify")
	}
	if !VerifyBLSAggregate(nil, nil, nil) {
		t.Fatal("no signers must be valid")
	}

	var identityG1 bls12381.G1Affine
	idPK := identityG1.Bytes()
	dupKey := newBLSKey(t, 4)
	dupSigs := aggregate(t, dupKey.sign(t, msgs[0]), keys[0].sign(t, msgs[0]))
	for _, c := range []struct {
		name string
		sig  []byte
		pks  [][]byte
		msgs [][]byte
	}{
		{"changed plaintext", agg, pks, [][]byte{[]byte("first"), []byte("second!"), nil}},
		{"keys swapped", agg, [][]byte{pks[1], pks[0], pks[2]}, msgs},
		{"one signature missing", aggregate(t, sigs[0], sigs[1]), pks, msgs},
		{"repeated plaintexts", dupSigs, [][]byte{dupKey.pk[:], pks[0]}, [][]byte{msgs[0], msgs[0]}},
		// e(0, H(m)) = 1: only the identity rule refuses this one.
		{"identity key", aggregate(t, sigs[0], sigs[1]), [][]byte{pks[0], pks[1], idPK[:]}, msgs},
		{"signature not a point", bytes.Repeat([]byte{0}, 96), pks, msgs},
		{"key not a point", agg, [][]byte{pks[0], bytes.Repeat([]byte{0}, 48), pks[2]}, msgs},
		{"more keys than plaintexts", agg, pks, msgs[:2]},
	} {
		if VerifyBLSAggregate(c.sig, c.pks, c.msgs) {
			t.Errorf("%s: verified", c.name)
		}
	}
}
