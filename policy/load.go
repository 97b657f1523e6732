package policy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Limits on what Load reads. They keep hostile input from exhausting memory
// or time; a real policy is far below them (the seeds are about 60 KB).
const (
	MaxFileSize = 4 << 20 // bytes in any one file
	MaxDepth    = 64      // nesting levels in a YAML file
	MaxFiles    = 1000    // files in one policy
)

// MainFile is the policy file inside a policy directory.
const MainFile = "policy.yaml"

// ErrNotPolicyDir is returned when the directory has no policy.yaml.
var ErrNotPolicyDir = errors.New("not a policy directory")

// Load reads the policy in dir and validates it. On failure the error is an
// ErrorList with every problem found, sorted by position (paths relative to
// dir), or an error about dir itself; the returned policy, when not nil, is
// what could be read.
func Load(dir string) (*Policy, error) {
	root, err := os.OpenRoot(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s does not exist", ErrNotPolicyDir, dir)
	} else if err != nil {
		return nil, fmt.Errorf("open policy directory: %w", err)
	}
	defer root.Close()
	if _, err := root.Stat(MainFile); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s has no %s (create one with: policyc init %s)", ErrNotPolicyDir, dir, MainFile, dir)
	}
	p, err := LoadFS(root.FS())
	if p != nil {
		p.Dir = dir
	}
	return p, err
}

// LoadFS reads and validates the policy held in fsys, which may be a
// directory (os.Root.FS confines it), an archived version or a test's
// in-memory files. Errors are as for Load.
func LoadFS(fsys fs.FS) (*Policy, error) {
	l := &loader{fsys: fsys, p: &Policy{Files: map[string]bool{}, incomplete: map[string]bool{}}}
	l.load()
	if !l.fatal {
		l.errs = append(l.errs, l.p.Validate()...)
	}
	return l.p, l.errs.Err()
}

type loader struct {
	fsys  fs.FS
	p     *Policy
	errs  ErrorList
	fatal bool // the main file could not be parsed: validation would only echo it
}

func (l *loader) load() {
	// Problems with the main file itself stand at its start.
	d, n := l.parse(MainFile, Pos{File: MainFile, Line: 1, Col: 1})
	if n == nil {
		l.fatal = true
		return
	}
	d.decode(n, reflect.ValueOf(l.p).Elem(), nil)
	l.loadSections(l.p.Sections)
	for i := range l.p.Documents {
		l.loadSections(l.p.Documents[i].Sections)
	}
	l.loadReviews()
}

// read returns a file's text, with line endings normalised to LF, after
// checking it is a regular file inside the directory, not too large, valid
// UTF-8 and free of control characters. at is where the file was named (the
// start of the main file for the main file itself).
func (l *loader) read(name string, at Pos, what string) ([]byte, bool) {
	if !filepath.IsLocal(name) || strings.Contains(name, "\\") {
		l.errs.add(at, "%s %q is outside the policy directory", what, name)
		return nil, false
	}
	name = path.Clean(name)
	if len(l.p.Files) >= MaxFiles {
		l.errs.add(at, "too many files (more than %d)", MaxFiles)
		return nil, false
	}
	// A FIFO or a device would block or never end: refuse anything but a
	// regular file before opening it.
	if st, err := fs.Stat(l.fsys, name); err == nil && !st.Mode().IsRegular() {
		l.errs.add(at, "%s %q is not a regular file", what, name)
		return nil, false
	}
	f, err := l.fsys.Open(name)
	if err != nil {
		switch {
		case errors.Is(err, fs.ErrNotExist):
			l.errs.add(at, "%s %q not found", what, name)
		case strings.Contains(err.Error(), "escapes"):
			// os.Root refuses a symbolic link that leads outside.
			l.errs.add(at, "%s %q is outside the policy directory", what, name)
		default:
			l.errs.add(at, "cannot read %s %q: %v", what, name, errors.Unwrap(err))
		}
		return nil, false
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && !st.Mode().IsRegular() {
		l.errs.add(at, "%s %q is not a regular file", what, name)
		return nil, false
	}
	b, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		l.errs.add(at, "cannot read %s %q: %v", what, name, err)
		return nil, false
	}
	l.p.Files[name] = true
	if len(b) > MaxFileSize {
		l.errs.add(Pos{File: name, Line: 1, Col: 1}, "file is larger than %d bytes", MaxFileSize)
		return nil, false
	}
	b = normalizeNewlines(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")))
	if p, msg := checkText(b); msg != "" {
		p.File = name
		l.errs.add(p, "%s", msg)
		return nil, false
	}
	return b, true
}

// normalizeNewlines turns CRLF and lone CR line endings into LF, so that
// nothing read from a file (a value, a section, an archived rendering)
// depends on the editor that wrote it. YAML and Markdown read a lone CR as
// a line ending too, so positions do not move.
func normalizeNewlines(b []byte) []byte {
	if bytes.IndexByte(b, '\r') < 0 {
		return b
	}
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(b, []byte("\r"), []byte("\n"))
}

// isControl reports whether r is a control character text must not hold:
// C0 and C1 controls and DEL, except tab and line feed.
func isControl(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' || r == 0x7f || r >= 0x80 && r < 0xa0
}

// checkText finds the first byte sequence that is not text: invalid UTF-8 or
// a control character other than tab and line feed.
func checkText(b []byte) (Pos, string) {
	line, col := 1, 1
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return Pos{Line: line, Col: col}, fmt.Sprintf("invalid UTF-8 (byte 0x%02x): the file must be UTF-8 text", b[i])
		case r == '\n':
			line, col = line+1, 0
		case isControl(r):
			return Pos{Line: line, Col: col}, fmt.Sprintf("control character U+%04X: the file must be text", r)
		}
		i += size
		col++
	}
	return Pos{}, ""
}

