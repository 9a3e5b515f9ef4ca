package vectors

import (
	"bufio"
	_ "embed"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
)

//go:embed expected_failures.txt
var defaultExpectedFailures string

// ExpectedFailure is one entry of the expected-failure list.
type ExpectedFailure struct {
	Suffix string         // path suffix (whole components), or
	Regexp *regexp.Regexp // a regexp searched in the path
	Reason string
}

// ExpectedFailures is the list a run consults. A matching vector that fails
// counts as skipped; one that passes is a failure ("unexpected pass"), so the
// list can only shrink (the go-ethereum test matcher's rule).
type ExpectedFailures []ExpectedFailure

// DefaultExpectedFailures is the list kept in the repository
// (vectors/expected_failures.txt).
func DefaultExpectedFailures() ExpectedFailures {
	l, err := ParseExpectedFailures(defaultExpectedFailures)
	if err != nil {
		panic("vectors/expected_failures.txt: " + err.Error()) // checked by a test
	}
	return l
}

// ParseExpectedFailures reads the list format documented at the top of
// expected_failures.txt.
func ParseExpectedFailures(text string) (ExpectedFailures, error) {
	var out ExpectedFailures
	sc := bufio.NewScanner(strings.NewReader(text))
	for line := 1; sc.Scan(); line++ {
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		f := strings.Fields(s)
		if len(f) < 3 {
			return nil, fmt.Errorf("line %d: want KIND PATTERN REASON", line)
		}
		e := ExpectedFailure{Reason: strings.Join(f[2:], " ")}
		switch f[0] {
		case "suffix":
			e.Suffix = strings.TrimPrefix(f[1], "/")
		case "regexp":
			re, err := regexp.Compile(f[1])
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", line, err)
			}
			e.Regexp = re
		default:
			return nil, fmt.Errorf("line %d: kind %q: want suffix or regexp", line, f[0])
		}
		out = append(out, e)
	}
	return out, sc.Err()
}

// Match returns the entry that matches path, if any.
func (l ExpectedFailures) Match(path string) (ExpectedFailure, bool) {
	p := filepath.ToSlash(path)
	for _, e := range l {
		if e.Regexp != nil && e.Regexp.MatchString(p) {
			return e, true
		}
		if e.Suffix != "" && (p == e.Suffix || strings.HasSuffix(p, "/"+e.Suffix)) {
			return e, true
		}
	}
	return ExpectedFailure{}, false
}
