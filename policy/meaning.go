package policy

import (
	"net/url"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// normText is a text as compared: Unicode NFC, runs of white space as one
// space, no space at either end. A re-wrapped paragraph or a composed
// accent says what it said before.
func normText(s string) string {
	return strings.Join(strings.Fields(norm.NFC.String(s)), " ")
}

// phoneDigits are the digits of a telephone number ("" when s is not one):
// "+86 10-5555 0100" and "+86 (10) 55550100" are one number.
func phoneDigits(s string) string {
	if _, err := ParsePhone(s); err != nil {
		return ""
	}
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r == '+' {
			return r
		}
		return -1
	}, s)
}

// sameEmail says whether two addresses reach the same mailbox: the domain
// is case-insensitive (RFC 5321 §2.4); the local part is compared as written.
func sameEmail(a, b string) bool {
	if _, err := ParseEmail(a); err != nil {
		return false
	}
	if _, err := ParseEmail(b); err != nil {
		return false
	}
	i, j := strings.LastIndexByte(a, '@'), strings.LastIndexByte(b, '@')
	return a[:i] == b[:j] && strings.EqualFold(a[i:], b[j:])
}

// httpsUpgrade says whether new is old moved from http to https, on the
// same host, path and query.
func httpsUpgrade(old, new string) bool {
	a, err := url.Parse(old)
	if err != nil {
		return false
	}
	b, err := url.Parse(new)
	if err != nil {
		return false
	}
	return strings.EqualFold(a.Scheme, "http") && strings.EqualFold(b.Scheme, "https") &&
		strings.EqualFold(a.Host, b.Host) && a.Path == b.Path && a.RawQuery == b.RawQuery && a.Fragment == b.Fragment
}

// sameMeaning says whether a changed value says what it said before: a
// telephone number with the same digits, an e-mail address whose domain
// changed case, a link moved to https. Such a change is editorial whatever
// rule names the fact.
func sameMeaning(c Change) bool {
	if c.Kind != Changed || c.Path.Last() != FieldStep {
		return false
	}
	t, _, ok := fieldAt(c.Path.Fields())
	if !ok {
		return false
	}
	phone := func() bool { d := phoneDigits(c.Old); return d != "" && d == phoneDigits(c.New) }
	switch {
	case t == phoneType:
		return phone()
	case t == emailType:
		return sameEmail(c.Old, c.New)
	case t == urlType:
		return httpsUpgrade(c.Old, c.New)
	case c.Path.Field() == "contacts.channels.value":
		// A channel's value is checked against its kind when loaded.
		return phone() || sameEmail(c.Old, c.New) || httpsUpgrade(c.Old, c.New)
	}
	return false
}
