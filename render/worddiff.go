package render

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// The redline compares two texts the way git's word diff does: lines
// first (a paragraph of the canonical Markdown is one line), then, inside
// each run of changed lines, the old lines are paired with the new ones by
// the words they share, and only a pair is compared word by word. A pair
// of very long lines is compared sentence by sentence first. The cost is
// the line diff plus the word diffs of the pairs, so it grows with the
// text, not with the text times the number of changes: no word diff ever
// runs over a whole long section.

// rowKind is what a row of a redline is.
type rowKind uint8

const (
	rowEqual  rowKind = iota // the same line on both sides
	rowDelete                // an old line with no counterpart
	rowInsert                // a new line with no counterpart
	rowPair                  // an old line and the new line it became
)

// row is one line of a redline. Old and new keep their line ends; segs is
// the word diff of a pair.
type row struct {
	kind     rowKind
	old, new string
	segs     []Segment
}

const (
	// pairBytes is the size of changed units (old and new together) up to
	// which they are compared word by word at once: the word diff costs
	// the size times the changes, so it only ever sees this much. A longer
	// pair of lines is compared sentence by sentence first.
	pairBytes = 6000
	// minSimilar is the share of words (Dice's coefficient) two changed
	// lines must have in common to be compared word by word; below it the
	// old line reads as deleted and the new one as inserted, as a reader
	// would describe a rewritten paragraph.
	minSimilar = 0.3
	// maxPairing bounds the lines×lines table of a run of changed lines;
	// a larger run (thousands of lines changed with no unchanged line
	// between them) is shown as deleted and inserted whole.
	maxPairing = 1 << 22
)

// WordDiff is the redline of two texts: lines, then words inside changed
// lines (characters in Chinese, Japanese and Korean). Joining the equal and
// deleted segments gives a, the equal and inserted ones b.
func WordDiff(a, b string) []Segment {
	return flatten(diffRows(a, b))
}

// diffRows is the redline of two texts as rows, one per line.
func diffRows(a, b string) []row {
	return unitRows(splitLines(a), splitLines(b), 0)
}

// unitRows compares two texts cut into units (lines at level 0, sentences
// at level 1): an exact diff of the units, then the changed units paired
// and compared by words.
func unitRows(ua, ub []string, level int) []row {
	var out []row
	var dels, ins []string
	flush := func() {
		out = appendHunk(out, dels, ins, level)
		dels, ins = dels[:0], ins[:0]
	}
	for _, s := range unitDiff(ua, ub) {
		switch s.op {
		case Equal:
			flush()
			for _, u := range s.a {
				out = append(out, row{kind: rowEqual, old: u, new: u})
			}
		case Delete:
			dels = append(dels, s.a...)
		case Insert:
			ins = append(ins, s.b...)
		}
	}
	flush()
	return out
}

// appendHunk appends the rows of a run of changed units. A short run is
// compared word by word as a whole, as git's word diff does. In a longer
// one the old units are paired with the new ones they resemble, in order,
// and each pair is compared together with the unpaired units just before
// it (a sentence split in two, a paragraph merged into the next), as long
// as that stays short; otherwise the unpaired units read as deleted and
// inserted whole.
func appendHunk(out []row, dels, ins []string, level int) []row {
	group := func(out []row, ds, is []string) []row {
		switch {
		case len(ds) == 0 && len(is) == 0:
			return out
		case len(ds) > 0 && len(is) > 0 && size(ds)+size(is) <= pairBytes:
			a, b := strings.Join(ds, ""), strings.Join(is, "")
			return append(out, row{kind: rowPair, old: a, new: b, segs: exactDiff(a, b)})
		}
		for _, d := range ds {
			out = append(out, row{kind: rowDelete, old: d})
		}
		for _, u := range is {
			out = append(out, row{kind: rowInsert, new: u})
		}
		return out
	}
	if size(dels)+size(ins) <= pairBytes {
		return group(out, dels, ins)
	}
	// Chunks end after a pair (or at the end) and hold as many pairs, and
	// the unpaired units between them, as fit in pairBytes.
	pairs := pairUnits(dels, ins)
	fits := func(ci, cj, ni, nj int) bool { return size(dels[ci:ni])+size(ins[cj:nj]) <= pairBytes }
	ci, cj := 0, 0 // where the chunk being gathered starts
	i, j := 0, 0   // and ends
	for k := 0; k <= len(pairs); k++ {
		ni, nj := len(dels), len(ins)
		if k < len(pairs) {
			ni, nj = pairs[k][0]+1, pairs[k][1]+1
		}
		if fits(ci, cj, ni, nj) {
			i, j = ni, nj
			continue
		}
		out = group(out, dels[ci:i], ins[cj:j])
		ci, cj = i, j
		if fits(ci, cj, ni, nj) {
			i, j = ni, nj
			continue
		}
		if k < len(pairs) { // the pair alone, after the unpaired units before it
			out = group(out, dels[ci:ni-1], ins[cj:nj-1])
			a, b := dels[ni-1], ins[nj-1]
			out = append(out, row{kind: rowPair, old: a, new: b, segs: pairDiff(a, b, level)})
		} else {
			out = group(out, dels[ci:ni], ins[cj:nj])
		}
		ci, cj, i, j = ni, nj, ni, nj
	}
	return group(out, dels[ci:i], ins[cj:j])
}

