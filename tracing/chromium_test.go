package tracing

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The flame graph as a browser shows it: headless Chromium renders the
// SVG of aggregateTrace, runs its script, and the test reads the pixels
// and the DOM. Skipped where Chromium is not installed (Debian: apt-get
// install chromium). GOFVM_FLAME_PNG_DIR keeps the screenshot for a person
// to look at.

// chromium returns the browser's path, or skips.
func chromium(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium on this machine")
	return ""
}

// runChromium runs headless Chromium on url with the flags the closed
// network here needs (no background traffic) and a fresh profile.
func runChromium(t testing.TB, bin string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--hide-scrollbars", "--user-data-dir=" + t.TempDir()}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr.String())
	}
	return out
}

// ScreenshotFlameGraph renders an SVG file to a PNG with Chromium and
// returns the decoded image (used by the corpus test too).
func screenshotSVG(t testing.TB, bin, svgPath, query string) image.Image {
	t.Helper()
	svg, err := os.ReadFile(svgPath)
	if err != nil {
		t.Fatal(err)
	}
	w, h := svgSize(t, svg)
	shot := filepath.Join(t.TempDir(), "shot.png")
	runChromium(t, bin, fmt.Sprintf("--window-size=%d,%d", w, h), "--screenshot="+shot, "file://"+svgPath+query)
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("GOFVM_FLAME_PNG_DIR"); dir != "" {
		keep := filepath.Join(dir, strings.TrimSuffix(filepath.Base(svgPath), ".svg")+".png")
		data, _ := os.ReadFile(shot)
		if err := os.WriteFile(keep, data, 0o644); err != nil {
			t.Error(err)
		}
		t.Logf("screenshot kept at %s", keep)
	}
	return img
}

var svgSizeRE = regexp.MustCompile(`<svg [^>]*width="([0-9]+)" height="([0-9]+)"`)

func svgSize(t testing.TB, svg []byte) (int, int) {
	m := svgSizeRE.FindSubmatch(svg)
	if m == nil {
		t.Fatal("the SVG has no width and height")
	}
	w, _ := strconv.Atoi(string(m[1]))
	h, _ := strconv.Atoi(string(m[2]))
	return w, h
}

// frameRect returns the x, y, width of the rect of the frame labelled
// label.
func frameRect(t testing.TB, svg, label string) (x, y, w float64) {
	t.Helper()
	re := regexp.MustCompile(`data-l="` + regexp.QuoteMeta(label) + `"><title>[^<]*</title><rect x="([0-9.]+)" y="([0-9.]+)" width="([0-9.]+)"`)
	m := re.FindStringSubmatch(svg)
	if m == nil {
		t.Fatalf("no frame %q", label)
	}
	x, _ = strconv.ParseFloat(m[1], 64)
	y, _ = strconv.ParseFloat(m[2], 64)
	w, _ = strconv.ParseFloat(m[3], 64)
	return x, y, w
}

// pixelIs reports whether the pixel at (x, y) has the colour "rgb(r,g,b)".
func pixelIs(img image.Image, x, y int, colour string) bool {
	r, g, b, _ := img.At(x, y).RGBA()
	return fmt.Sprintf("rgb(%d,%d,%d)", r>>8, g>>8, b>>8) == colour
}

func TestFlameGraphInChromium(t *testing.T) {
	bin := chromium(t)
	tr, names := aggregateTrace(t)
	path := filepath.Join(t.TempDir(), "aggregate.svg")
	var buf bytes.Buffer
	if err := WriteFlameGraph(&buf, tr, FlameOptions{Title: "aggregate", ActorNames: names}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	svg := buf.String()

	// Drawn: the screenshot has the picture's size, and inside each of the
	// two dominant frames (a few pixels in from the left edge, below the
	// label's baseline) the pixel has that actor's colour.
	img := screenshotSVG(t, bin, path, "")
	w, h := svgSize(t, buf.Bytes())
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Fatalf("screenshot %v, want %dx%d", b, w, h)
	}
	for _, c := range []struct{ label, actor string }{
		{"verifiedregistry m9 ×50 58.5%", "verifiedregistry"},
		{"storagemarket m6 ×50 41.3%", "storagemarket"},
	} {
		x, y, _ := frameRect(t, svg, c.label)
		if !pixelIs(img, int(x)+2, int(y)+14, callColour(c.actor)) {
			r, g, b, _ := img.At(int(x)+2, int(y)+14).RGBA()
			t.Errorf("%s: pixel (%d,%d) is rgb(%d,%d,%d), want %s", c.label, int(x)+2, int(y)+14, r>>8, g>>8, b>>8, callColour(c.actor))
		}
	}

	// Run: with ?z= the script zooms into the registry frame (drawn across
	// the whole width, the market frame hidden) and with ?s= it marks the
	// market frame and says its share, 60,000 of 145,400 gas.
	dom := string(runChromium(t, bin, "--dump-dom", "file://"+path+"?z=verifiedregistry&s=storagemarket"))
	if !strings.Contains(dom, "Matched: 41.3% of the gas") {
		t.Errorf("search: no 'Matched: 41.3%%' in the DOM")
	}
	if !regexp.MustCompile(`class="frame call (match hide|hide match)" data-x="[0-9]+" data-w="60000"`).MatchString(dom) {
		t.Errorf("search or zoom: the market frame is not marked and hidden: %s", regexp.MustCompile(`<g[^>]*data-w="60000"[^>]*>`).FindString(dom))
	}
	if !regexp.MustCompile(`data-l="verifiedregistry m9 ×50 58.5%"><title>[^<]*</title><rect x="10.00" y="[0-9.]+" width="1180.00"`).MatchString(dom) {
		t.Errorf("zoom: the registry frame is not drawn across the whole width")
	}
}
