package policy

import (
	"bytes"
	"fmt"
	"io/fs"
	"maps"
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
// was. A translation equal to the current text changes nothing.
func ApplyTranslations(p *Policy, fsys fs.FS, ts []Translation) (map[string][]byte, error) {
	units := TranslationUnits(p)
	files := map[string][]byte{}
	type edit struct {
		pos  Pos
		text string
	}
	yamlEdits := map[string][]edit{}
	var errs ErrorList
	for _, t := range ts {
		u, ok := UnitByKey(units, t.Key)
		if !ok {
			errs.add(t.Pos, "unknown translation unit %q", t.Key)
			continue
		}
		loc := string(t.Locale)
		if u.Text.Has(loc) && u.Text.Get(loc) == t.Text {
			continue
		}
		if !u.Text.Has(loc) {
			errs.add(t.Pos, "%s has no %s text to replace: add one (it may be empty) and import again", t.Key, loc)
			continue
		}
		at := u.Text.PosOf(loc)
		if u.Text.fromFile {
			files[at.File] = []byte(t.Text)
			continue
		}
		yamlEdits[at.File] = append(yamlEdits[at.File], edit{at, t.Text})
	}
	for _, name := range slices.Sorted(maps.Keys(yamlEdits)) {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		es := yamlEdits[name]
		// From the end, so earlier offsets stay valid.
		slices.SortFunc(es, func(a, b edit) int { return b.pos.Compare(a.pos) })
		for _, e := range es {
			nb, err := replaceScalar(b, e.pos, e.text)
			if err != nil {
				errs.add(e.pos, "%v", err)
				continue
			}
			b = nb
		}
		files[name] = b
	}
	if len(errs) > 0 {
		return nil, errs.Sort()
	}
	return files, nil
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
	lines := bytes.SplitAfter(b, []byte("\n"))
	lineStart := func(l int) int {
		off := 0
		for i := 0; i < l-1 && i < len(lines); i++ {
			off += len(lines[i])
		}
		return off
	}
	start := lineStart(n.Line)
	line := lines[n.Line-1]
	for i := 1; i < n.Column && len(line) > 0; i++ {
		_, sz := utf8.DecodeRune(line)
		start += sz
		line = line[sz:]
	}
	var end int
	var repl string
	switch {
	case n.Style&yaml.LiteralStyle != 0:
		// The header (| |- |+) stays on its line; the block runs to the
		// last line indented at least as deep as its first.
		indent := pos.Col - 1
		first := lineStart(pos.Line)
		end = first
		for l := pos.Line; l <= len(lines); l++ {
			ln := lines[l-1]
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
		end = start + 1
		for end < len(b) && b[end] != '"' {
			if b[end] == '\\' {
				end++
			}
			end++
		}
		end++
		repl = doubleQuoted(s)
	case n.Style&yaml.SingleQuotedStyle != 0:
		end = start + 1
		for end < len(b) && (b[end] != '\'' || end+1 < len(b) && b[end+1] == '\'') {
			if b[end] == '\'' {
				end++
			}
			end++
		}
		end++
		repl = "'" + strings.ReplaceAll(s, "'", "''") + "'"
		if strings.Contains(s, "\n") {
			repl = doubleQuoted(s)
		}
	case n.Style&yaml.FoldedStyle != 0:
		return nil, fmt.Errorf("a folded block (>) cannot be rewritten in place: write it as a literal block (|) or import by hand")
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
			return nil, fmt.Errorf("a plain text over several lines cannot be rewritten in place: quote it and import again")
		}
		repl = s
		if !plainSafe(s, flow) {
			repl = doubleQuoted(s)
		}
	}
	out := append([]byte{}, b[:start]...)
	out = append(out, repl...)
	return append(out, b[end:]...), nil
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