// size is the length of units together, in bytes.
func size(us []string) int {
	n := 0
	for _, u := range us {
		n += len(u)
	}
	return n
}

// pairDiff is the word diff of a paired old and new unit. A long pair of
// lines is compared sentence by sentence, a long pair of sentences clause
// by clause; a pair of clauses still too long (a run-on text with no
// punctuation) keeps what the two share at their start and end and shows
// the rest as deleted and inserted, when that rest is itself too long to
// compare.
func pairDiff(a, b string, level int) []Segment {
	if len(a)+len(b) <= pairBytes {
		return exactDiff(a, b)
	}
	switch level {
	case 0:
		return flatten(unitRows(splitSentences(a), splitSentences(b), 1))
	case 1:
		return flatten(unitRows(splitClauses(a), splitClauses(b), 2))
	}
	ta, tb := tokens(a), tokens(b)
	p := 0
	for p < len(ta) && p < len(tb) && ta[p] == tb[p] {
		p++
	}
	q := 0
	for q < len(ta)-p && q < len(tb)-p && ta[len(ta)-1-q] == tb[len(tb)-1-q] {
		q++
	}
	head := strings.Join(ta[:p], "")
	ma, mb := strings.Join(ta[p:len(ta)-q], ""), strings.Join(tb[p:len(tb)-q], "")
	tail := strings.Join(ta[len(ta)-q:], "")
	var mid []Segment
	if len(ma)+len(mb) <= pairBytes {
		mid = exactDiff(ma, mb)
	} else {
		mid = []Segment{{Delete, ma}, {Insert, mb}}
	}
	return flatten([]row{{kind: rowEqual, old: head}, {kind: rowPair, segs: mid}, {kind: rowEqual, old: tail}})
}

// flatten joins rows into segments, merging neighbours of one kind (in
// one builder per segment: a deleted section of many lines is one copy).
func flatten(rows []row) []Segment {
	var out []Segment
	var cur strings.Builder
	op := Equal
	add := func(o Op, text string) {
		if text == "" {
			return
		}
		if o != op && cur.Len() > 0 {
			out = append(out, Segment{op, cur.String()})
			cur.Reset()
		}
		op = o
		cur.WriteString(text)
	}
	for _, r := range rows {
		switch r.kind {
		case rowEqual:
			add(Equal, r.old)
		case rowDelete:
			add(Delete, r.old)
		case rowInsert:
			add(Insert, r.new)
		case rowPair:
			for _, s := range r.segs {
				add(s.Op, s.Text)
			}
		}
	}
	if cur.Len() > 0 {
		out = append(out, Segment{op, cur.String()})
	}
	return out
}

// unitSpan is a run of units one diff operation covers.
type unitSpan struct {
	op   Op
	a, b []string
}

