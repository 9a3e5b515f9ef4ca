package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/filecoin-project/go-state-types/network"

	"github.com/gofvm/gofvm/actors/testactors"
	"github.com/gofvm/gofvm/vectors"
)

// Golden tests of whole invocations, in the manner of go-ethereum's
// cmd/evm tests: each file under testdata/cli is one run of the fvmcheck
// binary (this test binary re-executed as fvmcheck), with its arguments,
// optional stdin, the exit code and the exact stdout, and lines that must
// appear on stderr. The expected text is written by hand: it is the
// command line's specification, not a recording.
//
// File format:
//
//	# comment lines (what the case checks and why)
//	args ARG...            whitespace-separated; "" is an empty argument
//	exit N
//	interrupt              send SIGINT once stdout has a line
//	exists PATH            afterwards PATH is a non-empty file
//	-- stdin --            fed to the process
//	-- stdout --           stdout, exactly
//	-- stdout-re --        instead: every stdout line matches one of these regexps
//	-- stderr --           each line occurs in a stderr line, in this order
//
// $WORK (the fixture directory), $GOVERSION, $GOOS and $GOARCH are expanded
// in args, stdin and the expected text.

// childEnv, when set, makes the test binary run fvmcheck's main instead of
// the tests.
const childEnv = "GOFVM_FVMCHECK_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		main()
	}
	os.Exit(m.Run())
}

type goldenCase struct {
	args      []string
	exit      int
	interrupt bool
	stdin     string
	stdout    *string
	stdoutRE  []*regexp.Regexp
	stderr    []string
	exists    []string
}

func parseGolden(t *testing.T, text string, expand func(string) string) goldenCase {
	t.Helper()
	var c goldenCase
	c.exit = -1
	sections := strings.Split("\n"+text, "\n-- ")
	for _, line := range strings.Split(sections[0], "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, val, _ := strings.Cut(line, " ")
		switch key {
		case "args":
			c.args = []string{}
			for _, f := range splitArgs(val) {
				c.args = append(c.args, expand(f))
			}
		case "exit":
			n, err := strconv.Atoi(val)
			if err != nil {
				t.Fatalf("exit %q: %v", val, err)
			}
			c.exit = n
		case "interrupt":
			c.interrupt = true
		case "exists":
			c.exists = append(c.exists, expand(val))
		default:
			t.Fatalf("unknown header line %q", line)
		}
	}
	for i, sec := range sections[1:] {
		name, body, ok := strings.Cut(sec, " --\n")
		if !ok {
			name, body = strings.TrimSuffix(sec, " --"), ""
		}
		if body != "" && i < len(sections)-2 {
			body += "\n" // the split took the newline before the next "-- "
		}
		body = expand(body)
		switch name {
		case "stdin":
			c.stdin = body
		case "stdout":
			c.stdout = &body
		case "stdout-re":
			for _, l := range strings.Split(strings.TrimRight(body, "\n"), "\n") {
				c.stdoutRE = append(c.stdoutRE, regexp.MustCompile(l))
			}
		case "stderr":
			for _, l := range strings.Split(strings.TrimRight(body, "\n"), "\n") {
				if l != "" {
					c.stderr = append(c.stderr, l)
				}
			}
		default:
			t.Fatalf("unknown section %q", name)
		}
	}
	if c.args == nil || c.exit < 0 {
		t.Fatal("a case needs an args line and an exit line")
	}
	return c
}

// splitArgs splits on spaces; a double-quoted field may hold spaces or be
// empty.
func splitArgs(s string) []string {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if s[0] == '"' {
			end := strings.IndexByte(s[1:], '"')
			if end < 0 {
				end = len(s) - 1
			}
			out = append(out, s[1:1+end])
			s = s[min(len(s), end+2):]
			continue
		}
		f, rest, _ := strings.Cut(s, " ")
		out = append(out, f)
		s = rest
	}
	return out
}

var (
	fixtureOnce sync.Once
	fixtureDir  string
	fixtureErr  error
)

// goldenFixtures lays out $WORK once for all cases: the test actors'
// bundles, vectors copied from the embedded suite (one as is, one whose
// expected exit code is changed), broken vector files, and a plain file.
func goldenFixtures(t *testing.T) string {
	t.Helper()
	fixtureOnce.Do(func() {
		fixtureDir, fixtureErr = os.MkdirTemp("", "fvmcheck-golden-")
		if fixtureErr != nil {
			return
		}
		fixtureErr = writeGoldenFixtures(fixtureDir)
	})
	if fixtureErr != nil {
		t.Fatal(fixtureErr)
	}
	return fixtureDir
}