// parse reads and parses one YAML file, returning a decoder for it and its
// root node, or nil after reporting why not.
func (l *loader) parse(name string, at Pos) (*decoder, *yaml.Node) {
	b, ok := l.read(name, at, "file")
	if !ok {
		return nil, nil
	}
	name = path.Clean(name)
	lines := strings.Split(string(b), "\n")
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			l.errs.add(Pos{File: name, Line: 1, Col: 1}, "file is empty")
			return nil, nil
		}
		l.errs = append(l.errs, yamlError(name, lines, err))
		return nil, nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err != io.EOF {
		line := 1
		if err == nil {
			line = max(1, extra.Line-1)
		} else if e := yamlError(name, lines, err); e != nil {
			line = e.Pos.Line
		}
		for i := line - 1; i >= 0 && i < len(lines); i-- {
			if strings.HasPrefix(lines[i], "---") {
				line = i + 1
				break
			}
		}
		l.errs.add(Pos{File: name, Line: line, Col: 1}, "more than one YAML document: a policy file holds exactly one")
		return nil, nil
	}
	root := &doc
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		root = doc.Content[0]
	}
	if isNull(root) {
		l.errs.add(Pos{File: name, Line: 1, Col: 1}, "file is empty")
		return nil, nil
	}
	d := &decoder{file: name, lines: lines, errs: &l.errs, include: l.include, incomplete: l.p.incomplete}
	if bad := checkTree(root); bad != nil {
		if bad.Kind == yaml.AliasNode {
			d.errorf(bad, "YAML aliases (*%s) are not supported: write the value out", bad.Value)
		} else {
			d.errorf(bad, "nesting deeper than %d levels", MaxDepth)
		}
		return nil, nil
	}
	if !d.checkNodes(root) {
		return nil, nil
	}
	return d, root
}

// checkNodes reports every node written with a tag and every value that
// holds a control character through an escape ("\e", "\0", "\x1b"…), as
// read refuses literal ones. A tag would let a value bypass the types the
// model expects (!!binary decodes to arbitrary bytes). checkTree has bounded
// the depth, so the recursion is shallow.
func (d *decoder) checkNodes(n *yaml.Node) bool {
	ok := true
	if n.Style&yaml.TaggedStyle != 0 {
		d.errorf(n, "YAML tags (%s) are not supported: write the value without a tag", short(n.Tag))
		ok = false
	} else if n.Kind == yaml.ScalarNode {
		for _, r := range n.Value {
			if isControl(r) {
				d.errorf(n, "control character U+%04X in a value (written as an escape): text must not hold control characters", r)
				ok = false
				break
			}
		}
	}
	for _, c := range n.Content {
		ok = d.checkNodes(c) && ok
	}
	return ok
}

