package policy

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// ApplyTranslations writes translations into the policy's source files
// and returns the new content of each file that changes; fsys holds the
// policy directory as p was loaded from it. A section body read from a
// Markdown file replaces the file's content; a text in YAML replaces its
// scalar in place, re-quoted as needed, leaving every other byte as it
// was. A translation equal to the current text changes nothing, nor does
// an empty target (Empty).
//
// A translation the policy lacks is added: a localised text in YAML gets
// the locale's entry beside the others, written in the style of its
// neighbours; a section body is written to the file the section names for
// the locale, or, when its file field names none, to the source locale's
// file name with the locale in place of the source locale (introduction.en.md
// → introduction.zh-CN.md), which is then added to the file field.
func ApplyTranslations(p *Policy, fsys fs.FS, ts []Translation) (map[string][]byte, error) {
	units := TranslationUnits(p)
	files := map[string][]byte{}
	type edit struct {
		pos    Pos
		text   string
		insert string // the locale to add to the mapping at pos; "": replace the scalar at pos
		// localize: the text at pos is a scalar for every locale, to
		// turn into a mapping with the source locale and insert.
		localize bool
	}
	yamlEdits := map[string][]edit{}
	var errs ErrorList
	for _, t := range ts {
		if t.Empty {
			continue
		}
		u, ok := UnitByKey(units, t.Key)
		if !ok {
			errs.add(t.Pos, "unknown translation unit %q", t.Key)
			continue
		}
		loc := string(t.Locale)
		if !u.Missing(t.Locale) && u.Text.Get(loc) == t.Text {
			continue
		}
		switch {
		case !u.Missing(t.Locale):
			at := u.Text.PosOf(loc)
			if u.Text.fromFile {
				files[at.File] = []byte(t.Text)
				continue
			}
			yamlEdits[at.File] = append(yamlEdits[at.File], edit{pos: at, text: t.Text})
		case !u.Text.fromFile:
			// A text written once for every locale (neutral) becomes a
			// mapping from locale to text, the source locale keeping the
			// text as written.
			at := u.Text.Pos()
			yamlEdits[at.File] = append(yamlEdits[at.File], edit{pos: at, text: t.Text, insert: loc, localize: u.neutral})
		default:
			name, add, err := sectionFileFor(p, u.file, loc)
			if err == nil {
				err = checkNewFile(fsys, name)
			}
			if err != nil {
				errs.add(t.Pos, "%s: %v", t.Key, err)
				continue
			}
			files[name] = []byte(t.Text)
			if add {
				at := u.file.Pos()
				yamlEdits[at.File] = append(yamlEdits[at.File], edit{pos: at, text: name, insert: loc, localize: u.file.byLocale == nil})
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(yamlEdits)) {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		// A file whose every line ends in CR LF (as git on Windows checks
		// it out) is edited with LF and written back with CR LF.
		n := bytes.Count(b, []byte("\n"))
		crlf := n > 0 && bytes.Count(b, []byte("\r\n")) == n
		if crlf {
			b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
		}
		es := yamlEdits[name]
		// From the end, so earlier offsets stay valid.
		slices.SortFunc(es, func(a, b edit) int { return b.pos.Compare(a.pos) })
		for _, e := range es {
			var nb []byte
			if e.localize {
				nb, err = localizeScalar(b, e.pos, string(p.SourceLanguage()), e.insert, p.Locales, e.text)
			} else if e.insert != "" {
				nb, err = insertLocale(b, e.pos, e.insert, p.Locales, e.text)
			} else {
				nb, err = replaceScalar(b, e.pos, e.text)
			}
			if err != nil {
				errs.add(e.pos, "%v", err)
				continue
			}
			b = nb
		}
		if crlf {
			b = bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))
		}
		files[name] = b
	}
	if len(errs) > 0 {
		return nil, errs.Sort()
	}
	return files, nil
}

