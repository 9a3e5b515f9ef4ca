package engine

import (
	"fmt"
	"testing"

	"github.com/gofvm/gofvm/kernel/engine/instrument"
)

// bundleCensus counts, over every function body of a bundle, the ops
// fvm-abi-next.md §1.5 and fvm-gas-next.md §6.5 name: sign-extension ops,
// i32.trunc_sat_f64_u, and call_indirect ops, of which how many have the
// padded table index. The decoder counts the ops; the padded ones are found
// by searching the bytes for `11 <type> 80 80 80 80 00` (type a valid
// index) — a stray match elsewhere would show as padding in the older
// bundles, which have none.
type bundleCensus struct {
	signExt, truncSatF64U, callIndirect, paddedIndex int
}

func countPadded(body []byte, types int) (padded int) {
	for i := 0; i < len(body); i++ {
		if body[i] != 0x11 {
			continue
		}
		var typ, n int
		for n = 1; i+n < len(body) && n <= 5; n++ {
			typ |= int(body[i+n]&0x7f) << (7 * (n - 1))
			if body[i+n]&0x80 == 0 {
				break
			}
		}
		j := i + n + 1
		if n > 5 || j >= len(body) || typ >= types {
			continue
		}
		if j+4 < len(body) && string(body[j:j+5]) == "\x80\x80\x80\x80\x00" {
			padded++
		}
	}
	return padded
}

func censusOf(t *testing.T, mods []bundleModule) bundleCensus {
	t.Helper()
	var c bundleCensus
	for _, bm := range mods {
		m, err := instrument.DecodeModule(bm.wasm, instrument.FVM3)
		if err != nil {
			t.Fatalf("%s: %v", bm.code, err)
		}
		for _, raw := range m.Code {
			b, err := instrument.DecodeBody(raw, instrument.DecodeOptions{Version: instrument.FVM3})
			if err != nil {
				t.Fatalf("%s: %v", bm.code, err)
			}
			for _, in := range b.Instrs {
				switch {
				case in.Op >= 0xC0 && in.Op <= 0xC4:
					c.signExt++
				case in.Op == 0xFC03:
					c.truncSatF64U++
				case in.Op == instrument.OpCallIndirect:
					c.callIndirect++
				}
			}
			c.paddedIndex += countPadded(raw, len(m.Types))
		}
	}
	return c
}

// The mainnet bundles v8–v18 against the sheets (fvm-abi-next.md §1.5,
// fvm-gas-next.md §6.5): sign-extension ops only from v12 (494–588 per
// bundle), i32.trunc_sat_f64_u only in v18 (9), the padded call_indirect
// index only in v17 and v18; each bundle instruments for its FVM line and,
// from v12 on, is refused by the v2 instrumenter. v17 mixes both index
// widths; v18 writes every index padded. Opt-in (local data).
func TestMainnetBundlesNewerWasm(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	for n := 8; n <= 18; n++ {
		mods := bundleModules(t, fmt.Sprintf("../../.conformance/bundles/v%d/builtin-actors-mainnet.car", n))
		c := censusOf(t, mods)
		switch {
		case n < 12 && c.signExt != 0, n >= 12 && (c.signExt < 494 || c.signExt > 588):
			t.Errorf("v%d: %d sign-extension ops", n, c.signExt)
		}
		if want := map[bool]int{true: 9, false: 0}[n == 18]; c.truncSatF64U != want {
			t.Errorf("v%d: %d i32.trunc_sat_f64_u, want %d", n, c.truncSatF64U, want)
		}
		switch {
		case n < 17 && c.paddedIndex != 0,
			n == 17 && (c.paddedIndex == 0 || c.paddedIndex == c.callIndirect),
			n == 18 && c.paddedIndex != c.callIndirect:
			t.Errorf("v%d: %d call_indirect, %d with a padded index", n, c.callIndirect, c.paddedIndex)
		}
		line := V2
		switch {
		case n >= 12:
			line = V4
		case n >= 10:
			line = V3
		}
		for _, bm := range mods {
			if _, err := defaultInstrument(bm.wasm, line); err != nil {
				t.Errorf("v%d %s for %s: %v", n, bm.code, line, err)
			}
			if n >= 12 && len(bm.wasm) > 1000 { // the placeholder has no code to refuse
				if _, err := defaultInstrument(bm.wasm, V2); err == nil {
					t.Errorf("v%d %s: the v2 instrumenter accepts it", n, bm.code)
				}
			}
		}
		t.Logf("v%d: %d modules, %d sign-ext, %d trunc_sat_f64_u, %d call_indirect (%d padded)",
			n, len(mods), c.signExt, c.truncSatF64U, c.callIndirect, c.paddedIndex)
	}
}
