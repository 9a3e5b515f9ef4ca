package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
)

// Exit codes (documented in doc.go). 130 is the shell's code for a process
// ended by SIGINT (128 + 2), which an interrupted command returns after it
// has stopped cleanly.
const (
	exitOK          = 0
	exitFailed      = 1
	exitUsage       = 2
	exitInterrupted = 130
)

// env is what a command runs with: a context cancelled by the first
// interrupt, and the three standard streams.
type env struct {
	ctx            context.Context
	stdin          io.Reader
	stdout, stderr io.Writer
}

// A command is one line of the dispatch table.
type command struct {
	name     string
	synopsis string // arguments, as the usage text shows them
	summary  string // one line of help
	run      func(e *env, args []string) int
}

// commands is fvmcheck's dispatch table, in the order the usage text lists
// them; a new subcommand is one line here and a file of its own. Commands
// parse with newFlagSet and parseFlags (flags anywhere), report usage
// errors with usageError (exit 2), check named paths with checkPaths, call
// noteProofsTrusted before applying messages with the trusting verifier,
// and watch e.ctx: after an interrupt they print one line and return
// exitInterrupted (shared.go).
var commands = []command{
	{"run", "[flags] [PATH... | -]", "run test vectors (no PATH: the embedded suite)", runCmd},
	{"trace", "[flags] VECTOR", "run one vector: its execution trace, flame graph and gas profile", traceCmd},
	{"actors", "--bundles PATH [flags]", "compile and list the actors of bundles", streamsOnly(actorsCmd)},
	{"replay", "--rpc URL MSG_CID", "replay a message (or --tipset H) from a Lotus node, compare with the chain", replayCmd},
	{"validate", "--from H --to H2", "replay a range of tipsets from a Lotus node, stop at the first mismatch", validateCmd},
	{"version", "", "module version, Go version, supported network versions", versionCmd},
	{"book", "--bundles DIR [flags]", "run the scenario book on the real bundles at every network version", bookCmd},
}

// streamsOnly adapts a command written against the two output streams.
func streamsOnly(f func(args []string, stdout, stderr io.Writer) int) func(*env, []string) int {
	return func(e *env, args []string) int { return f(args, e.stdout, e.stderr) }
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	go func() {
		<-ctx.Done()
		stop() // the first interrupt stops cleanly; a second one ends the process at once
	}()
	os.Exit(run(&env{ctx: ctx, stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}, os.Args[1:]))
}

func usage() string {
	var b strings.Builder
	b.WriteString("usage:\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "  fvmcheck %-30s %s\n", strings.TrimSpace(c.name+" "+c.synopsis), c.summary)
	}
	fmt.Fprintf(&b, "  fvmcheck %-30s %s\n", "help", "this text")
	b.WriteString(`
Flags may come before or after the paths. Run 'fvmcheck COMMAND -h' for a
command's flags.
Exit codes: 0 all passed, 1 something failed, 2 usage or input error,
130 interrupted.
`)
	return b.String()
}

// run is the whole program; main only exits with its result, so tests call
// it directly.
func run(e *env, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, usage())
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(e.stdout, usage())
		return exitOK
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		code := c.run(e, args[1:])
		if e.ctx.Err() != nil && code != exitInterrupted {
			// A command that does not watch the context ran to its end;
			// it still counts as interrupted.
			fmt.Fprintf(e.stderr, "fvmcheck %s: interrupted\n", c.name)
			return exitInterrupted
		}
		return code
	}
	fmt.Fprintf(e.stderr, "fvmcheck: unknown command %q\n\n%s", args[0], usage())
	return exitUsage
}

// newFlagSet makes a subcommand's flag set that reports instead of exiting.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("fvmcheck "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: fvmcheck %s %s\n\nFlags may come before or after the arguments.\n\nflags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses flags wherever they stand among the arguments (Go's flag
// package stops at the first non-flag, so `run DIR --bundles B` would take
// "--bundles" for a path). "--" ends the flags; a lone "-" is an argument.
// Afterwards fs.Args() holds the arguments in their order. -h maps to exit
// 0, other errors to exit 2; done reports whether the caller should return
// code.
func parseFlags(fs *flag.FlagSet, args []string) (code int, done bool) {
	var positional []string
	rest := args
	for {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return exitOK, true
			}
			return exitUsage, true
		}
		left := fs.Args()
		if len(left) == 0 {
			break
		}
		if used := len(rest) - len(left); used > 0 && rest[used-1] == "--" {
			positional = append(positional, left...)
			break
		}
		positional = append(positional, left[0])
		rest = left[1:]
	}
	// Parsing just "--" sets no flag and leaves fs.Args() = positional.
	if err := fs.Parse(append([]string{"--"}, positional...)); err != nil {
		return exitUsage, true
	}
	return 0, false
}

// pathList is a repeatable string flag.
type pathList []string

func (p *pathList) String() string { return strings.Join(*p, ",") }
func (p *pathList) Set(s string) error {
	if s == "" {
		return errors.New("empty path")
	}
	*p = append(*p, s)
	return nil
}
