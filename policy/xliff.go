package policy

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// XLIFF 2.0 (OASIS, urn:oasis:names:tc:xliff:document:2.0) is how
// translation units travel to translation tools and back. Prose expressions
// ({{ … }}) are placeholders (<ph>) and Markdown links are paired codes
// (<pc>) whose start "[" and end "](destination)" are protected: a
// translator translates a link's text and cannot break its destination.

const xliffNS = "urn:oasis:names:tc:xliff:document:2.0"

// Note categories policyc writes and reads.
const (
	noteSourceFP      = "policyc:source-fingerprint"
	noteTranslationFP = "policyc:translation-fingerprint"
	noteSourceChange  = "policyc:source-change"
)

// ExportUnit is one unit to export: its status, and a note on how its
// source changed (a redline) when it is stale.
type ExportUnit struct {
	UnitStatus
	Target string
	Change string
}

// ExportXLIFF writes the units of one locale as an XLIFF 2.0 document.
func ExportXLIFF(p *Policy, loc Locale, units []ExportUnit) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	fmt.Fprintf(&b, `<xliff xmlns="%s" version="2.0" srcLang="%s" trgLang="%s">`+"\n", xliffNS, attr(string(p.SourceLanguage())), attr(string(loc)))
	fmt.Fprintf(&b, `  <file id="f1" original="%s">`+"\n", attr(string(p.ID)))
	for i, u := range units {
		src := inlineCodes(u.Source)
		tgt := inlineCodesAs(u.Target, src.data)
		fmt.Fprintf(&b, `    <unit id="u%d" name="%s">`+"\n", i+1, attr(string(u.Key)))
		b.WriteString("      <notes>\n")
		fmt.Fprintf(&b, `        <note category="%s">%s</note>`+"\n", noteSourceFP, Fingerprint(u.Source))
		if u.State != Missing {
			fmt.Fprintf(&b, `        <note category="%s">%s</note>`+"\n", noteTranslationFP, Fingerprint(u.Target))
		}
		if u.Change != "" {
			fmt.Fprintf(&b, `        <note category="%s">%s</note>`+"\n", noteSourceChange, text(u.Change))
		}
		b.WriteString("      </notes>\n")
		if len(tgt.data) > 0 {
			b.WriteString("      <originalData>\n")
			for j, d := range tgt.data {
				fmt.Fprintf(&b, `        <data id="d%d" xml:space="preserve">%s</data>`+"\n", j+1, text(d))
			}
			b.WriteString("      </originalData>\n")
		}
		state := "translated"
		if u.State != UpToDate {
			state = "initial"
		}
		fmt.Fprintf(&b, `      <segment state="%s">`+"\n", state)
		fmt.Fprintf(&b, `        <source xml:space="preserve">%s</source>`+"\n", src.xml)
		if u.State != Missing {
			fmt.Fprintf(&b, `        <target xml:space="preserve">%s</target>`+"\n", tgt.xml)
		}
		b.WriteString("      </segment>\n    </unit>\n")
	}
	b.WriteString("  </file>\n</xliff>\n")
	return b.Bytes()
}

func attr(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return strings.ReplaceAll(b.String(), `"`, "&quot;")
}

// text escapes character data, keeping line breaks as they are
// (xml.EscapeText writes them as &#xA;, which is right but unreadable).
func text(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return strings.NewReplacer("&#xA;", "\n", "&#x9;", "\t").Replace(b.String())
}

// A code is a protected piece of Markdown: an expression, or the start or
// end of a link.
var codeRE = regexp.MustCompile(`\{\{.*?\}\}|\[([^\[\]\n]*)\]\(([^()\s]*)\)`)

type coded struct {
	xml  string   // the content of <source> or <target>
	data []string // the protected codes, in order of first use
}

// inlineCodes writes s with its codes as <ph>/<pc> referring to data.
func inlineCodes(s string) coded { return inlineCodesAs(s, nil) }

