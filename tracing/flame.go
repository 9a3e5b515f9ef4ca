package tracing

import (
	"fmt"
	"hash/fnv"
	"html"
	"io"
	"strings"
)

// FlameOptions shape the gas flame graph.
type FlameOptions struct {
	Title string  // shown above the graph
	Width float64 // pixels; at least (and by default) 1200
	// ActorNames names the code a call invoked (a manifest name); calls it
	// does not name are shown by their receiver's address.
	ActorNames func(t *ExecutionTrace) string
}

// WriteFlameGraph draws the trace's GasProfile as a self-contained SVG
// flame graph (see GasProfile.WriteFlameGraph).
func WriteFlameGraph(w io.Writer, root *ExecutionTrace, o FlameOptions) error {
	return NewGasProfile(root, o.ActorNames).WriteFlameGraph(w, o)
}

// Layout of the picture, in pixels.
const (
	flamePad     = 10.0
	flameRowH    = 17.0
	flameTop     = 66.0
	flameCharW   = 7.3 // advance of a 12px monospace glyph, a little generous
	flameTableH  = 16.0
	flameMaxRows = 60 // call-table rows shown; the rest are summed on one line
)

// WriteFlameGraph writes the profile as an SVG flame graph in the manner
// of Brendan Gregg's flamegraph.pl, drawn top-down: the message on top and
// below each frame its callees and its own charges, each as wide as its
// gas. Calls are merged by (actor, method) under each caller, with the
// number of calls and the share of the message's gas in the label, so a
// message of 150 calls reads as a handful of frames. Calls are drawn in
// warm colours (one per actor), charges in blue.
//
// The file needs nothing else: its script and style are inline and it
// loads nothing. In a browser, hovering a frame shows its figures; a click
// zooms into it (click the top frame or "Reset zoom" to go back); "Search"
// (or Ctrl-F) highlights the frames whose name matches a regular
// expression and says what share of the gas they hold; opening the file
// with "?s=REGEXP" searches at once and "?z=REGEXP" zooms into the first
// frame whose name matches. Under the graph two tables list every
// actor method and every charge name by gas with their shares.
func (p *GasProfile) WriteFlameGraph(w io.Writer, o FlameOptions) error {
	o.Width = max(o.Width, 1200) // the tables are laid out for 1200 pixels
	title := o.Title
	if title == "" {
		title = "gas flame graph"
	}
	calls := p.CallTable()
	charges := p.ChargeTable()
	depth := p.Root.depth()
	graphBottom := flameTop + float64(depth)*flameRowH
	shownCalls := min(len(calls), flameMaxRows)
	tableRows := max(shownCalls+1, len(charges)) + 1
	if len(calls) > flameMaxRows {
		tableRows++
	}
	tableTop := graphBottom + 52
	height := tableTop + float64(tableRows)*flameTableH + flamePad

	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8" standalone="no"?>`+"\n")
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" onload="flameInit(evt)">`+"\n",
		o.Width, height, o.Width, height)
	b.WriteString(flameStyle)
	fmt.Fprintf(&b, "<script type=\"text/ecmascript\"><![CDATA[\nvar flameTotal = %d, flamePad = %g, flameCharW = %g;\n%s]]></script>\n",
		max(p.Root.width, 1), flamePad, flameCharW, flameScript)
	fmt.Fprintf(&b, `<rect class="background" x="0" y="0" width="%.0f" height="%.0f"/>`+"\n", o.Width, height)
	fmt.Fprintf(&b, `<text class="title" x="%.1f" y="24">%s</text>`+"\n", o.Width/2, esc(title))
	fmt.Fprintf(&b, `<text class="sub" x="%.1f" y="42">%s gas in %d calls (whole gas, each charge rounded up) · width = gas · calls merged by actor and method · click to zoom, Ctrl-F to search</text>`+"\n",
		o.Width/2, groupDigits(p.Total), p.Calls)
	fmt.Fprintf(&b, `<text id="unzoom" class="control hide" x="%g" y="58">Reset zoom</text>`+"\n", flamePad)
	fmt.Fprintf(&b, `<text id="search" class="control" x="%g" y="58" text-anchor="end">Search</text>`+"\n", o.Width-flamePad)
	fmt.Fprintf(&b, `<text id="matched" class="control" x="%g" y="58" text-anchor="end"></text>`+"\n", o.Width-flamePad-110)

	d := flameDrawer{b: &b, total: p.Total, scale: (o.Width - 2*flamePad) / float64(max(p.Root.width, 1))}
	b.WriteString(`<g id="frames">` + "\n")
	d.frame(p.Root, nil, 0, 0)
	b.WriteString("</g>\n")
	fmt.Fprintf(&b, `<text id="details" x="%g" y="%.1f"> </text>`+"\n", flamePad, graphBottom+16)

	// The tables: actor methods on the left, charge names on the right.
	y := tableTop
	fmt.Fprintf(&b, `<text class="head" x="%g" y="%.1f">calls by actor and method, most gas first</text>`+"\n", flamePad, y-16)
	col := func(x float64, anchor, class, text string) {
		fmt.Fprintf(&b, `<text class="%s" x="%.1f" y="%.1f" text-anchor="%s">%s</text>`, class, x, y, anchor, esc(text))
	}
	// Columns (right edges) for a 1200-pixel picture; names are clipped
	// to their column.
	col(flamePad, "start", "th", "actor method")
	col(320, "end", "th", "calls")
	col(460, "end", "th", "gas incl. callees")
	col(520, "end", "th", "share")
	col(630, "end", "th", "own gas")
	col(690, "end", "th", "failed")
	b.WriteString("\n")
	for i, r := range calls[:shownCalls] {
		y = tableTop + float64(i+1)*flameTableH
		col(flamePad, "start", "td", clip(r.Name, 34))
		col(320, "end", "td", groupDigits(int64(r.Calls)))
		col(460, "end", "td", groupDigits(r.Gas))
		col(520, "end", "td", fmt.Sprintf("%.1f%%", share(r.Gas, p.Total)))
		col(630, "end", "td", groupDigits(r.Self))
		col(690, "end", "td", groupDigits(int64(r.Failed)))
		b.WriteString("\n")
	}
	if rest := calls[shownCalls:]; len(rest) > 0 {
		var n int
		for _, r := range rest {
			n += r.Calls
		}
		y += flameTableH
		col(flamePad, "start", "td", fmt.Sprintf("… %d more actor methods, %d calls", len(rest), n))
		b.WriteString("\n")
	}
	x0 := 740.0
	y = tableTop
	fmt.Fprintf(&b, `<text class="head" x="%g" y="%.1f">charges by name</text>`+"\n", x0, y-16)
	col(x0, "start", "th", "charge")
	col(x0+260, "end", "th", "charges")
	col(x0+370, "end", "th", "gas")
	col(x0+450, "end", "th", "share")
	b.WriteString("\n")
	for i, r := range charges {
		y = tableTop + float64(i+1)*flameTableH
		col(x0, "start", "td", clip(r.Name, 24))
		col(x0+260, "end", "td", groupDigits(int64(r.Calls)))
		col(x0+370, "end", "td", groupDigits(r.Gas))
		col(x0+450, "end", "td", fmt.Sprintf("%.1f%%", share(r.Gas, p.Total)))
		b.WriteString("\n")
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

type flameDrawer struct {
	b     *strings.Builder
	total int64
	scale float64
}

// frame draws f at gas offset x (in the positive-gas coordinates the
// script zooms in) and depth, then its children left to right.
func (d *flameDrawer) frame(f, parent *GasFrame, x int64, depth int) {
	if f.width > 0 {
		label := f.label(d.total)
		px := flamePad + float64(x)*d.scale
		pw := float64(f.width) * d.scale
		py := flameTop + float64(depth)*flameRowH
		class, fill := "call", callColour(f.Name)
		if f.Charge {
			class, fill = "charge", chargeColour(f.Name)
		}
		fmt.Fprintf(d.b, `<g class="frame %s" data-x="%d" data-w="%d" data-d="%d" data-l="%s"><title>%s</title>`,
			class, x, f.width, depth, esc(label), esc(f.tooltip(parent, d.total)))
		fmt.Fprintf(d.b, `<rect x="%.2f" y="%.1f" width="%.2f" height="%.1f" fill="%s" rx="2"/>`,
			px, py, pw, flameRowH-1, fill)
		fmt.Fprintf(d.b, `<text x="%.2f" y="%.1f">%s</text></g>`+"\n", px+3, py+12.5, esc(fitLabel(label, pw)))
	}
	for _, c := range f.Children {
		d.frame(c, f, x, depth+1)
		x += c.width
	}
}

// label is what a frame shows: its name, the number of merged calls and
// its share of the message's gas.
func (f *GasFrame) label(total int64) string {
	s := f.Name
	if f.Calls > 1 {
		s += fmt.Sprintf(" ×%d", f.Calls)
	}
	return s + fmt.Sprintf(" %.1f%%", share(f.Gas, total))
}

func (f *GasFrame) tooltip(parent *GasFrame, total int64) string {
	var b strings.Builder
	if f.Charge {
		fmt.Fprintf(&b, "charge %s: %s gas in %d charge", f.Name, groupDigits(f.Gas), f.Calls)
		if f.Calls > 1 {
			b.WriteString("s")
		}
		if parent != nil {
			fmt.Fprintf(&b, " by %s", parent.Name)
		}
		fmt.Fprintf(&b, "\n%.2f%% of the message's gas", share(f.Gas, total))
		return b.String()
	}
	fmt.Fprintf(&b, "%s: %d call", f.Name, f.Calls)
	if f.Calls > 1 {
		b.WriteString("s")
	}
	if len(f.Receivers) > 0 {
		shown := f.Receivers[:min(len(f.Receivers), 5)]
		fmt.Fprintf(&b, " to %s", strings.Join(shown, ", "))
		if len(f.Receivers) > len(shown) {
			fmt.Fprintf(&b, " and %d more", len(f.Receivers)-len(shown))
		}
	}
	if f.Failed > 0 {
		fmt.Fprintf(&b, ", %d failed", f.Failed)
	}
	fmt.Fprintf(&b, "\n%s gas including callees: %.2f%% of the message", groupDigits(f.Gas), share(f.Gas, total))
	if parent != nil {
		fmt.Fprintf(&b, ", %.2f%% of %s", share(f.Gas, parent.Gas), parent.Name)
	}
	fmt.Fprintf(&b, "\n%s gas charged by the call itself", groupDigits(f.Self))
	if f.Calls > 1 {
		b.WriteString("s")
	}
	return b.String()
}

func (f *GasFrame) depth() int {
	m := 0
	for _, c := range f.Children {
		m = max(m, c.depth())
	}
	return m + 1
}

// fitLabel cuts a label to the frame's width: whole, or cut with "..", or
// nothing when fewer than three characters fit.
func fitLabel(label string, width float64) string {
	fit := int((width - 6) / flameCharW)
	r := []rune(label)
	switch {
	case len(r) <= fit:
		return label
	case fit < 3:
		return ""
	}
	return string(r[:fit-2]) + ".."
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-2]) + ".."
	}
	return s
}

