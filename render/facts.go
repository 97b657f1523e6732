package render

import (
	"fmt"
	"regexp"
	"strings"
	"text/template"
	"unicode"
	"unicode/utf8"

	"github.com/policyc/policyc/policy"
)

// Helpers that word single facts for the block templates. Each prints what
// the model holds and nothing more: joining punctuation is added once, and
// only where the value does not already end a sentence.

// factFuncs are the block templates' functions that word single facts;
// they join and, where named alike, replace the basic ones.
func (c *composer) factFuncs() template.FuncMap {
	return template.FuncMap{
		"tf":              func(key string, args ...any) string { return stopOnce(fmt.Sprintf(c.t(key), args...)) },
		"reqlimit":        func(l *policy.RequestLimit) string { return stopOnce(c.requestLimit(*l)) },
		"channels":        c.channelEntries,
		"sentence":        c.fullStop,
		"catitems":        c.catItems,
		"plain":           c.plainList,
		"subjects":        c.subjectNames,
		"purposeRows":     c.purposeRows,
		"anyInterest":     c.anyInterest,
		"chanentry":       c.channelEntry,
		"postcode":        withPostcode,
		"retentionListed": c.retentionListed,
		"leadsIn":         leadsIn,
	}
}

// terminal ends a sentence in either script; a value ending in one of these
// gets no full stop of ours ("Co., Ltd." stays "Co., Ltd.", not "Ltd..").
const terminal = ".。!?！？…"

// closers may follow a sentence's own full stop: "(It is encrypted.)",
// "**With consent.**", a quotation.
const closers = ")）]】\"'”’」』*_"

// endsSentence reports whether s already ends with terminal punctuation,
// looking past closing brackets, quotes and emphasis.
func endsSentence(s string) bool {
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	for s != "" {
		r, n := utf8.DecodeLastRuneInString(s)
		if strings.ContainsRune(closers, r) && !escaped(s, len(s)-n) {
			s = s[:len(s)-n]
			continue
		}
		return strings.ContainsRune(terminal, r)
	}
	return true // nothing to end
}

// fullStop ends s with the locale's full stop unless it ends one already.
func (c *composer) fullStop(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || endsSentence(s) {
		return s
	}
	return s + c.t("period")
}

// lowerName lower-cases the first letter of a common-noun name used inside
// a sentence ("also collect guardianship information"), in locales whose
// script has case. A name whose first word carries a capital elsewhere
// (IDFA, WeChat) is kept, and so is a name the model marks as proper.
func lowerName(s string, proper bool) string {
	if proper || s == "" {
		return s
	}
	first, _, _ := strings.Cut(s, " ")
	r, n := utf8.DecodeRuneInString(first)
	if !unicode.IsUpper(r) {
		return s
	}
	for _, q := range first[n:] {
		if unicode.IsUpper(q) || unicode.IsDigit(q) {
			return s
		}
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// casesNames reports whether the locale lower-cases common nouns inside a
// sentence (English does; German capitalises every noun; Chinese has no case).
func (c *composer) casesNames() bool { return baseLanguage(c.loc) == "en" }

// catItems names each category with the items it holds:
// "Device identifiers (IMEI, OAID); **Geographic location** (**precise location**)".
func (c *composer) catItems(rs policy.Refs) string {
	var out []string
	for _, r := range rs {
		cat := c.category(r.ID)
		if cat == nil {
			out = append(out, escText(string(r.ID)))
			continue
		}
		s := c.categoryName(cat.ID)
		if len(cat.Items) > 0 {
			s += c.t("paren.open") + c.items(*cat) + c.t("paren.close")
		}
		out = append(out, s)
	}
	return strings.Join(out, c.t("list.phrase"))
}

// plainList lists strings (platforms, permissions) as escaped text.
func (c *composer) plainList(ss []string) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = escText(s)
	}
	return strings.Join(out, c.t("list.sep"))
}

// subjectNames names the groups of people referred to.
func (c *composer) subjectNames(rs policy.Refs) string {
	return c.list(namesOf(c, rs, c.p.Subjects, func(x *policy.Subject) (policy.ID, policy.Text) { return x.ID, x.Name }))
}

// purposeRow is one row of the purposes table.
type purposeRow struct {
	Purpose policy.Purpose
	Data    policy.Refs // categories the activities with this purpose use, in model order
}