func writeGoldenFixtures(dir string) error {
	put := func(rel string, data []byte) error {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		return os.WriteFile(p, data, 0o644)
	}
	for _, nv := range []network.Version{network.Version17, network.Version18} {
		b, err := testactors.NewBundle(nv)
		if err != nil {
			return err
		}
		if err := put(fmt.Sprintf("bundles/testactors-nv%d.car", nv), b.CAR()); err != nil {
			return err
		}
	}
	pass, err := vectors.ReadSuiteFile("suite/nv17/send-value.json")
	if err != nil {
		return err
	}
	var v map[string]any
	if err := json.Unmarshal(pass, &v); err != nil {
		return err
	}
	v["postconditions"].(map[string]any)["receipts"].([]any)[0].(map[string]any)["exit_code"] = 1
	wrongExit, err := json.Marshal(v)
	if err != nil {
		return err
	}
	for rel, data := range map[string][]byte{
		"vectors/pass.json":       pass,
		"vectors/wrong-exit.json": wrongExit,
		"broken/not-json.json":    []byte("{not json"),
		"broken/array.json":       []byte("[]"),
		"file":                    []byte("a plain file\n"),
	} {
		if err := put(rel, data); err != nil {
			return err
		}
	}
	return nil
}

func TestGoldenCLI(t *testing.T) {
	if vectors.DefaultDriver == nil {
		t.Skip("no kernel driver linked")
	}
	files, err := filepath.Glob(filepath.Join("testdata", "cli", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	work := goldenFixtures(t)
	t.Cleanup(func() { os.RemoveAll(work) })
	expand := func(s string) string {
		return strings.NewReplacer("$WORK", work, "$GOVERSION", runtime.Version(),
			"$GOOS", runtime.GOOS, "$GOARCH", runtime.GOARCH).Replace(s)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".txt")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			text, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			c := parseGolden(t, string(text), expand)
			code, stdout, stderr := runChild(t, c, work)
			if code != c.exit {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.exit, stdout, stderr)
			}
			if c.stdout != nil && stdout != *c.stdout {
				t.Errorf("stdout:\n%s\nwant:\n%s\nstderr:\n%s", stdout, *c.stdout, stderr)
			}
			if c.stdoutRE != nil {
				checkLinesMatch(t, stdout, c.stdoutRE)
			}
			checkStderr(t, stderr, c.stderr)
			for _, p := range c.exists {
				if st, err := os.Stat(p); err != nil || st.Size() == 0 {
					t.Errorf("%s: want a non-empty file (%v)", p, err)
				}
			}
		})
	}
}

// runChild runs fvmcheck as a child process with the case's arguments and
// stdin; the user cache directory points into the fixtures so the default
// --cache never touches the real one.
func runChild(t *testing.T, c goldenCase, work string) (code int, stdout, stderr string) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], c.args...)
	cmd.Env = append(os.Environ(), childEnv+"=1", "XDG_CACHE_HOME="+filepath.Join(work, "xdg-cache"), "HOME="+work)
	cmd.Stdin = strings.NewReader(c.stdin)
	var errBuf bytes.Buffer
	cmd.Stderr = &errBuf
	var outBuf bytes.Buffer
	if !c.interrupt {
		cmd.Stdout = &outBuf
		err := cmd.Run()
		return exitCode(t, err), outBuf.String(), errBuf.String()
	}
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(pipe)
	first, err := r.ReadString('\n')
	outBuf.WriteString(first)
	if err == nil {
		// The process is running its first vector or later: the handler is
		// installed (it is, before any vector starts).
		if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
	}
	rest, _ := io.ReadAll(r)
	outBuf.Write(rest)
	return exitCode(t, cmd.Wait()), outBuf.String(), errBuf.String()
}

func exitCode(t *testing.T, err error) int {
	t.Helper()
	if err == nil {
		return 0
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	t.Fatalf("running fvmcheck: %v", err)
	return -1
}

func checkLinesMatch(t *testing.T, out string, res []*regexp.Regexp) {
	t.Helper()
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	for _, l := range lines {
		ok := false
		for _, re := range res {
			ok = ok || re.MatchString(l)
		}
		if !ok {
			t.Errorf("stdout line %q matches none of %v\nstdout:\n%s", l, res, out)
		}
	}
}

func checkStderr(t *testing.T, stderr string, want []string) {
	t.Helper()
	lines := strings.Split(stderr, "\n")
	i := 0
	for _, w := range want {
		for i < len(lines) && !strings.Contains(lines[i], w) {
			i++
		}
		if i == len(lines) {
			t.Errorf("stderr lacks a line containing %q (after the earlier ones)\nstderr:\n%s", w, stderr)
			return
		}
		i++
	}
}
