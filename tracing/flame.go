package tracing

import (
	"fmt"
	"hash/fnv"
	"html"
	"io"
	"sort"
	"strings"
)

// FlameOptions shape the gas flame graph.
type FlameOptions struct {
	Title      string  // shown above the graph
	Width      float64 // pixels; 0 → 1200
	FrameH     float64 // pixels per call level; 0 → 18
	ActorNames func(t *ExecutionTrace) string
}

// WriteFlameGraph writes a self-contained SVG gas flame graph (an icicle:
// the message on top, each internal send below its caller). A frame's width
// is the gas of the call including its subcalls; below a call come, side by
// side, the gas charges it made itself (blue, grouped by name, largest
// first) and then its subcalls (warm colours, in the order they were made).
// Under the graph a legend and a table list every call with its gas, since
// small calls are too narrow to label. No script: hover titles carry the
// numbers. Amounts are whole gas, as in the Lotus trace.
func WriteFlameGraph(w io.Writer, root *ExecutionTrace, o FlameOptions) error {
	if o.Width == 0 {
		o.Width = 1200
	}
	if o.FrameH == 0 {
		o.FrameH = 18
	}
	total := inclusiveGas(root)
	depth := maxDepth(root, 1) + 1 // one extra row for the deepest call's charges
	calls := countTrace(root)
	const top, lineH = 40, 15.0
	graphBottom := top + float64(depth)*o.FrameH
	legendY := graphBottom + 18
	tableY := legendY + 26
	height := tableY + float64(calls+1)*lineH + 10
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>`+"\n")
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="monospace" font-size="11">`+"\n",
		o.Width, height, o.Width, height)
	fmt.Fprintf(&b, `<rect class="background" x="0" y="0" width="%.0f" height="%.0f" fill="#fdfdf6"/>`+"\n", o.Width, height)
	title := o.Title
	if title == "" {
		title = "gas flame graph"
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="18" font-size="14" text-anchor="middle">%s</text>`+"\n", o.Width/2, html.EscapeString(title))
	fmt.Fprintf(&b, `<text x="%.1f" y="32" text-anchor="middle" fill="#555">%s gas in charges (each rounded up) · %d calls · width = gas including subcalls · hover for details</text>`+"\n",
		o.Width/2, groupDigits(total), calls)
	scale := 0.0
	if total > 0 {
		scale = (o.Width - 20) / float64(total)
	}
	f := flame{b: &b, scale: scale, h: o.FrameH, top: top, names: o.ActorNames}
	f.frame(root, 10, 0)

	// Legend.
	fmt.Fprintf(&b, `<rect class="legend" x="10" y="%.1f" width="14" height="11" fill="%s"/>`, legendY-9, colour("actor"))
	fmt.Fprintf(&b, `<text x="30" y="%.1f">actor call (warm, one colour per actor): address, manifest name, method mN, gas</text>`+"\n", legendY)
	fmt.Fprintf(&b, `<rect class="legend" x="640" y="%.1f" width="14" height="11" fill="%s"/>`, legendY-9, chargeFill)
	fmt.Fprintf(&b, `<text x="660" y="%.1f">gas charge made by the call above it (summed by name)</text>`+"\n", legendY)

	// Call table.
	fmt.Fprintf(&b, `<text x="10" y="%.1f" font-weight="bold" xml:space="preserve">%s</text>`+"\n", tableY,
		fmt.Sprintf("%-48s %15s %7s %15s %5s", "call", "gas incl. subs", "share", "own gas", "exit"))
	row := 0
	var table func(t *ExecutionTrace, d int)
	table = func(t *ExecutionTrace, d int) {
		row++
		incl := inclusiveGas(t)
		share := 0.0
		if total > 0 {
			share = 100 * float64(incl) / float64(total)
		}
		label := strings.Repeat("  ", d) + f.label(t)
		if len(label) > 48 {
			label = label[:46] + ".."
		}
		fmt.Fprintf(&b, `<text x="10" y="%.1f" xml:space="preserve">%s</text>`+"\n", tableY+float64(row)*lineH,
			html.EscapeString(fmt.Sprintf("%-48s %15s %6.1f%% %15s %5d", label, groupDigits(incl), share, groupDigits(selfGas(t)), t.MsgRct.ExitCode)))
		for i := range t.Subcalls {
			table(&t.Subcalls[i], d+1)
		}
	}
	table(root, 0)
	fmt.Fprintf(&b, "</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

const chargeFill = "#c8d6e5"

type flame struct {
	b     *strings.Builder
	scale float64
	h     float64
	top   float64
	names func(t *ExecutionTrace) string
}

func (f *flame) frame(t *ExecutionTrace, x float64, level int) {
	incl := inclusiveGas(t)
	self := selfGas(t)
	w := float64(incl) * f.scale
	y := f.top + float64(level)*f.h
	label := f.label(t)
	tip := fmt.Sprintf("%s\n%s gas including subcalls, %s own\nexit %d", label, groupDigits(incl), groupDigits(self), t.MsgRct.ExitCode)
	f.rect("call", x, y, w, label+" "+compact(incl), tip, colour(f.name(t)))
	// The call's own charges, one row down, before its subcalls.
	cx := x
	charges := append([]*GasTrace(nil), t.GasCharges...)
	sort.SliceStable(charges, func(i, j int) bool { return charges[i].TotalGas > charges[j].TotalGas })
	byName := map[string]int64{}
	var order []string
	for _, c := range charges {
		if _, ok := byName[c.Name]; !ok {
			order = append(order, c.Name)
		}
		byName[c.Name] += c.TotalGas
	}
	sort.SliceStable(order, func(i, j int) bool { return byName[order[i]] > byName[order[j]] })
	for _, name := range order {
		cw := float64(byName[name]) * f.scale
		f.rect("charge", cx, y+f.h, cw, name+" "+compact(byName[name]),
			fmt.Sprintf("%s: %s gas (own charge of %s)", name, groupDigits(byName[name]), label), chargeFill)
		cx += cw
	}
	for i := range t.Subcalls {
		sub := &t.Subcalls[i]
		f.frame(sub, cx, level+1)
		cx += float64(inclusiveGas(sub)) * f.scale
	}
}

func (f *flame) rect(class string, x, y, w float64, label, tip, fill string) {
	if w <= 0 {
		return
	}
	fmt.Fprintf(f.b, `<g><title>%s</title><rect class="%s" x="%.2f" y="%.2f" width="%.2f" height="%.2f" fill="%s" stroke="#fff" stroke-width="0.5"/>`,
		html.EscapeString(tip), class, x, y, w, f.h-1, fill)
	if chars := int((w - 4) / 6.6); chars >= 3 {
		if len(label) > chars {
			label = label[:chars-2] + ".."
		}
		fmt.Fprintf(f.b, `<text x="%.2f" y="%.2f">%s</text>`, x+2, y+f.h-5, html.EscapeString(label))
	}
	f.b.WriteString("</g>\n")
}

func (f *flame) name(t *ExecutionTrace) string {
	if f.names != nil {
		if n := f.names(t); n != "" {
			return n
		}
	}
	return t.Msg.To.String()
}

func (f *flame) label(t *ExecutionTrace) string {
	name := ""
	if f.names != nil {
		name = f.names(t)
	}
	if name != "" {
		name = " " + name
	}
	return fmt.Sprintf("%s%s m%d", t.Msg.To, name, t.Msg.Method)
}

// compact writes gas as 1.2k, 3.4M or 5.6G for labels.
func compact(g int64) string {
	switch a := float64(g); {
	case g >= 1e9 || g <= -1e9:
		return fmt.Sprintf("%.1fG", a/1e9)
	case g >= 1e6 || g <= -1e6:
		return fmt.Sprintf("%.1fM", a/1e6)
	case g >= 1e3 || g <= -1e3:
		return fmt.Sprintf("%.1fk", a/1e3)
	}
	return fmt.Sprint(g)
}

func countTrace(t *ExecutionTrace) int {
	n := 1
	for i := range t.Subcalls {
		n += countTrace(&t.Subcalls[i])
	}
	return n
}

func selfGas(t *ExecutionTrace) int64 {
	var s int64
	for _, c := range t.GasCharges {
		s += c.TotalGas
	}
	return s
}

func inclusiveGas(t *ExecutionTrace) int64 {
	s := selfGas(t)
	for i := range t.Subcalls {
		s += inclusiveGas(&t.Subcalls[i])
	}
	return s
}

func maxDepth(t *ExecutionTrace, d int) int {
	m := d
	for i := range t.Subcalls {
		if s := maxDepth(&t.Subcalls[i], d+1); s > m {
			m = s
		}
	}
	return m
}

// colour picks a warm colour from the label, deterministically.
func colour(label string) string {
	h := fnv.New32a()
	h.Write([]byte(label))
	v := h.Sum32()
	r := 205 + v%50
	g := 80 + (v>>8)%120
	b := 40 + (v>>16)%50
	return fmt.Sprintf("rgb(%d,%d,%d)", r, g, b)
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
