package render

import (
	_ "embed"
	"fmt"
	"math"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// FontSet names the TrueType fonts for PDF output. Nil fields use the
// defaults: the bundled Noto Sans for text, Go Mono for code, and the
// bundled Droid Sans Fallback for Chinese, Japanese and Korean.
type FontSet struct {
	Regular, Bold, Italic, BoldItalic []byte
	Mono                              []byte
	CJK                               []byte
}

//go:embed fonts/DroidSansFallbackFull.ttf
var droidFallback []byte

// Noto Sans, a face made for long reading, cut to the Latin, Greek and
// Cyrillic ranges and common symbols (fonts/README.md says how); a rune it
// lacks falls back to the CJK font, as for Chinese text.
var (
	//go:embed fonts/NotoSans-Regular.ttf
	notoRegular []byte
	//go:embed fonts/NotoSans-Bold.ttf
	notoBold []byte
	//go:embed fonts/NotoSans-Italic.ttf
	notoItalic []byte
	//go:embed fonts/NotoSans-BoldItalic.ttf
	notoBoldItalic []byte
)

func (f FontSet) withDefaults() FontSet {
	or := func(b, def []byte) []byte {
		if b != nil {
			return b
		}
		return def
	}
	return FontSet{
		Regular:    or(f.Regular, notoRegular),
		Bold:       or(f.Bold, notoBold),
		Italic:     or(f.Italic, notoItalic),
		BoldItalic: or(f.BoldItalic, notoBoldItalic),
		Mono:       or(f.Mono, gomono.TTF),
		CJK:        or(f.CJK, droidFallback),
	}
}

// CheckFont reports whether b is a TrueType font policyc can embed: TrueType
// outlines in a single font file (not a collection, not CFF/OpenType).
func CheckFont(b []byte) error {
	if len(b) < 4 {
		return fmt.Errorf("not a font file")
	}
	switch string(b[:4]) {
	case "\x00\x01\x00\x00", "true":
	case "ttcf":
		return fmt.Errorf("a TrueType collection (.ttc) cannot be embedded: extract one font as .ttf")
	case "OTTO":
		return fmt.Errorf("an OpenType/CFF font (.otf) cannot be embedded: use a TrueType (.ttf) font")
	default:
		return fmt.Errorf("not a TrueType font")
	}
	if _, err := sfnt.Parse(b); err != nil {
		return fmt.Errorf("not a usable TrueType font: %v", err)
	}
	return nil
}

// fontMetrics answers, for one font, whether it has a glyph for a rune and
// how wide fpdf sets the rune, read from the font's own tables: measuring
// text needs no font selection, which fpdf would write into the page.
// Widths are fpdf's exactly: thousandths of the em, rounded as fpdf rounds
// them, with fpdf's width for a rune the font does not map.
type fontMetrics struct {
	font    *sfnt.Font
	ppem    fixed.Int26_6 // the units per em: an advance comes back in font units
	scale   float64       // 1000 / units per em, as fpdf computes it
	missing int           // fpdf's width of a rune the font does not map
	mu      sync.Mutex
	buf     sfnt.Buffer
	memo    map[rune]glyphMetric
	mapped  int // runes the font maps, -1 until counted
}

type glyphMetric struct {
	has   bool
	units int
}

// metricsCache holds the metrics of each bundled font for the process, so
// that widths measured for one document serve the next. A font file given
// by the user is read for each document (and not kept for the process).
var metricsCache sync.Map // *byte, the font's first byte -> *fontMetrics

func bundled(b []byte) bool {
	for _, f := range [][]byte{notoRegular, notoBold, notoItalic, notoBoldItalic, gomono.TTF, droidFallback} {
		if &b[0] == &f[0] && len(b) == len(f) {
			return true
		}
	}
	return false
}

// metricsFor returns the metrics of a font file, parsed once per process
// for a bundled font.
func metricsFor(b []byte) (*fontMetrics, error) {
	if len(b) == 0 {
		return nil, fmt.Errorf("not a font file")
	}
	cache := bundled(b)
	if cache {
		if m, ok := metricsCache.Load(&b[0]); ok {
			return m.(*fontMetrics), nil
		}
	}
	f, err := sfnt.Parse(b)
	if err != nil {
		return nil, err
	}
	m := &fontMetrics{font: f, ppem: fixed.Int26_6(f.UnitsPerEm()), memo: map[rune]glyphMetric{}, mapped: -1}
	m.scale = 1000.0 / float64(f.UnitsPerEm())
	// fpdf's width for an unmapped rune: that of glyph 0, or 500 if zero.
	m.missing = int(math.Floor(m.scale*float64(m.advance(0)) + 0.5))
	if m.missing == 0 {
		m.missing = 500
	}
	if !cache {
		return m, nil
	}
	v, _ := metricsCache.LoadOrStore(&b[0], m)
	return v.(*fontMetrics), nil
}

// advance is a glyph's advance in font units, as fpdf reads it (an advance
// of 2^15 units or more counts as none); the caller holds mu or owns m.
func (m *fontMetrics) advance(g sfnt.GlyphIndex) int {
	a, err := m.font.GlyphAdvance(&m.buf, g, m.ppem, font.HintingNone)
	if err != nil || a >= 1<<15 {
		return 0
	}
	return int(a)
}

func (m *fontMetrics) glyph(r rune) glyphMetric {
	m.mu.Lock()
	defer m.mu.Unlock()
	if v, ok := m.memo[r]; ok {
		return v
	}
	var v glyphMetric
	switch {
	case r == 0:
		// fpdf keeps the count of mapped runes where rune 0's width would be.
		v.units = m.countMapped()
	case r > 0xffff:
		v.units = m.missing // fpdf maps the Basic Multilingual Plane only
	default:
		g, err := m.font.GlyphIndex(&m.buf, r)
		v.has = err == nil && g != 0
		if v.has && int(g) < m.font.NumGlyphs() {
			v.units = int(math.Round(m.scale * float64(m.advance(g))))
		} else {
			v.units = m.missing
		}
	}
	m.memo[r] = v
	return v
}

// countMapped counts the runes of the Basic Multilingual Plane the font
// maps to a glyph; the caller holds mu.
func (m *fontMetrics) countMapped() int {
	if m.mapped < 0 {
		m.mapped = 0
		for r := rune(1); r < 0xffff; r++ {
			if g, err := m.font.GlyphIndex(&m.buf, r); err == nil && g != 0 && int(g) < m.font.NumGlyphs() {
				m.mapped++
			}
		}
	}
	return m.mapped
}

// has reports whether the font has a glyph for r.
func (m *fontMetrics) has(r rune) bool { return m.glyph(r).has }

// units is the width fpdf gives r, in thousandths of the em.
func (m *fontMetrics) units(r rune) int { return m.glyph(r).units }