// unitDiff is an exact diff of two sequences of units (no time limit: a
// limit would make the result depend on the machine's speed). Units found
// on one side only cannot be matched, so they are set aside before the
// diff and put back as deleted or inserted after it (GNU diff's discarding
// of lines): when most paragraphs changed, what is left to compare is the
// few that did not, and the diff costs what the text's length costs.
func unitDiff(ua, ub []string) []unitSpan {
	ids := map[string]rune{}
	seen := map[rune]uint8{} // 1: in a, 2: in b, 3: both
	encode := func(us []string, side uint8) []rune {
		rs := make([]rune, len(us))
		for i, u := range us {
			r, ok := ids[u]
			if !ok {
				r = tokenRune(len(ids))
				ids[u] = r
			}
			rs[i] = r
			seen[r] |= side
		}
		return rs
	}
	ra, rb := encode(ua, 1), encode(ub, 2)
	keep := func(rs []rune) ([]rune, []int) {
		var kept []rune
		var at []int
		for i, r := range rs {
			if seen[r] == 3 {
				kept = append(kept, r)
				at = append(at, i)
			}
		}
		return kept, at
	}
	ka, ia := keep(ra)
	kb, ib := keep(rb)
	var out []unitSpan
	emit := func(op Op, a, b []string) {
		if len(a) == 0 && len(b) == 0 {
			return
		}
		if n := len(out); n > 0 && out[n-1].op == op {
			// Neighbouring runs are neighbouring slices of ua and ub.
			out[n-1].a = out[n-1].a[:len(out[n-1].a)+len(a)]
			out[n-1].b = out[n-1].b[:len(out[n-1].b)+len(b)]
			return
		}
		out = append(out, unitSpan{op, a, b})
	}
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	i, j := 0, 0 // units of ua and ub placed
	x, y := 0, 0 // kept units of each side placed
	for _, d := range dmp.DiffMainRunes(ka, kb, false) {
		n := utf8.RuneCountInString(d.Text)
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			for range n {
				oi, oj := ia[x], ib[y]
				emit(Delete, ua[i:oi], nil)
				emit(Insert, nil, ub[j:oj])
				emit(Equal, ua[oi:oi+1], ub[oj:oj+1])
				i, j, x, y = oi+1, oj+1, x+1, y+1
			}
		case diffmatchpatch.DiffDelete:
			x += n
		case diffmatchpatch.DiffInsert:
			y += n
		}
	}
	emit(Delete, ua[i:], nil)
	emit(Insert, nil, ub[j:])
	return out
}

// pairUnits pairs old and new units in order, maximising the words the
// pairs share; a pair shares at least minSimilar of its words.
func pairUnits(dels, ins []string) [][2]int {
	m, n := len(dels), len(ins)
	if m == 0 || n == 0 || m*n > maxPairing {
		return nil
	}
	bd, bi := make([][]uint32, m), make([][]uint32, n)
	for i, u := range dels {
		bd[i] = wordBag(u)
	}
	for j, u := range ins {
		bi[j] = wordBag(u)
	}
	// best[i][j] is the most shared words pairing dels[:i] with ins[:j].
	w := n + 1
	best := make([]float64, (m+1)*w)
	for i := 1; i <= m; i++ {
		for j := 1; j <= n; j++ {
			v := max(best[(i-1)*w+j], best[i*w+j-1])
			if s := similarity(bd[i-1], bi[j-1]); s >= minSimilar {
				v = max(v, best[(i-1)*w+j-1]+s)
			}
			best[i*w+j] = v
		}
	}
	var pairs [][2]int
	for i, j := m, n; i > 0 && j > 0; {
		switch v := best[i*w+j]; {
		case v == best[(i-1)*w+j]:
			i--
		case v == best[i*w+j-1]:
			j--
		default:
			pairs = append(pairs, [2]int{i - 1, j - 1})
			i, j = i-1, j-1
		}
	}
	slices.Reverse(pairs)
	return pairs
}

// wordBag is the sorted hashes of a unit's words (letters and digits; a
// CJK character is a word): enough to tell how alike two units are.
func wordBag(s string) []uint32 {
	var out []uint32
	const offset, prime = 2166136261, 16777619 // FNV-1a
	h, in := uint32(offset), false
	for _, r := range s {
		switch {
		case isCJK(r):
			if in {
				out = append(out, h)
			}
			out = append(out, uint32(r)*prime)
			h, in = offset, false
		case isWord(r):
			h = (h ^ uint32(r)) * prime
			in = true
		case in:
			out = append(out, h)
			h, in = offset, false
		}
	}
	if in {
		out = append(out, h)
	}
	slices.Sort(out)
	return out
}

// similarity is Dice's coefficient of two sorted bags of words; two units
// with no words (blank lines, spacing) are alike.
func similarity(a, b []uint32) float64 {
	if len(a) == 0 || len(b) == 0 {
		if len(a) == len(b) {
			return 1
		}
		return 0
	}
	common := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			common++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return 2 * float64(common) / float64(len(a)+len(b))
}

// splitLines cuts s after each line end.
func splitLines(s string) []string {
	var out []string
	for len(s) > 0 {
		i := strings.IndexByte(s, '\n') + 1
		if i == 0 {
			i = len(s)
		}
		out = append(out, s[:i])
		s = s[i:]
	}
	return out
}

// splitSentences cuts a line after each sentence's end: a full stop,
// question or exclamation mark or semicolon and the spaces after it, or a
// Chinese or Japanese one.
func splitSentences(s string) []string { return splitAfter(s, ".?!;", "。？！；") }

// splitClauses cuts a sentence after each comma or colon and the spaces
// after it, or a Chinese or Japanese comma, enumeration comma or colon.
func splitClauses(s string) []string { return splitAfter(s, ",:", "，、：") }