// purposeRows lists every purpose with the data the activities serving it
// use. The table is printed where a regime asks for the legal basis of
// each purpose (GDPR Art. 13(1)(c)) and wherever the model gives a basis.
func (c *composer) purposeRows() []purposeRow {
	show := false
	for _, j := range c.p.Jurisdictions {
		show = show || j == "eu-gdpr" || j == "uk-gdpr"
	}
	for _, p := range c.p.Purposes {
		show = show || len(p.LegalBasis) > 0 || !p.LegitimateInterest.IsZero() || p.Marketing
	}
	if !show {
		return nil
	}
	var rows []purposeRow
	for _, p := range c.p.Purposes {
		used := map[policy.ID]bool{}
		for _, a := range c.p.Activities {
			if !refsHave(a.Purposes, p.ID) {
				continue
			}
			for _, u := range a.Uses {
				used[u.ID] = true
			}
		}
		row := purposeRow{Purpose: p}
		for _, cat := range c.p.DataCategories {
			if used[cat.ID] {
				row.Data = append(row.Data, policy.Ref{ID: cat.ID})
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// anyInterest reports whether some purpose names a legitimate interest, so
// that the table has that column only when it holds something.
func (c *composer) anyInterest() bool {
	for _, p := range c.p.Purposes {
		if !p.LegitimateInterest.IsZero() {
			return true
		}
	}
	return false
}

func refsHave(rs policy.Refs, id policy.ID) bool {
	for _, r := range rs {
		if r.ID == id {
			return true
		}
	}
	return false
}

// channelEntry names a channel with its value: "Privacy mailbox: <privacy@…>".
func (c *composer) channelEntry(ch policy.Channel) string {
	name := escText(ch.Label.Get(c.loc))
	if name == "" {
		name = c.t("chan." + string(ch.Kind))
	}
	if ch.Value == "" {
		return name
	}
	return name + c.t("colon") + c.channelValue(ch)
}

// withPostcode appends the postal code to an address unless the address
// already holds it.
func withPostcode(addr, code string) string {
	if code == "" || strings.Contains(addr, code) {
		return addr
	}
	return addr + " " + code
}

// stopOnce drops a sentence's final full stop when what precedes it already
// ends the sentence: "with Example Ltd.." becomes "with Example Ltd.".
func stopOnce(s string) string {
	last, n := utf8.DecodeLastRuneInString(s)
	if last != '.' && last != '。' {
		return s
	}
	if rest := s[:len(s)-n]; rest != "" && endsSentence(rest) && !strings.HasSuffix(rest, "..") {
		return rest
	}
	return s
}

var retentionCall = regexp.MustCompile(`\{\{-?\s*retention\s*-?\}\}`)

// retentionListed reports whether the document prints the retention rules
// with the categories each applies to; the category list then leaves the
// rule out, so that each rule is stated once.
func (c *composer) retentionListed() bool {
	sections := c.p.Sections
	for _, d := range c.p.Documents {
		if string(d.ID) == c.doc {
			sections = d.Sections
		}
	}
	for _, s := range sections {
		if retentionCall.MatchString(s.Body.Get(c.loc)) {
			return true
		}
	}
	return false
}

// leadsIn reports whether a text ends by introducing what follows ("You
// may ask us to delete it when:"), so that no second lead-in is printed.
func leadsIn(s string) bool {
	s = strings.TrimSpace(s)
	return strings.HasSuffix(s, ":") || strings.HasSuffix(s, "：")
}

// channelEntries lists channels each under its label, for the block
// templates: "Privacy mailbox: <privacy@…>; Hotline: 400-…".
func (c *composer) channelEntries(rs policy.Refs) string {
	var out []string
	for _, ch := range c.channelsOf(rs) {
		out = append(out, c.channelEntry(ch))
	}
	return strings.Join(out, c.t("list.phrase"))
}

// channelsOf finds the referenced channels, in reference order.
func (c *composer) channelsOf(rs policy.Refs) []policy.Channel {
	var out []policy.Channel
	for _, r := range rs {
		for _, ch := range c.p.Contacts.Channels {
			if ch.ID == r.ID {
				out = append(out, ch)
			}
		}
	}
	return out
}
