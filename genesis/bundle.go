package genesis

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	blocks "github.com/ipfs/go-block-format"

	"github.com/gofvm/gofvm/actors"
)

// ErrNoBundle is returned by LoadMainnetBundle when dir has no bundle for
// the actors version.
var ErrNoBundle = errors.New("no mainnet bundle")

// BundlePaths are where LoadMainnetBundle looks for actors version v under
// dir, in order: the unpacked CAR (dir/vN/builtin-actors-mainnet.car, the
// layout of .conformance/bundles) and Lotus's tarball (dir/vN.tar.zst).
func BundlePaths(dir string, v int) []string {
	return []string{
		filepath.Join(dir, fmt.Sprintf("v%d", v), actors.MainnetCar),
		filepath.Join(dir, fmt.Sprintf("v%d.tar.zst", v)),
	}
}

// LoadMainnetBundle loads the mainnet bundle of actors version v from dir
// into put and returns its manifest. A bundle's manifest does not say which
// actors version it is, so the file layout does.
func LoadMainnetBundle(ctx context.Context, dir string, v int, put func(blocks.Block) error) (actors.BundleManifest, string, error) {
	for _, p := range BundlePaths(dir, v) {
		if _, err := os.Stat(p); err != nil {
			continue
		}
		ms, err := actors.LoadBundleFile(ctx, p, put, actors.WithCarNames(actors.MainnetCar))
		if err != nil {
			return actors.BundleManifest{}, p, err
		}
		if len(ms) != 1 {
			return actors.BundleManifest{}, p, fmt.Errorf("genesis: %s holds %d mainnet bundles, want 1", p, len(ms))
		}
		return ms[0], p, nil
	}
	return actors.BundleManifest{}, "", fmt.Errorf("%w for actors v%d under %s", ErrNoBundle, v, dir)
}