// splitAfter cuts s after each of marks followed by spaces (with them),
// and after each of wide, which takes no space after it.
func splitAfter(s, marks, wide string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r < utf8.RuneSelf && strings.ContainsRune(marks, r):
			if i < len(s) && s[i] == ' ' {
				for i < len(s) && s[i] == ' ' {
					i++
				}
				out = append(out, s[start:i])
				start = i
			}
		case r >= utf8.RuneSelf && strings.ContainsRune(wide, r):
			out = append(out, s[start:i])
			start = i
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// exactDiff is an exact token-level diff of two short texts. A segment's
// text is a slice of a (equal or deleted) or b (inserted), not a copy.
func exactDiff(a, b string) []Segment {
	ea, eb := tokenEnds(a), tokenEnds(b)
	ids := make(map[string]rune, (len(ea)+len(eb))/2)
	encode := func(s string, ends []int) []rune {
		rs := make([]rune, len(ends))
		start := 0
		for i, e := range ends {
			t := s[start:e]
			r, ok := ids[t]
			if !ok {
				r = tokenRune(len(ids))
				ids[t] = r
			}
			rs[i] = r
			start = e
		}
		return rs
	}
	ra, rb := encode(a, ea), encode(b, eb)
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0 // exact, however long it takes: the texts are short
	at := func(ends []int, i int) int {
		if i == 0 {
			return 0
		}
		return ends[i-1]
	}
	var out []Segment
	i, j := 0, 0 // tokens of a and b placed
	for _, d := range dmp.DiffMainRunes(ra, rb, false) {
		n := utf8.RuneCountInString(d.Text)
		var seg Segment
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			seg = Segment{Equal, a[at(ea, i):at(ea, i+n)]}
			i, j = i+n, j+n
		case diffmatchpatch.DiffDelete:
			seg = Segment{Delete, a[at(ea, i):at(ea, i+n)]}
			i += n
		case diffmatchpatch.DiffInsert:
			seg = Segment{Insert, b[at(eb, j):at(eb, j+n)]}
			j += n
		}
		if k := len(out); k > 0 && out[k-1].Op == seg.Op {
			out[k-1].Text += seg.Text
			continue
		}
		out = append(out, seg)
	}
	return joinAcrossSpaces(out)
}

// joinAcrossSpaces makes one deletion and one insertion of changes that
// only spaces separate ("<del>a</del> <del>b</del>" with insertions
// between reads as "<del>a b</del><ins>c d</ins>"): the same words are
// marked, in fewer, longer runs a reader can follow. Runs of only
// deletions or only insertions are left as they are.
func joinAcrossSpaces(segs []Segment) []Segment {
	var out []Segment
	for i := 0; i < len(segs); {
		if segs[i].Op == Equal {
			out = append(out, segs[i])
			i++
			continue
		}
		// The cluster: changes, and the spaces between them.
		j, end := i, i
		for j < len(segs) && (segs[j].Op != Equal || strings.TrimSpace(segs[j].Text) == "") {
			if segs[j].Op != Equal {
				end = j + 1
			}
			j++
		}
		var del, ins strings.Builder
		dels, inss := 0, 0
		for _, s := range segs[i:end] {
			if s.Op != Insert {
				del.WriteString(s.Text)
			}
			if s.Op != Delete {
				ins.WriteString(s.Text)
			}
			switch s.Op {
			case Delete:
				dels++
			case Insert:
				inss++
			}
		}
		if dels > 0 && inss > 0 {
			out = append(out, Segment{Delete, del.String()}, Segment{Insert, ins.String()})
		} else {
			out = append(out, segs[i:end]...)
		}
		i = end
	}
	return out
}

// tokenEnds is where each token of s ends.
func tokenEnds(s string) []int {
	ends := make([]int, 0, len(s)/3+1)
	for at := 0; at < len(s); {
		at += tokenLen(s[at:])
		ends = append(ends, at)
	}
	return ends
}

// tokenRune and runeToken map the index of a distinct token to a rune and
// back, skipping the surrogate range (go-diff works on valid runes).
func tokenRune(i int) rune {
	if i >= 0xd800 {
		return rune(i + 0x800)
	}
	return rune(i)
}

func runeToken(r rune) int {
	if r >= 0xd800 {
		return int(r) - 0x800
	}
	return int(r)
}

