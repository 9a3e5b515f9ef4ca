package kernel

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Behaviour per network version is data (package rules): the kernel and the
// syscall layer read named fields and never compare network versions nor
// keep a version boolean of their own. This test parses their non-test
// sources and fails on
//
//   - an identifier v2, v3 or v4 (the booleans the rules replaced);
//   - a comparison or switch involving network.VersionNN, a value named nv
//     or NetworkVersion, or a NetworkVersion() call.
//
// Reading r.NetworkVersion to report it (vm.context, network.context) is
// fine; deciding behaviour on it is not.
func TestNoNetworkVersionGates(t *testing.T) {
	var files []string
	for _, dir := range []string{".", "../syscalls"} {
		m, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range m {
			if !strings.HasSuffix(f, "_test.go") {
				files = append(files, f)
			}
		}
	}
	if len(files) < 20 {
		t.Fatalf("found only %d source files", len(files))
	}
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range versionGates(f) {
			t.Errorf("%s: %s", fset.Position(p.pos), p.what)
		}
	}
}

var versionBoolean = regexp.MustCompile(`^v[234]$`)

type gate struct {
	pos  token.Pos
	what string
}

func versionGates(f *ast.File) []gate {
	var out []gate
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Ident:
			if versionBoolean.MatchString(n.Name) {
				out = append(out, gate{n.Pos(), "version identifier " + n.Name})
			}
		case *ast.BinaryExpr:
			switch n.Op {
			case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ:
				if mentionsVersion(n.X) || mentionsVersion(n.Y) {
					out = append(out, gate{n.Pos(), "network version comparison"})
				}
			}
		case *ast.SwitchStmt:
			if n.Tag != nil && mentionsVersion(n.Tag) {
				out = append(out, gate{n.Pos(), "switch on a network version"})
			}
		case *ast.CaseClause:
			for _, e := range n.List {
				if mentionsVersion(e) {
					out = append(out, gate{e.Pos(), "case on a network version"})
				}
			}
		}
		return true
	})
	return out
}

// mentionsVersion reports an expression that is, or contains, a network
// version: network.VersionNN, an identifier or field named nv or
// NetworkVersion, or a NetworkVersion() call.
func mentionsVersion(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			if x, ok := n.X.(*ast.Ident); ok && x.Name == "network" && strings.HasPrefix(n.Sel.Name, "Version") {
				found = true
			}
			if n.Sel.Name == "NetworkVersion" || n.Sel.Name == "nv" {
				found = true
			}
		case *ast.Ident:
			if n.Name == "nv" || n.Name == "NetworkVersion" {
				found = true
			}
		}
		return !found
	})
	return found
}

// The detector itself must see the gates it is meant to refuse.
func TestVersionGateDetector(t *testing.T) {
	src := `package p
func f() {
	if nv >= network.Version18 {}
	if k.NetworkVersion() < 18 {}
	if m.rules.NetworkVersion == 17 {}
	switch nv { case 17: }
	switch { case r.nv > 3: }
	v3 := true
	_ = v3
	if r.DelegatedAddresses {}
	ctx.NetworkVersion = r.NetworkVersion
}`
	f, err := parser.ParseFile(token.NewFileSet(), "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(versionGates(f)); got != 8 {
		t.Fatalf("found %d gates, want 8 (3 comparisons, switch, case, comparison in a case, 2 × v3)", got)
	}
}
