// Package mainnet is Filecoin mainnet's side of chain execution: the
// upgrade schedule with go-state-types' migrations (chain.md §1.4, §1.13),
// the drand schedule (§2.3) and the circulating-supply formula (§1.14).
package mainnet

import (
	"fmt"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/chain/internal/exec"
)

// Heights of chain.md §1.4 (Lotus build/buildconstants/params_mainnet.go).
const (
	GenesisTimestamp = 1_598_306_400
	LiftoffHeight    = 148_888
	AssemblyHeight   = 138_720
	CalicoHeight     = 265_200
	SkyrHeight       = 1_960_320
	SharkHeight      = 2_383_680
	HyggeHeight      = 2_683_348
	LightningHeight  = 2_809_800
	ThunderHeight    = LightningHeight + 2880*21
	WatermelonHeight = 3_469_380
	DragonHeight     = 3_855_360
	PhoenixHeight    = DragonHeight + 120
	WaffleHeight     = 4_154_640
	TuktukHeight     = 4_461_240
	TeepHeight       = 4_878_840
	TockHeight       = TeepHeight + 2880*90
	GoldenWeekHeight = 5_348_280
	FireHorseHeight  = 6_052_800

	// TuktukPowerRampDuration is one year of epochs (the nv24 migration's
	// extra argument).
	TuktukPowerRampDuration = 365 * 2880
)

// Manifest CIDs of the mainnet bundles (chain.md §1.4).
var Manifests = map[int]string{
	8:  "bafy2bzacebogjbpiemi7npzxchgcjjki3tfxon4ims55obfyfleqntteljsea",
	9:  "bafy2bzaceb6j6666h36xnhksu3ww4kxb6e25niayfgkdnifaqi6m6ooc66i6i",
	10: "bafy2bzacecsuyf7mmvrhkx2evng5gnz5canlnz2fdlzu2lvcgptiq2pzuovos",
	11: "bafy2bzacecnhaiwcrpyjvzl4uv4q3jzoif26okl3m66q3cijp3dfwlcxwztwo",
	12: "bafy2bzaceapkgfggvxyllnmuogtwasmsv5qi2qzhc2aybockd6kag2g5lzaio",
	13: "bafy2bzacecdhvfmtirtojwhw2tyciu4jkbpsbk5g53oe24br27oy62sn4dc4e",
	14: "bafy2bzacecbueuzsropvqawsri27owo7isa5gp2qtluhrfsto2qg7wpgxnkba",
	15: "bafy2bzaceakwje2hyinucrhgtsfo44p54iw4g6otbv5ghov65vajhxgntr53u",
	16: "bafy2bzacecnepvsh4lw6pwljobvwm6zwu6mbwveatp7llhpuguvjhjiqz7o46",
	17: "bafy2bzaceai74ppsvuxs3nvpzzeuptdr3wl7vmdpbphvtz4qt5hfq2qdfvz3e",
	18: "bafy2bzacedxsqapxwj5znwy4leem5gsuenhhfyqcntews3yis5iek67thy6lc",
}

// Network is mainnet from nv15 (before Skyr) on.
func Network() *exec.Network {
	up := func(h abi.ChainEpoch, nv network.Version, name string, actors int) exec.Upgrade {
		u := exec.Upgrade{Height: h, Network: nv, Name: name}
		if actors > 0 {
			u.Migration = migration(actors)
		}
		return u
	}
	return &exec.Network{
		Name:         "mainnet",
		FirstVersion: network.Version15,
		Upgrades: []exec.Upgrade{
			up(SkyrHeight, network.Version16, "Skyr", 8),
			up(SharkHeight, network.Version17, "Shark", 9),
			up(HyggeHeight, network.Version18, "Hygge", 10),
			up(LightningHeight, network.Version19, "Lightning", 11),
			up(ThunderHeight, network.Version20, "Thunder", 0),
			up(WatermelonHeight, network.Version21, "Watermelon", 12),
			up(DragonHeight, network.Version22, "Dragon", 13),
			up(WaffleHeight, network.Version23, "Waffle", 14),
			up(TuktukHeight, network.Version24, "Tuktuk", 15),
			up(TeepHeight, network.Version25, "Teep", 16),
			up(TockHeight, network.Version26, "Tock", 0),
			up(GoldenWeekHeight, network.Version27, "GoldenWeek", 17),
			up(FireHorseHeight, network.Version28, "FireHorse", 18),
		},
		BlockDelay: 30,
		ChainID:    314,
		Drand: []exec.DrandPoint{
			{Start: 51_000, Name: "drand mainnet", GenesisTime: 1_595_431_050, Period: 30},
			{Start: PhoenixHeight, Name: "drand quicknet", GenesisTime: 1_692_803_367, Period: 3},
		},
		PremiumBaseFeeHeight: FireHorseHeight,
		Supply:               Supply,
	}
}

func manifest(actors int) (cid.Cid, error) {
	c, err := cid.Decode(Manifests[actors])
	if err != nil {
		return cid.Undef, fmt.Errorf("mainnet: manifest of actors v%d: %w", actors, err)
	}
	return c, nil
}