// sectionFileFor is the file a section body in loc is written to, and
// whether the section's file field lacks it (and must be given it): the
// file it names for loc, else the source locale's file name with loc in
// place of the source locale (intro.en.md → intro.de.md), else with loc
// before the extension (collection.md → collection.de.md).
func sectionFileFor(p *Policy, file Text, loc string) (string, bool, error) {
	if name := file.Get(loc); file.Has(loc) && (file.byLocale != nil || strings.Contains(name, "{locale}")) {
		return strings.ReplaceAll(name, "{locale}", loc), false, nil
	}
	src := string(p.SourceLanguage())
	name := file.Get(src)
	if !file.Has(src) || name == "" {
		return "", false, fmt.Errorf("the section's file field names no %s file to take the name of a %s file from: add a %s entry to it and import again", src, loc, loc)
	}
	// The source locale as a whole part of the name: between separators.
	re := regexp.MustCompile(`(^|[./_-])` + regexp.QuoteMeta(src) + `([./_-]|$)`)
	switch ms := re.FindAllStringSubmatchIndex(name, -1); {
	case len(ms) == 1:
		return name[:ms[0][3]] + loc + name[ms[0][4]:], true, nil
	case len(ms) > 1:
		return "", false, fmt.Errorf("cannot tell the %s file's name from the %s file %q: add a %s entry to the section's file field and import again", loc, src, name, loc)
	}
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + loc + ext, true, nil
}

// localizeScalar turns the scalar at pos, a text for every locale, into a
// mapping: src keeps the scalar as written, loc gets s beside it, in the
// scalar's style ({…} in a flow collection, else one entry a line, a
// literal block staying a literal block).
func localizeScalar(b []byte, pos Pos, src, loc string, order []Locale, s string) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	key, n, flow := findValue(&doc, pos, false)
	if n == nil || n.Kind != yaml.ScalarNode {
		return nil, fmt.Errorf("cannot find the text to translate")
	}
	start, end, err := scalarSpan(b, n, flow)
	if err != nil {
		return nil, err
	}
	orig := string(b[start:end])
	block := n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0
	if !block && strings.Contains(orig, "\n") {
		orig = doubleQuoted(n.Value) // a quoted text over several lines
	}
	ph := "x"
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		ph = `""`
	case n.Style&yaml.SingleQuotedStyle != 0 && !strings.Contains(s, "\n"):
		ph = "''"
	}
	locFirst := slices.Index(order, Locale(loc)) < slices.Index(order, Locale(src))
	srcKey, locKey := yamlKey(src), yamlKey(loc)
	if flow {
		if n.Style == 0 && !plainSafe(n.Value, true) {
			orig = doubleQuoted(n.Value)
		}
		repl := "{" + srcKey + ": " + orig + ", " + locKey + ": "
		if locFirst {
			repl = "{" + locKey + ": "
		}
		line, col := posAt(b, start)
		at := Pos{File: pos.File, Line: line, Col: col + utf8.RuneCountInString(repl)}
		repl += ph
		if locFirst {
			repl += ", " + srcKey + ": " + orig
		}
		out := slices.Concat(b[:start], []byte(repl+"}"), b[end:])
		return replaceScalar(out, at, s)
	}
	// The value of a key moves to lines of its own, from just after the
	// key's colon; an item of a list becomes a mapping where it stands.
	from, lead := start, ""
	pad := strings.Repeat(" ", n.Column-1)
	if key != nil {
		for from > 0 && (b[from-1] == ' ' || b[from-1] == '\t') {
			from--
		}
		pad, lead = strings.Repeat(" ", key.Column-1+2), "\n"
	}
	literal := block || strings.Contains(s, "\n") && ph == "x"
	var entry string
	inner := len(pad) + 2
	if literal {
		entry = pad + locKey + ": |\n" + strings.Repeat(" ", inner) + "x\n"
	} else {
		entry = pad + locKey + ": " + ph + "\n"
	}
	if block {
		// The block's lines move two columns right, under their new key.
		var re strings.Builder
		lines := strings.SplitAfter(orig, "\n")
		re.WriteString(lines[0])
		for _, l := range lines[1:] {
			if strings.TrimSpace(l) != "" {
				re.WriteString("  ")
			}
			re.WriteString(l)
		}
		orig = re.String()
		if c := contentIndent(b, n) + 2; c > len(pad) {
			inner = c
			entry = pad + locKey + ": |\n" + strings.Repeat(" ", inner) + "x\n"
		}
	}
	srcEntry := lead + pad + srcKey + ": " + orig
	if lead == "" {
		srcEntry = srcKey + ": " + orig
	}
	// Where the rest of the value's line ends (a comment stays on it).
	eol := end
	if !block {
		if i := bytes.IndexByte(b[end:], '\n'); i >= 0 {
			eol = end + i + 1
		} else {
			eol = len(b)
		}
	}
	var out []byte
	var entryOff int
	if locFirst {
		first := lead + entry[:len(entry)-1]
		if lead == "" {
			first = strings.TrimPrefix(entry[:len(entry)-1], pad)
		}
		out = slices.Concat(b[:from], []byte(first+"\n"+pad+srcKey+": "+orig), b[end:])
		entryOff = from + len(lead)
	} else {
		rest := string(b[end:eol])
		if !strings.HasSuffix(rest, "\n") && !strings.HasSuffix(orig, "\n") {
			rest += "\n"
		}
		out = slices.Concat(b[:from], []byte(srcEntry+rest+entry), b[eol:])
		entryOff = from + len(srcEntry) + len(rest)
	}
	line, _ := posAt(out, entryOff)
	at := Pos{File: pos.File, Line: line, Col: len(pad) + utf8.RuneCountInString(locKey+": ") + 1}
	if literal {
		at = Pos{File: pos.File, Line: line + 1, Col: inner + 1}
	}
	return replaceScalar(out, at, s)
}