func esc(s string) string { return html.EscapeString(s) }

// callColour is a warm colour chosen by the actor part of the name, so an
// actor has one colour wherever it appears.
func callColour(name string) string {
	actor, _, _ := strings.Cut(name, " ")
	v := hash32(actor)
	return fmt.Sprintf("rgb(%d,%d,%d)", 205+v%50, 90+(v>>8)%110, 40+(v>>16)%45)
}

// chargeColour is a blue chosen by the charge's name.
func chargeColour(name string) string {
	v := hash32(name)
	return fmt.Sprintf("rgb(%d,%d,%d)", 120+v%50, 165+(v>>8)%45, 215+(v>>16)%40)
}

func hash32(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

func groupDigits(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

const flameStyle = `<style type="text/css">
text { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; fill: #222; }
.background { fill: #fbfaf5; }
.title { font-size: 17px; text-anchor: middle; }
.sub { fill: #666; text-anchor: middle; }
.control { fill: #2a55a0; cursor: pointer; }
.head { font-weight: bold; }
.th { fill: #555; font-weight: bold; }
.frame rect { stroke: #fbfaf5; stroke-width: 0.6; }
.frame { cursor: pointer; }
.frame:hover rect { stroke: #333; stroke-width: 1; }
.frame text { pointer-events: none; }
.hide { display: none; }
.ancestor rect { opacity: 0.55; }
.match rect { fill: rgb(228,0,200) !important; }
</style>
`

// flameScript zooms, searches and shows details. Frames carry their place
// in gas coordinates (data-x, data-w: positive gas from the left edge of
// the message) and their depth; the script maps a chosen range of gas onto
// the width of the picture.
const flameScript = `var svg, frames, details, unzoomBtn, matchedText, searchBtn, zoomed = null, currentRE = null;
function flameInit(evt) {
	svg = document.documentElement;
	frames = Array.prototype.slice.call(document.querySelectorAll("g.frame"));
	details = document.getElementById("details");
	unzoomBtn = document.getElementById("unzoom");
	matchedText = document.getElementById("matched");
	searchBtn = document.getElementById("search");
	frames.forEach(function (g) {
		g.addEventListener("click", function (e) { zoom(g); e.stopPropagation(); });
		g.addEventListener("mouseover", function () { details.textContent = g.querySelector("title").textContent.split("\n").join(" · "); });
		g.addEventListener("mouseout", function () { details.textContent = " "; });
	});
	unzoomBtn.addEventListener("click", function () { zoom(null); });
	searchBtn.addEventListener("click", function () { if (currentRE) { search(null); } else { askSearch(); } });
	matchedText.addEventListener("click", function () { search(null); });
	window.addEventListener("keydown", function (e) {
		if ((e.ctrlKey || e.metaKey) && e.key === "f") { e.preventDefault(); askSearch(); }
		if (e.key === "Escape") { search(null); zoom(null); }
	});
	var q = new URLSearchParams(window.location.search);
	if (q.get("z")) { zoomTo(q.get("z")); }
	if (q.get("s")) { search(q.get("s")); }
}
function frameName(g) { return g.getAttribute("data-l").replace(/( ×[0-9]+)? -?[0-9.]+%$/, ""); }
// zoomTo zooms into the first frame (top down, largest first) whose name
// matches the regular expression.
function zoomTo(s) {
	var re;
	try { re = new RegExp(s); } catch (e) { return; }
	for (var i = 0; i < frames.length; i++) {
		if (re.test(frameName(frames[i]))) { zoom(frames[i]); return; }
	}
}
function num(g, k) { return +g.getAttribute("data-" + k); }
function width() { return +svg.getAttribute("width") - 2 * flamePad; }
// place draws every frame for the gas range [x0, x0+w) below depth d0;
// frames above it that contain the range are drawn across the whole width.
function place(x0, w, d0) {
	var scale = width() / w;
	frames.forEach(function (g) {
		var fx = num(g, "x"), fw = num(g, "w"), d = num(g, "d");
		var rect = g.querySelector("rect"), text = g.querySelector("text");
		var left, right;
		g.classList.remove("ancestor");
		if (d < d0) {
			if (fx > x0 || fx + fw < x0 + w) { g.classList.add("hide"); return; }
			g.classList.add("ancestor");
			left = 0; right = w;
		} else {
			left = Math.max(fx, x0) - x0; right = Math.min(fx + fw, x0 + w) - x0;
			if (right <= left) { g.classList.add("hide"); return; }
		}
		g.classList.remove("hide");
		var px = flamePad + left * scale, pw = (right - left) * scale;
		rect.setAttribute("x", px.toFixed(2));
		rect.setAttribute("width", pw.toFixed(2));
		text.setAttribute("x", (px + 3).toFixed(2));
		text.textContent = fit(g.getAttribute("data-l"), pw);
	});
}
function fit(label, pw) {
	var n = Math.floor((pw - 6) / flameCharW);
	if (label.length <= n) { return label; }
	if (n < 3) { return ""; }
	return label.substring(0, n - 2) + "..";
}
function zoom(g) {
	if (g === null || num(g, "d") === 0) {
		zoomed = null;
		unzoomBtn.classList.add("hide");
		place(0, flameTotal, 0);
		return;
	}
	zoomed = g;
	unzoomBtn.classList.remove("hide");
	place(num(g, "x"), num(g, "w"), num(g, "d"));
}
function askSearch() {
	var s = prompt("Search frames (regular expression)", currentRE ? currentRE.source : "");
	if (s !== null) { search(s === "" ? null : s); }
}
// search marks the frames whose name matches and says the share of the
// gas they cover; nested matches are counted once.
function search(s) {
	frames.forEach(function (g) { g.classList.remove("match"); });
	if (s === null) { currentRE = null; matchedText.textContent = ""; searchBtn.textContent = "Search"; return; }
	try { currentRE = new RegExp(s); } catch (e) { matchedText.textContent = "bad regexp"; return; }
	var spans = [];
	frames.forEach(function (g) {
		if (currentRE.test(frameName(g))) {
			g.classList.add("match");
			spans.push([num(g, "x"), num(g, "x") + num(g, "w")]);
		}
	});
	spans.sort(function (a, b) { return a[0] - b[0]; });
	var covered = 0, end = -1;
	spans.forEach(function (sp) {
		if (sp[0] >= end) { covered += sp[1] - sp[0]; end = sp[1]; }
		else if (sp[1] > end) { covered += sp[1] - end; end = sp[1]; }
	});
	searchBtn.textContent = "Clear search";
	matchedText.textContent = "Matched: " + (100 * covered / flameTotal).toFixed(1) + "% of the gas";
}
`
