package mainnet

import (
	"context"
	"errors"
	"fmt"

	"github.com/filecoin-project/go-state-types/abi"
	m10 "github.com/filecoin-project/go-state-types/builtin/v10/migration"
	m11 "github.com/filecoin-project/go-state-types/builtin/v11/migration"
	m12 "github.com/filecoin-project/go-state-types/builtin/v12/migration"
	m13 "github.com/filecoin-project/go-state-types/builtin/v13/migration"
	m14 "github.com/filecoin-project/go-state-types/builtin/v14/migration"
	m15 "github.com/filecoin-project/go-state-types/builtin/v15/migration"
	m16 "github.com/filecoin-project/go-state-types/builtin/v16/migration"
	m17 "github.com/filecoin-project/go-state-types/builtin/v17/migration"
	m18 "github.com/filecoin-project/go-state-types/builtin/v18/migration"
	m9 "github.com/filecoin-project/go-state-types/builtin/v9/migration"
	gstmig "github.com/filecoin-project/go-state-types/migration"
	"github.com/filecoin-project/go-state-types/rt"
	"github.com/ipfs/go-cid"
	cbor "github.com/ipfs/go-ipld-cbor"

	"github.com/gofvm/gofvm/actors"
	"github.com/gofvm/gofvm/chain/internal/exec"
)

// ErrNoSkyrMigration: the nv16 migration lives in specs-actors v8, which
// gofvm does not depend on; execution cannot cross Skyr (chain.md §1.4).
var ErrNoSkyrMigration = errors.New("the nv16 (Skyr) migration is specs-actors v8's and is not available in gofvm")

// migration runs go-state-types' migration to actors v`av` and writes
// the new StateRoot (Lotus's upgradeActorsV<N>Common, chain.md §1.13):
// version 4 up to v9, 5 from v10 on, the info block kept.
func migration(av int) exec.Migration {
	return func(ctx context.Context, bs exec.Blockstore, root cid.Cid, height abi.ChainEpoch) (cid.Cid, error) {
		if av == 8 {
			return cid.Undef, ErrNoSkyrMigration
		}
		man, err := manifest(av)
		if err != nil {
			return cid.Undef, err
		}
		cs := cbor.NewCborStore(bs)
		var sr actors.StateRoot
		if err := cs.Get(ctx, root, &sr); err != nil {
			return cid.Undef, fmt.Errorf("state root %s: %w", root, err)
		}
		cfg := gstmig.Config{MaxWorkers: 2, JobQueueSize: 1000, ResultQueueSize: 100, UpgradeEpoch: height}
		log, cache := quietLog{}, gstmig.NewMemMigrationCache()
		var out cid.Cid
		switch av {
		case 9:
			out, err = m9.MigrateStateTree(ctx, cs, man, sr.Actors, height,
				m9.Config{MaxWorkers: 2, JobQueueSize: 1000, ResultQueueSize: 100}, quietLog9{}, m9.NewMemMigrationCache())
		case 10:
			out, err = m10.MigrateStateTree(ctx, cs, man, sr.Actors, height, cfg, log, cache)
		case 11:
			out, err = m11.MigrateStateTree(ctx, cs, man, sr.Actors, height, cfg, log, cache)
		case 12:
			out, err = m12.MigrateStateTree(ctx, cs, man, sr.Actors, height, cfg, log, cache)
		case 13:
			out, err = m13.MigrateStateTree(ctx, cs, man, sr.Actors, height, cfg, log, cache)
		case 14:
			out, err = m14.MigrateStateTree(ctx, cs, man, sr.Actors, height, cfg, log, cache)
		case 15:
			out, err = m15.MigrateStateTree(ctx, cs, man, sr.Actors, height, int64(TuktukHeight), TuktukPowerRampDuration, cfg, log, cache)
		case 16:
			out, err = m16.MigrateStateTree(ctx, cs, man, sr.Actors, height, cfg, log, cache)
		case 17:
			out, err = m17.MigrateStateTree(ctx, cs, man, sr.Actors, height, cfg, log, cache)
		case 18:
			out, err = m18.MigrateStateTree(ctx, cs, man, sr.Actors, height, cfg, log, cache)
		default:
			return cid.Undef, fmt.Errorf("no migration to actors v%d", av)
		}
		if err != nil {
			return cid.Undef, fmt.Errorf("migrating to actors v%d: %w", av, err)
		}
		version := uint64(5)
		if av <= 9 {
			version = sr.Version
		}
		return cs.Put(ctx, &actors.StateRoot{Version: version, Actors: out, Info: sr.Info})
	}
}

type quietLog struct{}

func (quietLog) Log(rt.LogLevel, string, ...interface{}) {}

type quietLog9 struct{}

func (quietLog9) Log(rt.LogLevel, string, ...interface{}) {}