// findValue is the node at pos with the key it is the value of (nil in a
// list), and whether it stands in a flow collection.
func findValue(n *yaml.Node, pos Pos, flow bool) (key, value *yaml.Node, inFlow bool) {
	for i, c := range n.Content {
		f := flow || n.Style&yaml.FlowStyle != 0
		at := c.Line == pos.Line && c.Column == pos.Col || c.Style&yaml.LiteralStyle != 0 && c.Line+1 == pos.Line
		if c.Kind == yaml.ScalarNode && at && (n.Kind != yaml.MappingNode || i%2 == 1) {
			if n.Kind == yaml.MappingNode {
				return n.Content[i-1], c, f
			}
			return nil, c, f
		}
		if k, v, ff := findValue(c, pos, f); v != nil {
			return k, v, ff
		}
	}
	return nil, nil, false
}

// checkNewFile refuses to write a new section file outside the policy
// directory, into a directory that does not exist, or over a file that
// exists (the policy does not name it for this locale, so it is not ours
// to replace).
func checkNewFile(fsys fs.FS, name string) error {
	if !filepath.IsLocal(name) || strings.Contains(name, "\\") {
		return fmt.Errorf("section file %q is outside the policy directory", name)
	}
	if _, err := fs.Stat(fsys, name); err == nil {
		return fmt.Errorf("section file %q exists but the policy does not name it for this locale: name it in the section's file field, or move it", name)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("section file %q: %w", name, err)
	}
	if st, err := fs.Stat(fsys, path.Dir(name)); err != nil || !st.IsDir() {
		return fmt.Errorf("cannot write section file %q: directory %q does not exist in the policy directory", name, path.Dir(name))
	}
	return nil
}

// insertLocale adds loc: s to the localised text whose mapping stands at
// pos, after the entry of the nearest locale declared before it (else
// before the first entry), in the mapping's style: {…} or one entry a
// line, the value quoted or written as a literal block as its neighbour is.
func insertLocale(b []byte, pos Pos, loc string, order []Locale, s string) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	m := findMapping(&doc, pos)
	if m == nil || len(m.Content) < 2 {
		return nil, fmt.Errorf("cannot find the text to add a %s translation to", loc)
	}
	// The anchor: the entry of the nearest locale declared before loc.
	anchor := -1
	for _, l := range order[:max(0, slices.Index(order, Locale(loc)))] {
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == string(l) {
				anchor = i
			}
		}
	}
	neighbour := m.Content[1]
	if anchor >= 0 {
		neighbour = m.Content[anchor+1]
	}
	key := yamlKey(loc)
	var ph string
	switch {
	case neighbour.Style&yaml.DoubleQuotedStyle != 0:
		ph = `""`
	case neighbour.Style&yaml.SingleQuotedStyle != 0 && !strings.Contains(s, "\n"):
		ph = "''"
	default:
		ph = "x"
	}
	block := m.Style&yaml.FlowStyle == 0
	literal := block && (neighbour.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 || strings.Contains(s, "\n") && ph == "x")
	var off int
	var ins string
	if !block {
		if anchor >= 0 {
			_, end, err := scalarSpan(b, m.Content[anchor+1], true)
			if err != nil {
				return nil, err
			}
			off, ins = end, ", "+key+": "+ph
		} else {
			off, ins = offsetOf(b, m.Content[0].Line, m.Content[0].Column), key+": "+ph+", "
		}
		line, col := posAt(b, off)
		col += utf8.RuneCountInString(key + ": ")
		if anchor >= 0 {
			col += utf8.RuneCountInString(", ")
		}
		out := slices.Concat(b[:off], []byte(ins), b[off:])
		return replaceScalar(out, Pos{File: pos.File, Line: line, Col: col}, s)
	}
	indent := m.Content[0].Column - 1
	if anchor >= 0 {
		_, end, err := scalarSpan(b, m.Content[anchor+1], false)
		if err != nil {
			return nil, err
		}
		off = end
		if off > 0 && b[off-1] != '\n' {
			if i := bytes.IndexByte(b[off:], '\n'); i >= 0 {
				off += i + 1
			} else {
				off = len(b)
			}
		}
	} else {
		off = offsetOf(b, m.Content[0].Line, 1)
	}
	var lead string
	if off == len(b) && len(b) > 0 && b[len(b)-1] != '\n' {
		lead = "\n"
	}
	line, _ := posAt(b, off)
	if lead != "" {
		line++
	}
	pad := strings.Repeat(" ", indent)
	at := Pos{File: pos.File, Line: line, Col: indent + utf8.RuneCountInString(key+": ") + 1}
	if literal {
		inner := indent + 2
		if neighbour.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			if c := contentIndent(b, neighbour); c > indent {
				inner = c
			}
		}
		ins = pad + key + ": |\n" + strings.Repeat(" ", inner) + "x\n"
		at = Pos{File: pos.File, Line: line + 1, Col: inner + 1}
	} else {
		ins = pad + key + ": " + ph + "\n"
	}
	out := slices.Concat(b[:off], []byte(lead+ins), b[off:])
	return replaceScalar(out, at, s)
}

