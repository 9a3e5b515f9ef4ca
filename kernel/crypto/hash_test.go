package fvmcrypto

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.NewReplacer(" ", "", "\n", "", "\t", "").Replace(s))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// Known answers from the published standards: FIPS 180-2 examples (SHA-256),
// RFC 7693 Appendix A (BLAKE2b-512 "abc") and the BLAKE2 reference
// implementation's unkeyed digests, the Keccak team's Keccak-256 (Ethereum)
// digests, and the RIPEMD-160 authors' published test set.
func TestHashKnownAnswers(t *testing.T) {
	million := strings.Repeat("a", 1_000_000)
	cases := []struct {
		name string
		code uint64
		in   string
		want string
	}{
		{"sha256 empty", HashSha2_256, "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"sha256 abc", HashSha2_256, "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"sha256 448-bit", HashSha2_256, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
			"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
		{"sha256 million a", HashSha2_256, million, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
		{"blake2b-512 abc (RFC 7693 A)", HashBlake2b512, "abc",
			"ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1" +
				"7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"},
		{"blake2b-512 empty", HashBlake2b512, "",
			"786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419" +
				"d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce"},
		{"blake2b-256 empty", HashBlake2b256, "", "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"},
		{"blake2b-256 abc", HashBlake2b256, "abc", "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"},
		{"keccak-256 empty", HashKeccak256, "", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"},
		{"keccak-256 abc", HashKeccak256, "abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"},
		{"ripemd-160 empty", HashRipemd160, "", "9c1185a5c5e9fc54612808977ee8f548b2258d31"},
		{"ripemd-160 a", HashRipemd160, "a", "0bdc9d2d256b3ee9daae347be6f4dc835a467ffe"},
		{"ripemd-160 abc", HashRipemd160, "abc", "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc"},
		{"ripemd-160 message digest", HashRipemd160, "message digest", "5d0689ef49d2fae572b881b123a85ffa21595f36"},
		{"ripemd-160 million a", HashRipemd160, million, "52783243c1697bdbe16d37f97f68f08325dc1528"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := Hash(c.code, []byte(c.in))
			if !ok {
				t.Fatalf("code %#x reported unsupported", c.code)
			}
			if want := mustHex(t, c.want); !bytes.Equal(got, want) {
				t.Fatalf("got %x\nwant %x", got, want)
			}
			if !HashSupported(c.code) {
				t.Fatalf("HashSupported(%#x) = false", c.code)
			}
		})
	}
}

// Keccak-256 must be the original Keccak padding, not FIPS 202 SHA3-256,
// whose empty-string digest is a7ffc6f8…f8434a (FIPS 202 examples).
func TestKeccakIsNotSHA3(t *testing.T) {
	got, _ := Hash(HashKeccak256, nil)
	if bytes.Equal(got, mustHex(t, "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a")) {
		t.Fatal("Keccak-256 computed SHA3-256")
	}
}

func TestHashUnsupported(t *testing.T) {
	// Codes near the supported ones, and ones a multihash table knows but the
	// FVM does not (sha2-512 0x13, sha3-256 0x16, identity 0x00, blake2b-160
	// 0xb214, sha2-256-trunc254-padded 0x1012).
	for _, code := range []uint64{0x00, 0x11, 0x13, 0x14, 0x16, 0x1a, 0x1c, 0x1012, 0x1052, 0xb214, 0xb221, 0xb23f, 0xb241, 1 << 63} {
		if d, ok := Hash(code, []byte("abc")); ok || d != nil {
			t.Errorf("Hash(%#x) = %x, %v; want nil, false", code, d, ok)
		}
		if HashSupported(code) {
			t.Errorf("HashSupported(%#x) = true", code)
		}
	}
}

func TestHashDigestSizes(t *testing.T) {
	sizes := map[uint64]int{HashSha2_256: 32, HashBlake2b256: 32, HashBlake2b512: 64, HashKeccak256: 32, HashRipemd160: 20}
	for _, code := range []uint64{HashSha2_256, HashBlake2b256, HashBlake2b512, HashKeccak256, HashRipemd160} {
		d, _ := Hash(code, make([]byte, 1000))
		if len(d) != sizes[code] {
			t.Errorf("code %#x: %d bytes, want %d", code, len(d), sizes[code])
		}
	}
}