// inlineCodesAs is inlineCodes with the data of another text (the
// source's) reused where the same code appears, so a target's codes refer
// to the source's.
func inlineCodesAs(s string, data []string) coded {
	c := coded{data: slices.Clone(data)}
	ref := func(code string) string {
		i := slices.Index(c.data, code)
		if i < 0 {
			c.data = append(c.data, code)
			i = len(c.data) - 1
		}
		return "d" + strconv.Itoa(i+1)
	}
	var b strings.Builder
	n := 0
	last := 0
	for _, m := range codeRE.FindAllStringSubmatchIndex(s, -1) {
		b.WriteString(text(s[last:m[0]]))
		last = m[1]
		n++
		if m[2] < 0 { // an expression
			fmt.Fprintf(&b, `<ph id="%d" dataRef="%s"/>`, n, ref(s[m[0]:m[1]]))
			continue
		}
		pc, start, end := n, ref("["), ref(s[m[3]:m[1]])
		inner := s[m[2]:m[3]]
		// An expression inside a link's text stays protected.
		var ib strings.Builder
		il := 0
		for _, e := range regexp.MustCompile(`\{\{.*?\}\}`).FindAllStringIndex(inner, -1) {
			ib.WriteString(text(inner[il:e[0]]))
			n++
			fmt.Fprintf(&ib, `<ph id="%d" dataRef="%s"/>`, n, ref(inner[e[0]:e[1]]))
			il = e[1]
		}
		ib.WriteString(text(inner[il:]))
		fmt.Fprintf(&b, `<pc id="%d" dataRefStart="%s" dataRefEnd="%s">%s</pc>`, pc, start, end, ib.String())
	}
	b.WriteString(text(s[last:]))
	c.xml = b.String()
	return c
}

// codes lists the protected codes of a text, sorted, to compare a
// translation's with its source's.
func codes(s string) []string {
	var out []string
	for _, m := range codeRE.FindAllStringSubmatchIndex(s, -1) {
		if m[2] < 0 {
			out = append(out, s[m[0]:m[1]])
			continue
		}
		out = append(out, "[", s[m[3]:m[1]])
		for _, e := range regexp.MustCompile(`\{\{.*?\}\}`).FindAllString(s[m[2]:m[3]], -1) {
			out = append(out, e)
		}
	}
	slices.Sort(out)
	return out
}

// codeIDs maps the id of each inline code inlineCodes writes for s to the
// code: an expression for a <ph>, the start and end of a link for a <pc>.
func codeIDs(s string) map[string][]string {
	out := map[string][]string{}
	n := 0
	for _, m := range codeRE.FindAllStringSubmatchIndex(s, -1) {
		n++
		if m[2] < 0 {
			out[strconv.Itoa(n)] = []string{s[m[0]:m[1]]}
			continue
		}
		out[strconv.Itoa(n)] = []string{"[", s[m[3]:m[1]]}
		for _, e := range regexp.MustCompile(`\{\{.*?\}\}`).FindAllString(s[m[2]:m[3]], -1) {
			n++
			out[strconv.Itoa(n)] = []string{e}
		}
	}
	return out
}

// Translation is one target read from an XLIFF document.
type Translation struct {
	Key    UnitKey
	Locale Locale
	Text   string
	Pos    Pos // of the <target> in the XLIFF file
	// Empty: the target is empty and its source is not. A translation
	// tool writes an empty target for a segment not yet translated; it
	// is no translation, and import leaves the text as it is.
	Empty bool
}