// checkTree returns the first alias node, or the first node nested deeper
// than MaxDepth, without recursion. Refusing aliases outright keeps "billion
// laughs" documents from ever being expanded.
func checkTree(root *yaml.Node) *yaml.Node {
	type item struct {
		n     *yaml.Node
		depth int
	}
	stack := []item{{root, 1}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if it.n.Kind == yaml.AliasNode || it.depth > MaxDepth {
			return it.n
		}
		for i := len(it.n.Content) - 1; i >= 0; i-- {
			stack = append(stack, item{it.n.Content[i], it.depth + 1})
		}
	}
	return nil
}

var yamlLine = regexp.MustCompile(`^yaml: line ([0-9]+): (.*)$`)

// yamlError positions a parser error. The parser gives only a line; the
// column is the tab that caused the error, else the line's first character.
func yamlError(file string, lines []string, err error) *Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	col := 1
	if line-1 < len(lines) {
		text := lines[line-1]
		if i := strings.IndexByte(text, '\t'); i >= 0 && strings.TrimLeft(text[:i], " ") == "" {
			return &Error{Pos: Pos{file, line, utf8.RuneCountInString(text[:i]) + 1}, Msg: "tab character in indentation: YAML indents with spaces"}
		}
		trimmed := strings.TrimLeft(text, " ")
		col = utf8.RuneCountInString(text[:len(text)-len(trimmed)]) + 1
	}
	return &Error{Pos: Pos{file, line, col}, Msg: "YAML syntax: " + msg}
}

// include loads a list held in its own file.
func (l *loader) include(name string, at Pos) (*decoder, *yaml.Node) {
	d, n := l.parse(name, at)
	if n == nil {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		d.typeErr(n, "a list")
		return nil, nil
	}
	return d, n
}

// loadSections reads the Markdown files sections name, into their Body.
// A file name may contain {locale}, replaced by each declared locale.
func (l *loader) loadSections(sections []Section) {
	locales := l.p.Locales
	for i := range sections {
		s := &sections[i]
		if s.File.IsZero() {
			continue
		}
		if !s.Body.IsZero() {
			l.errs.add(s.FieldPos("body"), "section %q has both body and file: give one", s.ID)
			continue
		}
		body := Text{pos: s.File.Pos(), byLocale: map[string]string{}, posOf: map[string]Pos{}, block: map[string]int{}, fromFile: true}
		if s.File.IsNeutral() && !strings.Contains(s.File.neutral, "{locale}") {
			if b, ok := l.read(s.File.neutral, s.File.Pos(), "section file"); ok {
				body = Text{pos: Pos{File: path.Clean(s.File.neutral), Line: 1, Col: 1}, neutral: string(b), block: map[string]int{"": 1}, fromFile: true}
			}
			s.Body = body
			continue
		}
		for _, loc := range locales {
			name := s.File.Get(string(loc))
			if name == "" {
				continue // validation reports the missing locale
			}
			name = strings.ReplaceAll(name, "{locale}", string(loc))
			if _, err := fs.Stat(l.fsys, name); errors.Is(err, fs.ErrNotExist) && loc != l.p.SourceLanguage() && filepath.IsLocal(name) {
				l.errs.addUntranslated(s.File.PosOf(string(loc)), "section file %q not found", name)
				continue
			}
			if b, ok := l.read(name, s.File.PosOf(string(loc)), "section file"); ok {
				body.byLocale[string(loc)] = string(b)
				body.posOf[string(loc)] = Pos{File: path.Clean(name), Line: 1, Col: 1}
				body.block[string(loc)] = 1
			}
		}
		s.Body = body
	}
}

// ReadID returns the policy id from dir's policy.yaml without loading or
// validating the rest, for commands that only need to find its archive.
func ReadID(dir string) (ID, error) {
	root, err := os.OpenRoot(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("%w: %s does not exist", ErrNotPolicyDir, dir)
	} else if err != nil {
		return "", err
	}
	defer root.Close()
	if st, err := root.Stat(MainFile); err == nil && !st.Mode().IsRegular() {
		return "", fmt.Errorf("%s/%s: not a regular file", dir, MainFile)
	}
	b, err := root.ReadFile(MainFile)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("%w: %s has no %s", ErrNotPolicyDir, dir, MainFile)
	} else if err != nil {
		return "", err
	}
	var head struct {
		ID string `yaml:"id"`
	}
	if err := yaml.Unmarshal(b, &head); err != nil || !idPattern.MatchString(head.ID) {
		return "", fmt.Errorf("%s/%s: no valid policy id (run policyc validate %s)", dir, MainFile, dir)
	}
	return ID(head.ID), nil
}
