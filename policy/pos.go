package policy

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Pos is a position in a user's file, relative to the policy directory.
// Line and Col are 1-based; Col counts Unicode characters, as editors do.
type Pos struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Col  int    `json:"col"`
}

func (p Pos) String() string {
	switch {
	case p.File == "":
		return "-"
	case p.Line == 0:
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// IsZero reports whether p points nowhere.
func (p Pos) IsZero() bool { return p.File == "" }

// Compare orders positions by file, line and column.
func (p Pos) Compare(q Pos) int {
	return cmp.Or(cmp.Compare(p.File, q.File), cmp.Compare(p.Line, q.Line), cmp.Compare(p.Col, q.Col))
}

// Node is embedded in every model struct: it records where the struct and
// each of its fields stand in the source, so that errors, lint findings and
// diffs can point at them.
type Node struct {
	pos    Pos
	fields map[string]Pos
}

// Pos is where the node starts.
func (n *Node) Pos() Pos { return n.pos }

// FieldPos is where the named field (its YAML key) stands, or the node's own
// position when the field was not written.
func (n *Node) FieldPos(name string) Pos {
	if p, ok := n.fields[name]; ok {
		return p
	}
	return n.pos
}

// Has reports whether the field was written in the source.
func (n *Node) Has(name string) bool {
	_, ok := n.fields[name]
	return ok
}

func (n *Node) setField(name string, p Pos) {
	if n.fields == nil {
		n.fields = make(map[string]Pos)
	}
	n.fields[name] = p
}

// Error is one problem in a user's files.
type Error struct {
	Pos Pos
	Msg string
	// Untranslated: the problem is only a translation not yet made (a
	// localised text or a section file lacking a locale other than the
	// source locale). Translation commands work on such a policy: adding
	// those translations is what they are for.
	Untranslated bool
}

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// ErrorList collects problems so that all of them are reported at once.
type ErrorList []*Error

func (l *ErrorList) add(p Pos, format string, args ...any) {
	*l = append(*l, &Error{Pos: p, Msg: fmt.Sprintf(format, args...)})
}

func (l *ErrorList) addUntranslated(p Pos, format string, args ...any) {
	*l = append(*l, &Error{Pos: p, Msg: fmt.Sprintf(format, args...), Untranslated: true})
}

// OnlyUntranslated reports whether every problem in the list is a
// translation not yet made.
func (l ErrorList) OnlyUntranslated() bool {
	return !slices.ContainsFunc(l, func(e *Error) bool { return !e.Untranslated })
}

// Sort orders the list by position and drops exact repeats.
func (l ErrorList) Sort() ErrorList {
	slices.SortStableFunc(l, func(a, b *Error) int {
		return cmp.Or(a.Pos.Compare(b.Pos), strings.Compare(a.Msg, b.Msg))
	})
	return slices.CompactFunc(l, func(a, b *Error) bool { return a.Pos == b.Pos && a.Msg == b.Msg })
}

func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap lets errors.As find each *Error.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// Err returns nil for an empty list, else the sorted list.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l.Sort()
}