// findMapping is the mapping node at pos.
func findMapping(n *yaml.Node, pos Pos) *yaml.Node {
	if n.Kind == yaml.MappingNode && n.Line == pos.Line && n.Column == pos.Col {
		return n
	}
	for _, c := range n.Content {
		if x := findMapping(c, pos); x != nil {
			return x
		}
	}
	return nil
}

// offsetOf is the byte offset of a line and column (in characters).
func offsetOf(b []byte, line, col int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(b[off:], '\n')
		if i < 0 {
			return len(b)
		}
		off += i + 1
	}
	for c := 1; c < col && off < len(b) && b[off] != '\n'; c++ {
		_, sz := utf8.DecodeRune(b[off:])
		off += sz
	}
	return off
}

// posAt is the line and column (in characters) of a byte offset.
func posAt(b []byte, off int) (line, col int) {
	p := offsetPos("", b, off)
	return p.Line, p.Col
}

// contentIndent is the indentation of a block scalar's first content line.
func contentIndent(b []byte, n *yaml.Node) int {
	lines := bytes.Split(b, []byte("\n"))
	for l := n.Line; l < len(lines); l++ {
		if t := strings.TrimRight(string(lines[l]), " "); t != "" {
			return len(t) - len(strings.TrimLeft(t, " "))
		}
	}
	return 0
}

// replaceScalar replaces the YAML scalar at pos (for a literal block, pos
// is its first content line, as the loader records it) with s.
func replaceScalar(b []byte, pos Pos, s string) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	n, flow := findScalar(&doc, pos, false)
	if n == nil {
		return nil, fmt.Errorf("cannot find the text to replace")
	}
	start, end, err := scalarSpan(b, n, flow)
	if err != nil {
		return nil, err
	}
	var repl string
	switch {
	case n.Style&yaml.LiteralStyle != 0:
		// The header (| |- |+) stays on its line; the block runs to the
		// last line indented at least as deep as its first.
		indent := pos.Col - 1
		first := offsetOf(b, pos.Line, 1)
		header := "|"
		switch {
		case !strings.HasSuffix(s, "\n"):
			header = "|-"
		case strings.HasSuffix(s, "\n\n"):
			header = "|+"
		}
		if strings.HasPrefix(s, " ") || strings.HasPrefix(s, "\n") {
			header += fmt.Sprint(indent - (n.Column - 1))
		}
		// The header line from the indicator on.
		hEnd := start + bytes.IndexByte(b[start:], '\n')
		pad := strings.Repeat(" ", indent)
		var body strings.Builder
		for _, l := range strings.SplitAfter(strings.TrimSuffix(s, "\n"), "\n") {
			if strings.TrimSpace(l) == "" {
				body.WriteString(strings.TrimLeft(l, " "))
			} else {
				body.WriteString(pad + l)
			}
		}
		if !strings.HasSuffix(body.String(), "\n") {
			body.WriteString("\n")
		}
		out := append([]byte{}, b[:start]...)
		out = append(out, header...)
		out = append(out, b[hEnd:first]...)
		out = append(out, body.String()...)
		return append(out, b[end:]...), nil
	case n.Style&yaml.DoubleQuotedStyle != 0:
		repl = doubleQuoted(s)
	case n.Style&yaml.SingleQuotedStyle != 0:
		repl = "'" + strings.ReplaceAll(s, "'", "''") + "'"
		if strings.Contains(s, "\n") {
			repl = doubleQuoted(s)
		}
	case n.Style&yaml.FoldedStyle != 0:
		return nil, fmt.Errorf("a folded block (>) cannot be rewritten in place: write it as a literal block (|) or import by hand")
	default: // plain
		repl = s
		if !plainSafe(s, flow) {
			repl = doubleQuoted(s)
		}
	}
	out := append([]byte{}, b[:start]...)
	out = append(out, repl...)
	return append(out, b[end:]...), nil
}

