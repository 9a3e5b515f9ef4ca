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
// is the gas of the call including its subcalls; the part not covered by
// subcalls is the call's own gas, itself split into the gas charges it made,
// largest first. No script: hover titles carry the numbers.
func WriteFlameGraph(w io.Writer, root *ExecutionTrace, o FlameOptions) error {
	if o.Width == 0 {
		o.Width = 1200
	}
	if o.FrameH == 0 {
		o.FrameH = 18
	}
	total := inclusiveGas(root)
	depth := maxDepth(root, 1) + 1 // one extra row for the charge breakdown
	const top = 40
	height := top + float64(depth)*o.FrameH + 24
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>`+"\n")
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="monospace" font-size="11">`+"\n",
		o.Width, height, o.Width, height)
	fmt.Fprintf(&b, `<rect x="0" y="0" width="%.0f" height="%.0f" fill="#fdfdf6"/>`+"\n", o.Width, height)
	title := o.Title
	if title == "" {
		title = "gas flame graph"
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="18" font-size="14" text-anchor="middle">%s</text>`+"\n", o.Width/2, html.EscapeString(title))
	fmt.Fprintf(&b, `<text x="%.1f" y="32" text-anchor="middle" fill="#555">total %s gas · width = gas including subcalls · hover for details</text>`+"\n",
		o.Width/2, groupDigits(total))
	scale := 0.0
	if total > 0 {
		scale = (o.Width - 20) / float64(total)
	}
	f := flame{b: &b, scale: scale, h: o.FrameH, top: top, names: o.ActorNames}
	f.frame(root, 10, 0)
	fmt.Fprintf(&b, "</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

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
	f.rect(x, y, w, label, tip, colour(label))
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
	for _, name := range order {
		cw := float64(byName[name]) * f.scale
		f.rect(cx, y+f.h, cw, name, fmt.Sprintf("%s: %s gas (own charge of %s)", name, groupDigits(byName[name]), label), "#c8d6e5")
		cx += cw
	}
	for i := range t.Subcalls {
		sub := &t.Subcalls[i]
		f.frame(sub, cx, level+1)
		cx += float64(inclusiveGas(sub)) * f.scale
	}
}

func (f *flame) rect(x, y, w float64, label, tip, fill string) {
	if w <= 0 {
		return
	}
	fmt.Fprintf(f.b, `<g><title>%s</title><rect x="%.2f" y="%.2f" width="%.2f" height="%.2f" fill="%s" stroke="#fff" stroke-width="0.5"/>`,
		html.EscapeString(tip), x, y, w, f.h-1, fill)
	if chars := int((w - 4) / 6.6); chars >= 3 {
		if len(label) > chars {
			label = label[:chars-2] + ".."
		}
		fmt.Fprintf(f.b, `<text x="%.2f" y="%.2f">%s</text>`, x+2, y+f.h-5, html.EscapeString(label))
	}
	f.b.WriteString("</g>\n")
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
