package render

import (
	"math"
	"slices"

	east "github.com/yuin/goldmark/extension/ast"
)

// tableCell is a laid-out cell.
type tableCell struct {
	atoms []atom
	lines []lineOf
}

// table draws a table whose cells wrap their text. Columns get at least
// their longest unbreakable word and share the rest by how much text they
// hold. Rows that do not fit continue on the next page, where the header
// row is repeated.
func (p *pdfWriter) table(t *east.Table, indent float64) {
	size := bodySize - 1
	lineH := size * 1.35
	var header []tableCell
	var rows [][]tableCell
	for r := t.FirstChild(); r != nil; r = r.NextSibling() {
		var cells []tableCell
		st := style{}
		if _, ok := r.(*east.TableHeader); ok {
			st.bold = true
		}
		for c := r.FirstChild(); c != nil; c = c.NextSibling() {
			// Laid out in the scratch buffer, kept at their own size.
			p.scratch = p.appendAtoms(p.scratch[:0], p.inlines(c, st), size)
			cells = append(cells, tableCell{atoms: slices.Clone(p.scratch)})
		}
		if st.bold {
			header = cells
		} else {
			rows = append(rows, cells)
		}
	}
	ncol := len(header)
	if ncol == 0 {
		return
	}
	avail := p.contentWidth() - indent
	minW := make([]float64, ncol)
	maxW := make([]float64, ncol)
	// text[r][i] is the width of row r's cell i on one line (row 0 is
	// the header).
	text := make([][]float64, 0, len(rows)+1)
	measure := func(cells []tableCell) {
		row := make([]float64, ncol)
		for i, c := range cells {
			if i >= ncol {
				break
			}
			line, word := 0.0, 0.0
			for _, a := range c.atoms {
				if a.breakBefore || a.space {
					word = 0
				}
				word += a.width
				line += a.width
				minW[i] = max(minW[i], word+2*cellPad)
			}
			maxW[i] = max(maxW[i], line+2*cellPad)
			row[i] = line
		}
		text = append(text, row)
	}
	measure(header)
	for _, r := range rows {
		measure(r)
	}
	widths := fitColumns(columnWidths(minW, maxW, avail), minW, text, size*0.6)
	layout := func(cells []tableCell) ([]tableCell, int) {
		n := 1
		for i := range cells {
			if i >= ncol {
				break
			}
			cells[i].lines = breakLines(cells[i].atoms, widths[i]-2*cellPad, p, size)
			n = max(n, len(cells[i].lines))
		}
		return cells, n
	}
	header, hn := layout(header)
	drawRow := func(cells []tableCell, from, to int, fill bool) {
		h := float64(to-from)*lineH + 2*cellPad
		x := marginSide + indent
		p.pdf.SetDrawColor(190, 190, 190)
		p.pdf.SetLineWidth(0.5)
		for i := range ncol {
			if fill {
				p.pdf.SetFillColor(238, 241, 244)
				p.pdf.Rect(x, p.y, widths[i], h, "FD")
			} else {
				p.pdf.Rect(x, p.y, widths[i], h, "D")
			}
			if i < len(cells) {
				for k := from; k < to && k < len(cells[i].lines); k++ {
					p.drawLine(cells[i].lines[k], x+cellPad, p.y+cellPad+float64(k-from)*lineH, size, lineH)
				}
			}
			x += widths[i]
		}
		p.pdf.SetLineWidth(0.2)
		p.y += h
		p.drew()
	}
	headerH := float64(hn)*lineH + 2*cellPad
	p.ensure(headerH + lineH + 2*cellPad)
	drawRow(header, 0, hn, true)
	for _, r := range rows {
		r, n := layout(r)
		from := 0
		for from < n {
			room := int((p.pageH - marginBottom - p.y - 2*cellPad) / lineH)
			if room < 1 || (from == 0 && room < n && n <= int((p.pageH-marginTop-marginBottom-headerH-2*cellPad)/lineH)) {
				// Keep a row whole when it fits on a fresh page.
				p.newPage()
				drawRow(header, 0, hn, true)
				continue
			}
			to := min(n, from+room)
			drawRow(r, from, to, false)
			from = to
		}
	}
}

// columnWidths gives every column its minimum and shares what is left in
// proportion to how much wider each would like to be; when even the minimums
// do not fit, they are scaled down (cells then break inside words).
func columnWidths(minW, maxW []float64, avail float64) []float64 {
	out := make([]float64, len(minW))
	sumMin, sumMax := 0.0, 0.0
	for i := range minW {
		sumMin += minW[i]
		sumMax += max(maxW[i], minW[i])
	}
	switch {
	case sumMax <= avail:
		for i := range out {
			out[i] = max(maxW[i], minW[i]) * avail / sumMax
		}
	case sumMin >= avail:
		for i := range out {
			out[i] = minW[i] * avail / sumMin
		}
	default:
		extra := avail - sumMin
		for i := range out {
			out[i] = minW[i] + extra*(max(maxW[i], minW[i])-minW[i])/(sumMax-sumMin)
		}
	}
	return out
}

// fitColumns moves width between columns while that makes the table
// shorter, so that a column of short names is not squeezed to a few
// characters beside a column of long lists. A row is as tall as its
// tallest cell, and a cell's height is estimated from its text width; a
// move is taken when it lowers the sum of row heights in whole lines, or
// keeps it and lowers all cells' lines counted in fractions (so that the
// search crosses the flat stretches between whole lines).
// Each move is a fixed step, so the result depends only on the table.
func fitColumns(widths, minW []float64, text [][]float64, step float64) []float64 {
	ncol := len(widths)
	if ncol < 2 || step <= 0 {
		return widths
	}
	cost := func(w []float64) (lines, fraction float64) {
		for _, row := range text {
			tallest := 0.0
			for i, tw := range row {
				n := 1.0
				if usable := w[i] - 2*cellPad; usable > 0 && tw > usable {
					n = tw / usable
				}
				tallest = max(tallest, math.Ceil(n))
				fraction += n
			}
			lines += tallest
		}
		return lines, fraction
	}
	w := slices.Clone(widths)
	bestH, bestC := cost(w)
	for range 400 {
		from, to := -1, -1
		for i := range ncol {
			if w[i]-step < minW[i] {
				continue
			}
			for j := range ncol {
				if i == j {
					continue
				}
				w[i] -= step
				w[j] += step
				h, c := cost(w)
				w[i] += step
				w[j] -= step
				if h < bestH || h == bestH && c < bestC {
					bestH, bestC, from, to = h, c, i, j
				}
			}
		}
		if from < 0 {
			break
		}
		w[from] -= step
		w[to] += step
	}
	return w
}