// tokens splits text into the units a redline marks: words, runs of
// spaces, single punctuation marks and single CJK characters — and, since
// the text is Markdown, constructs that break when split are one token
// each: a backslash escape, an entity, a code span, a link or image with
// its destination, an autolink, a bare URL or e-mail address, and a run
// of emphasis delimiters ("**", "_", "~~").
func tokens(s string) []string {
	var out []string
	for len(s) > 0 {
		n := tokenLen(s)
		out = append(out, s[:n])
		s = s[n:]
	}
	return out
}

var (
	entityToken   = regexp.MustCompile(`^&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});`)
	autolinkToken = regexp.MustCompile(`^<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[A-Za-z0-9.!#$%&'*+/=?^_{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*)>`)
	emailToken    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._+-]*@[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+`)
)

// maxConstruct bounds how far a token's end is looked for: a code span,
// link or address longer than this is not taken as one token (so that a
// line of a thousand unclosed brackets costs what its length costs).
const maxConstruct = 2048

// tokenLen is the length in bytes of the token s starts with.
func tokenLen(s string) int {
	switch c := s[0]; c {
	case '\\':
		if len(s) > 1 && isASCIIPunct(s[1]) {
			return 2
		}
		return 1
	case '&':
		if m := entityToken.FindStringIndex(s); m != nil {
			return m[1]
		}
		return 1
	case '`':
		return codeSpanLen(s)
	case '*', '_', '~':
		n := 1
		for n < len(s) && s[n] == c {
			n++
		}
		return n
	case '!':
		if n := linkLen(s[1:]); n > 0 {
			return n + 1
		}
		return 1
	case '[':
		if n := linkLen(s); n > 0 {
			return n
		}
		return 1
	case '<':
		if m := autolinkToken.FindStringIndex(s[:min(len(s), maxConstruct)]); m != nil {
			return m[1]
		}
		return 1
	case 'h', 'w':
		if strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "www.") {
			n := 0
			for n < len(s) && s[n] != '<' && s[n] != ' ' && s[n] != '\n' && s[n] != '\t' {
				n++
			}
			return n
		}
	}
	r, n := utf8.DecodeRuneInString(s)
	switch {
	case isCJK(r):
		return n
	case isWord(r):
		j := n
		for j < len(s) {
			r2, m := rune(s[j]), 1
			if r2 >= utf8.RuneSelf {
				r2, m = utf8.DecodeRuneInString(s[j:])
			}
			if !isWord(r2) || isCJK(r2) {
				break
			}
			j += m
		}
		if j < len(s) && r < utf8.RuneSelf && strings.ContainsRune("@._+-", rune(s[j])) && strings.IndexByte(s[j:min(len(s), j+255)], '@') >= 0 {
			if m := emailToken.FindStringIndex(s[:min(len(s), j+maxConstruct)]); m != nil {
				return m[1]
			}
		}
		return j
	case unicode.IsSpace(r):
		j := n
		for j < len(s) {
			r2, m := utf8.DecodeRuneInString(s[j:])
			if !unicode.IsSpace(r2) {
				break
			}
			j += m
		}
		return j
	}
	return n
}

func isASCIIPunct(c byte) bool {
	return c > ' ' && c < 0x7f && !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9')
}

// codeSpanLen is the length of the code span s starts with (a run of
// backticks closed by a run as long on the same line), or of its run of
// backticks when nothing closes it.
func codeSpanLen(s string) int {
	n := 0
	for n < len(s) && s[n] == '`' {
		n++
	}
	for i := n; i < min(len(s), maxConstruct) && s[i] != '\n'; {
		if s[i] != '`' {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] == '`' {
			j++
		}
		if j-i == n {
			return j
		}
		i = j
	}
	return n
}

// linkLen is the length of the inline or reference link s starts with
// ("[text](destination)", "[text][label]"), on one line; 0 when s does not
// start one.
func linkLen(s string) int {
	if len(s) == 0 || s[0] != '[' {
		return 0
	}
	end := matching(s, '[', ']')
	if end < 0 || end+1 >= len(s) {
		return 0
	}
	switch s[end+1] {
	case '(':
		if e := matching(s[end+1:], '(', ')'); e >= 0 {
			return end + 1 + e + 1
		}
	case '[':
		if e := matching(s[end+1:], '[', ']'); e >= 0 {
			return end + 1 + e + 1
		}
	}
	return 0
}

// matching is the index of the bracket closing the one s starts with,
// skipping backslash escapes and nested pairs, on one line; -1 if none.
func matching(s string, open, close byte) int {
	depth := 0
	for i := 0; i < min(len(s), maxConstruct); i++ {
		switch s[i] {
		case '\\':
			i++
		case '\n':
			return -1
		case open:
			depth++
		case close:
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// isWord says whether r belongs in a word: a letter or a digit.
func isWord(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}
