package render

import (
	_ "embed"
	"fmt"
	"sync"

	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/sfnt"
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

// coverage answers whether a font has a glyph for a rune.
type coverage struct {
	font *sfnt.Font
	mu   sync.Mutex
	buf  sfnt.Buffer
	memo map[rune]bool
}

func newCoverage(b []byte) (*coverage, error) {
	f, err := sfnt.Parse(b)
	if err != nil {
		return nil, err
	}
	return &coverage{font: f, memo: map[rune]bool{}}, nil
}

func (c *coverage) has(r rune) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.memo[r]; ok {
		return v
	}
	i, err := c.font.GlyphIndex(&c.buf, r)
	v := err == nil && i != 0
	c.memo[r] = v
	return v
}