// ReadXLIFF reads the targets of an XLIFF 2.0 document exported for p and
// checks them against p: the languages, every unit's key and source
// fingerprint, and the inline codes of every target, which must be the
// source's. It refuses, before parsing, anything but UTF-8 and any
// document type declaration (entities could expand without bound or read
// files). All problems are reported at once, with positions in name.
func ReadXLIFF(p *Policy, name string, b []byte) ([]Translation, error) {
	var errs ErrorList
	at := func(off int) Pos { return offsetPos(name, b, off) }
	if !utf8.Valid(b) {
		off := 0
		for off < len(b) {
			r, n := utf8.DecodeRune(b[off:])
			if r == utf8.RuneError && n == 1 {
				break
			}
			off += n
		}
		errs.add(at(off), "the file is not UTF-8: byte 0x%02x is not valid UTF-8 (XLIFF files must be UTF-8)", b[off])
		return nil, errs
	}
	for _, bad := range []string{"<!DOCTYPE", "<!ENTITY"} {
		if i := bytes.Index(b, []byte(bad)); i >= 0 {
			errs.add(at(i), "%s is not allowed: a document type declaration can define entities that expand without bound or read other files", bad)
		}
	}
	if m := regexp.MustCompile(`^<\?xml[^>]*encoding=["']([^"']+)["']`).FindSubmatch(b); m != nil && !strings.EqualFold(string(m[1]), "UTF-8") {
		errs.add(at(0), "encoding %q is not allowed: XLIFF files must be UTF-8", m[1])
	}
	if len(errs) > 0 {
		return nil, errs
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		return nil, fmt.Errorf("encoding %q is not allowed: XLIFF files must be UTF-8", label)
	}
	units := TranslationUnits(p)
	src := p.SourceLanguage()
	var trg Locale
	var out []Translation
	seen := map[UnitKey]Pos{}
	var stack []string
	var cur struct {
		key      UnitKey
		ok       bool
		unitPos  Pos
		srcFP    string
		data     map[string]string
		category string
		note     strings.Builder
		inData   string
		dataText strings.Builder
		inTarget bool
		target   strings.Builder
		tpos     Pos
		pcs      []string // dataRefEnd of the open <pc>s
		bad      bool
		ids      map[string][]string // the source's inline codes by id
	}
	// sameCode checks that an inline code of the target is the source's
	// code of the same id: swapping two links' destinations keeps the set
	// of codes but changes what each link text points to.
	sameCode := func(off int, el, id string, got ...string) {
		if want, ok := cur.ids[id]; cur.ok && (!ok || !slices.Equal(want, got)) {
			errs.add(at(off), "the inline codes of %s were altered: <%s id=%q> stands for %q in the source, %q here", cur.key, el, id, strings.Join(want, "…"), strings.Join(got, "…"))
			cur.bad = true
		}
	}
	for {
		off := int(d.InputOffset())
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				errs.add(Pos{File: name, Line: se.Line, Col: 1}, "not well-formed XML: %s", se.Msg)
			} else {
				errs.add(at(int(d.InputOffset())), "not well-formed XML: %v", err)
			}
			return nil, errs
		}
		switch t := tok.(type) {
		case xml.Directive:
			errs.add(at(off), "XML directives are not allowed")
			return nil, errs
		case xml.StartElement:
			stack = append(stack, t.Name.Local)
			if t.Name.Space != xliffNS && !cur.inTarget {
				errs.add(at(off), "element <%s> is not in the XLIFF 2.0 namespace", t.Name.Local)
				continue
			}
			get := func(a string) string {
				for _, x := range t.Attr {
					if x.Name.Local == a && (x.Name.Space == "" || x.Name.Space == xliffNS) {
						return x.Value
					}
				}
				return ""
			}
			switch {
			case t.Name.Local == "xliff":
				if v := get("version"); v != "2.0" {
					errs.add(at(off), "version %q: policyc reads XLIFF 2.0", v)
				}
				if s := get("srcLang"); s != string(src) {
					errs.add(at(off), "srcLang %q is not the policy's source locale %q", s, src)
				}
				trg = Locale(get("trgLang"))
				if !slices.Contains(p.Locales, trg) || trg == src {
					errs.add(at(off), "trgLang %q is not a declared locale to translate into", trg)
					return nil, errs
				}
			case t.Name.Local == "unit":
				cur.key, cur.unitPos, cur.srcFP, cur.data, cur.bad = UnitKey(get("name")), at(off), "", map[string]string{}, false
				var u Unit
				if u, cur.ok = UnitByKey(units, cur.key); cur.ok {
					cur.ids = codeIDs(u.Text.Get(string(src)))
				}
				if !cur.ok {
					errs.add(at(off), "unknown translation unit %q%s", cur.key, SuggestUnit(units, cur.key))
				} else if first, dup := seen[cur.key]; dup {
					errs.add(at(off), "unit %q is given twice (first at line %d)", cur.key, first.Line)
					cur.ok = false
				} else {
					seen[cur.key] = at(off)
				}
			case t.Name.Local == "note":
				cur.category = get("category")
				cur.note.Reset()
			case t.Name.Local == "data":
				cur.inData = get("id")
				cur.dataText.Reset()
			case t.Name.Local == "target" && len(stack) >= 2 && stack[len(stack)-2] == "segment":
				cur.inTarget, cur.tpos = true, at(off)
				cur.target.Reset()
				cur.pcs = nil
			case cur.inTarget && t.Name.Local == "ph":
				code, ok := cur.data[get("dataRef")]
				if !ok {
					errs.add(at(off), "<ph id=%q> refers to no original data (%q)", get("id"), get("dataRef"))
					cur.bad = true
				} else {
					sameCode(off, "ph", get("id"), code)
				}
				cur.target.WriteString(code)
			case cur.inTarget && t.Name.Local == "pc":
				s, ok1 := cur.data[get("dataRefStart")]
				e, ok2 := cur.data[get("dataRefEnd")]
				if !ok1 || !ok2 {
					errs.add(at(off), "<pc id=%q> refers to no original data", get("id"))
					cur.bad = true
				} else {
					sameCode(off, "pc", get("id"), s, e)
				}
				cur.target.WriteString(s)
				cur.pcs = append(cur.pcs, e)
			case cur.inTarget:
				errs.add(at(off), "inline element <%s> is not one policyc wrote: only <ph> and <pc> are kept", t.Name.Local)
				cur.bad = true
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
			switch {
			case t.Name.Local == "note":
				if cur.category == noteSourceFP {
					cur.srcFP = strings.TrimSpace(cur.note.String())
				}
				cur.category = ""
			case t.Name.Local == "data":
				cur.data[cur.inData] = cur.dataText.String()
				cur.inData = ""
			case cur.inTarget && t.Name.Local == "pc":
				cur.target.WriteString(cur.pcs[len(cur.pcs)-1])
				cur.pcs = cur.pcs[:len(cur.pcs)-1]
			case cur.inTarget && t.Name.Local == "target":
				cur.inTarget = false
				if !cur.ok || cur.bad {
					continue
				}
				u, _ := UnitByKey(units, cur.key)
				source := u.Text.Get(string(src))
				if cur.srcFP != Fingerprint(source) {
					errs.add(cur.unitPos, "the source of %s changed since this file was exported (fingerprint %q, now %q): export it again", cur.key, cur.srcFP, Fingerprint(source))
					continue
				}
				got := cur.target.String()
				if got == "" && source != "" {
					out = append(out, Translation{Key: cur.key, Locale: trg, Pos: cur.tpos, Empty: true})
					continue
				}
				if !slices.Equal(codes(got), codes(source)) {
					errs.add(cur.tpos, "the inline codes of %s were altered: the target must keep the source's {{ … }} expressions and link destinations (%s)", cur.key, strings.Join(codes(source), " "))
					continue
				}
				out = append(out, Translation{Key: cur.key, Locale: trg, Text: got, Pos: cur.tpos})
			}
		case xml.CharData:
			switch {
			case cur.category != "":
				cur.note.Write(t)
			case cur.inData != "":
				cur.dataText.Write(t)
			case cur.inTarget:
				cur.target.Write(t)
			}
		}
	}
	if trg == "" && len(errs) == 0 {
		errs.add(at(0), "not an XLIFF 2.0 document (no <xliff> element)")
	}
	if len(errs) > 0 {
		return nil, errs.Sort()
	}
	return out, nil
}

// offsetPos is the line and column (in characters) of a byte offset.
func offsetPos(name string, b []byte, off int) Pos {
	off = min(off, len(b))
	line := 1 + bytes.Count(b[:off], []byte("\n"))
	start := bytes.LastIndexByte(b[:off], '\n') + 1
	return Pos{File: name, Line: line, Col: 1 + utf8.RuneCount(b[start:off])}
}