// scalarSpan is where the scalar n is written in b: from its first byte
// (a literal block's indicator) to just after its last (the end of a
// literal block's last line). flow: n stands in a {…} or […].
func scalarSpan(b []byte, n *yaml.Node, flow bool) (start, end int, err error) {
	start = offsetOf(b, n.Line, n.Column)
	switch {
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		indent := contentIndent(b, n)
		first := offsetOf(b, n.Line+1, 1)
		end = first
		for _, ln := range bytes.SplitAfter(b[first:], []byte("\n")) {
			t := strings.TrimRight(string(ln), "\n")
			if strings.TrimSpace(t) != "" && len(t)-len(strings.TrimLeft(t, " ")) < indent {
				break
			}
			end += len(ln)
		}
		// Trailing blank lines belong to what follows unless kept (|+).
		for end > first && bytes.HasSuffix(b[first:end], []byte("\n\n")) {
			end--
		}
	case n.Style&yaml.DoubleQuotedStyle != 0:
		end = start + 1
		for end < len(b) && b[end] != '"' {
			if b[end] == '\\' {
				end++
			}
			end++
		}
		end++
	case n.Style&yaml.SingleQuotedStyle != 0:
		end = start + 1
		for end < len(b) && (b[end] != '\'' || end+1 < len(b) && b[end+1] == '\'') {
			if b[end] == '\'' {
				end++
			}
			end++
		}
		end++
	default: // plain
		end = start
		for end < len(b) && b[end] != '\n' {
			if flow && (b[end] == ',' || b[end] == '}' || b[end] == ']') {
				break
			}
			if b[end] == '#' && end > start && (b[end-1] == ' ' || b[end-1] == '\t') {
				break
			}
			end++
		}
		for end > start && (b[end-1] == ' ' || b[end-1] == '\t') {
			end--
		}
		if string(b[start:end]) != n.Value {
			return 0, 0, fmt.Errorf("a plain text over several lines cannot be rewritten in place: quote it and import again")
		}
	}
	return start, min(end, len(b)), nil
}

// findScalar is the scalar node at pos, and whether it stands in a flow
// collection ({…} or […]).
func findScalar(n *yaml.Node, pos Pos, flow bool) (*yaml.Node, bool) {
	if n.Kind == yaml.ScalarNode {
		if n.Line == pos.Line && n.Column == pos.Col || n.Style&yaml.LiteralStyle != 0 && n.Line+1 == pos.Line {
			return n, flow
		}
		return nil, false
	}
	for _, c := range n.Content {
		if x, f := findScalar(c, pos, flow || n.Style&yaml.FlowStyle != 0); x != nil {
			return x, f
		}
	}
	return nil, false
}

// plainSafe reports whether s reads back as itself written plain.
func plainSafe(s string, flow bool) bool {
	if s == "" || strings.ContainsAny(s, "\n\t") || strings.TrimSpace(s) != s {
		return false
	}
	if flow && strings.ContainsAny(s, ",[]{}") {
		return false
	}
	var v any
	if err := yaml.Unmarshal([]byte("k: "+s), &v); err != nil {
		return false
	}
	m, ok := v.(map[string]any)
	return ok && m["k"] == s
}

// doubleQuoted writes s as a YAML double-quoted scalar.
func doubleQuoted(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
