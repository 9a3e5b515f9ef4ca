package vectors_test

import (
	"archive/tar"
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/filecoin-project/go-address"
	"github.com/klauspost/compress/zstd"

	"github.com/gofvm/gofvm/vectors"
	"github.com/gofvm/gofvm/vectors/vectortest"
)

func zstdTar(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := zstd.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for name, data := range files {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		_, _ = tw.Write(data)
	}
	_ = tw.Close()
	_ = zw.Close()
	return buf.Bytes()
}

// TestOpenBundlesLoadsOnlyWhatRunsNeed: a directory of several bundles is
// only indexed; a vector loads the one bundle its system actor names, and
// only that one, whether it is a loose CAR or inside a tarball (indexed
// only once no loose CAR has it).
func TestOpenBundlesLoadsOnlyWhatRunsNeed(t *testing.T) {
	s := newScenario(t, 18, address.ID)
	dir := t.TempDir()
	other := vectortest.NewBundle("other", "system", "init", "account")
	write(t, filepath.Join(dir, "a", "builtin-actors-mainnet.car"), other.CAR())
	write(t, filepath.Join(dir, "b", "v10.tar.zst"), zstdTar(t, map[string][]byte{
		"builtin-actors-mainnet.car":        s.Bundle.CAR(),
		"builtin-actors-calibrationnet.car": other.CAR(),
	}))

	b, err := vectors.OpenBundles(dir)
	if err != nil {
		t.Fatal(err)
	}
	if b.Len() != 0 || len(b.Manifests) != 0 {
		t.Fatalf("opening loaded %d blocks, %d manifests", b.Len(), len(b.Manifests))
	}
	// Two vectors at once: the bundle is loaded once.
	for _, o := range vectors.RunAll(context.Background(), vectors.Config{Driver: fixedDriver(s.passing(), nil), Bundles: b, Jobs: 2},
		[]string{s.path, s.path}) {
		if o.Status != vectors.Pass {
			t.Fatalf("%s: %s", o.Status, o.Reason)
		}
	}
	if len(b.Manifests) != 1 || b.Manifests[0].Data != s.Bundle.Data ||
		!strings.HasSuffix(b.Manifests[0].Source, "v10.tar.zst:builtin-actors-mainnet.car") {
		t.Fatalf("loaded %+v, want only the scenario's bundle from the tarball", b.Manifests)
	}
	if b.Has(other.Codes["init"]) {
		t.Error("the other bundle was loaded too")
	}
	// More vectors of the same bundle, run in parallel, load nothing more.
	n := b.Len()
	paths := []string{s.path}
	for _, name := range []string{"c.json", "d.json", "e.json"} {
		p := filepath.Join(s.dir, name)
		write(t, p, s.Vector.JSON())
		paths = append(paths, p)
	}
	for _, o := range vectors.RunAll(context.Background(), vectors.Config{Driver: fixedDriver(s.passing(), nil), Bundles: b, Jobs: 4}, paths) {
		if o.Status != vectors.Pass {
			t.Errorf("%s: %s %q", o.Path, o.Status, o.Reason)
		}
	}
	if b.Len() != n || len(b.Manifests) != 1 {
		t.Errorf("%d blocks (was %d), %d manifests", b.Len(), n, len(b.Manifests))
	}

	// The same input errors as LoadBundles.
	if _, err := vectors.OpenBundles(filepath.Join(dir, "nope")); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("missing path: %v", err)
	}
	if _, err := vectors.OpenBundles(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no .car, .tar or .tar.zst bundle") {
		t.Errorf("empty dir: %v", err)
	}
	// A vector whose bundle is nowhere still gets the clear reason.
	b, err = vectors.OpenBundles(filepath.Join(dir, "a"))
	if err != nil {
		t.Fatal(err)
	}
	o := vectors.RunOne(context.Background(), vectors.Config{Driver: fixedDriver(s.passing(), nil), Bundles: b}, s.path)
	if o.Status != vectors.Fail || !strings.Contains(o.Reason, "is in no loaded bundle; pass --bundles") {
		t.Errorf("%s %q", o.Status, o.Reason)
	}
}

// TestReceiverCodeChecked: the receiver's code is looked up in the typed
// state tree, and a code in no bundle is named with the actor.
func TestReceiverCodeChecked(t *testing.T) {
	s := newScenario(t, 18, address.ID)
	actors := append([]vectortest.Actor(nil), s.PreActors...)
	stray := vectortest.NewBundle("stray", "placeholder").Codes["placeholder"]
	found := false
	for i := range actors {
		if actors[i].ID == vectortest.ReceiverID {
			actors[i].Code, found = stray, true
		}
	}
	if !found {
		t.Fatal("no receiver in the scenario")
	}
	pre, err := s.State.StateTree(5, actors)
	if err != nil {
		t.Fatal(err)
	}
	s.Vector.Pre, s.Vector.CAR = pre, s.State.CAR(pre, s.Post)
	write(t, s.path, s.Vector.JSON())
	o := vectors.RunOne(context.Background(), vectors.Config{Driver: fixedDriver(s.passing(), nil), Bundles: s.bundles}, s.path)
	want := "actor code " + stray.String() + " (actor " + s.Receiver.String() + ") is in no loaded bundle"
	if o.Status != vectors.Fail || !strings.Contains(o.Reason, want) {
		t.Errorf("%s %q, want %q", o.Status, o.Reason, want)
	}
}
