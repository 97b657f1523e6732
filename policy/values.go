package policy

import (
	"encoding/json"
	"fmt"
	"html"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// ID names a fact (a data category, an SDK, a right…) so others can refer to
// it: lowercase letters, digits and hyphens, starting with a letter or digit.
type ID string

// MaxIDLen is the longest id idPattern accepts.
const MaxIDLen = 64

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// idProblem says what is wrong with an id idPattern refuses: its length,
// when that is all, or the characters it may use.
func idProblem(s string) string {
	if len(s) > MaxIDLen && idPattern.MatchString(s[:MaxIDLen]) && strings.Trim(s[MaxIDLen:], "abcdefghijklmnopqrstuvwxyz0123456789-") == "" {
		return fmt.Sprintf("invalid id %q: %d characters, more than the limit of %d", short(s), len(s), MaxIDLen)
	}
	return fmt.Sprintf("invalid id %q: use lowercase letters, digits and hyphens", short(s))
}

// Ref is a reference to a fact by its ID; it remembers where it was written so
// that a dangling reference can be reported there.
type Ref struct {
	ID  ID
	pos Pos
}

// Pos is where the reference was written.
func (r Ref) Pos() Pos { return r.pos }

func (r Ref) String() string { return string(r.ID) }

// MarshalJSON writes the referenced ID.
func (r Ref) MarshalJSON() ([]byte, error) { return json.Marshal(string(r.ID)) }

// Refs is a list of references.
type Refs []Ref

// IDs returns the referenced IDs in order.
func (rs Refs) IDs() []ID {
	out := make([]ID, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

// Contains reports whether the list refers to id.
func (rs Refs) Contains(id ID) bool {
	for _, r := range rs {
		if r.ID == id {
			return true
		}
	}
	return false
}

// Date is a calendar date, written YYYY-MM-DD, or a month, written YYYY-MM,
// when the policy names only the month ("last updated August 2025"): Day
// is then zero and the date is printed as written, never as the 1st.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate parses YYYY-MM-DD or YYYY-MM and rejects dates that do not exist.
func ParseDate(s string) (Date, error) {
	if t, err := time.Parse("2006-01", s); err == nil && len(s) == len("2006-01") {
		return Date{t.Year(), t.Month(), 0}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("invalid date %q: expected YYYY-MM-DD (a day that exists) or YYYY-MM (a month)", s)
	}
	return Date{t.Year(), t.Month(), t.Day()}, nil
}

// IsZero reports whether the date was not given.
func (d Date) IsZero() bool { return d.Year == 0 }

// IsMonth reports whether the date names a month only (YYYY-MM).
func (d Date) IsMonth() bool { return d.Year != 0 && d.Day == 0 }

func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	if d.IsMonth() {
		return fmt.Sprintf("%04d-%02d", d.Year, int(d.Month))
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Time is the date at midnight UTC; a month is taken at its first day.
func (d Date) Time() time.Time {
	day := d.Day
	if day == 0 {
		day = 1
	}
	return time.Date(d.Year, d.Month, day, 0, 0, 0, 0, time.UTC)
}

// Before reports whether d is earlier than e. A month is compared as a
// month: "2025-08" is not before "2025-08-15", since the policy does not
// say which day of August it means.
func (d Date) Before(e Date) bool {
	if d.IsMonth() || e.IsMonth() {
		return d.Year < e.Year || d.Year == e.Year && d.Month < e.Month
	}
	return d.Time().Before(e.Time())
}

// AddDays returns the date n days later (from the first day of a month).
func (d Date) AddDays(n int) Date {
	t := d.Time().AddDate(0, 0, n)
	return Date{t.Year(), t.Month(), t.Day()}
}

// MarshalJSON writes the date as "YYYY-MM-DD".
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads what MarshalJSON wrote ("" is no date).
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == "" {
		*d = Date{}
		return nil
	}
	x, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = x
	return nil
}

// Duration is a period as a policy states it: "15 days", "15 working days",
// "72 hours", "3 years". The unit is kept as written because "15 working
// days" and "21 days" are different promises.
type Duration struct {
	N    int
	Unit DurationUnit
}

// DurationUnit is the unit of a Duration.
type DurationUnit string

// Units of Duration.
const (
	Hours       DurationUnit = "hours"
	Days        DurationUnit = "days"
	WorkingDays DurationUnit = "working days"
	Weeks       DurationUnit = "weeks"
	Months      DurationUnit = "months"
	Years       DurationUnit = "years"
)

var durationUnits = map[string]DurationUnit{
	"hour": Hours, "hours": Hours,
	"day": Days, "days": Days,
	"working day": WorkingDays, "working days": WorkingDays,
	"business day": WorkingDays, "business days": WorkingDays,
	"week": Weeks, "weeks": Weeks,
	"month": Months, "months": Months,
	"year": Years, "years": Years,
}

var durationPattern = regexp.MustCompile(`^([0-9]{1,4}) +([a-z]+(?: [a-z]+)?)$`)

// ParseDuration parses "N unit".
func ParseDuration(s string) (Duration, error) {
	m := durationPattern.FindStringSubmatch(strings.TrimSpace(s))
	if m != nil {
		if u, ok := durationUnits[m[2]]; ok {
			n, _ := strconv.Atoi(m[1])
			if n > 0 {
				return Duration{N: n, Unit: u}, nil
			}
		}
	}
	return Duration{}, fmt.Errorf("invalid duration %q: expected a positive number and a unit (hours, days, working days, weeks, months, years), e.g. \"15 working days\"", s)
}

// IsZero reports whether the duration was not given.
func (d Duration) IsZero() bool { return d.N == 0 }

func (d Duration) String() string {
	if d.IsZero() {
		return ""
	}
	u := string(d.Unit)
	if d.N == 1 {
		u = strings.TrimSuffix(u, "s")
	}
	return fmt.Sprintf("%d %s", d.N, u)
}

// ApproxDays converts to calendar days for comparisons (a working week is
// seven calendar days for five working days; months and years are 30 and 365).
func (d Duration) ApproxDays() float64 {
	n := float64(d.N)
	switch d.Unit {
	case Hours:
		return n / 24
	case WorkingDays:
		return n * 7 / 5
	case Weeks:
		return n * 7
	case Months:
		return n * 30
	case Years:
		return n * 365
	}
	return n
}

// MarshalJSON writes the duration as written, normalised ("15 working days").
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// URL is an absolute http or https address. Other schemes (javascript:,
// data:, file:…) are refused: a policy's links are followed by the public.
type URL string

// ParseURL accepts absolute http and https URLs with a host.
func ParseURL(s string) (URL, error) {
	u, err := url.Parse(s)
	if err != nil || strings.ContainsAny(s, " \t\r\n") {
		return "", fmt.Errorf("invalid URL %q", s)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
	case "":
		return "", fmt.Errorf("invalid URL %q: expected an absolute http or https URL", s)
	default:
		return "", fmt.Errorf("unsafe URL scheme %q in %q: only http and https links are allowed", u.Scheme, s)
	}
	if u.Host == "" {
		return "", fmt.Errorf("invalid URL %q: no host", s)
	}
	return URL(s), nil
}

// linkSchemes are the schemes a link may have; a destination without one
// (a relative reference: "other.html", "#section", "//host/path") may be
// a link too.
var linkSchemes = []string{"http", "https", "mailto", "tel"}

// maxDecodings bounds how many rounds of decoding SafeLink follows: a
// destination still changing after that many is built to hide what it is.
const maxDecodings = 8

// SafeLink reports whether a destination may become an href or a src.
// It is the one judge of every link policyc writes, in every format.
//
// A browser reads the scheme after the attribute's character references
// are decoded (java&#x73;cript:, javascript&colon;), after removing tabs
// and newlines anywhere and control characters and spaces around it
// ("java\tscript:"), and reads a backslash as a slash in some schemes; a
// Markdown or URL reader may further decode percent-escapes. So the
// destination is judged as each of these readings gives it, decoded again
// and again until nothing changes, and is safe only if every reading has
// no scheme or one of http, https, mailto and tel.
func SafeLink(dest string) bool {
	// Two orders of decoding, each followed to its end: what one reader
	// decodes first, another may decode second.
	for _, first := range []func(string) string{html.UnescapeString, percentDecode} {
		s := dest
		for i := 0; ; i++ {
			if !schemeAllowed(s) {
				return false
			}
			next := percentDecode(html.UnescapeString(first(s)))
			if next == s {
				break
			}
			if i == maxDecodings {
				return false
			}
			s = next
		}
	}
	return true
}

// schemeAllowed judges one reading of a destination: its scheme, with the
// characters a browser removes or ignores taken out, must be allowed,
// whether a backslash is read as a slash (as browsers do) or as an escape
// of the next character (as Markdown does).
func schemeAllowed(s string) bool {
	for _, backslash := range []string{"/", ""} {
		t := strings.Map(func(r rune) rune {
			switch {
			case r == '\\':
				if backslash == "" {
					return -1
				}
				return '/'
			case r <= ' ' || r == 0x7f || r >= 0x80 && r <= 0x9f:
				return -1 // control characters and spaces
			case unicode.IsSpace(r) || unicode.Is(unicode.Cf, r):
				return -1 // other spaces and invisible format characters
			}
			return r
		}, s)
		i := strings.IndexAny(t, ":/?#")
		if i < 0 || t[i] != ':' {
			continue // no scheme: a relative reference
		}
		if !slices.Contains(linkSchemes, strings.ToLower(t[:i])) {
			return false
		}
	}
	return true
}

// percentDecode decodes every well-formed %XX escape and leaves the rest.
func percentDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// Email is a bare e-mail address.
type Email string

// ParseEmail accepts a bare address such as privacy@example.com.
func ParseEmail(s string) (Email, error) {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
		return "", fmt.Errorf("invalid e-mail address %q", s)
	}
	return Email(s), nil
}

// Phone is a telephone number as it should be dialled or printed:
// digits, spaces, hyphens, parentheses and a leading +.
type Phone string

var phonePattern = regexp.MustCompile(`^\+?[0-9][0-9 ()-]{2,30}[0-9]$`)

// ParsePhone checks the characters of a telephone number.
func ParsePhone(s string) (Phone, error) {
	if !phonePattern.MatchString(s) {
		return "", fmt.Errorf("invalid telephone number %q: use digits, spaces, hyphens, parentheses and a leading +", s)
	}
	return Phone(s), nil
}

// Locale is a BCP 47 language tag such as en, en-GB or zh-CN.
type Locale string

var localePattern = regexp.MustCompile(`^[a-z]{2,3}(-[A-Z][a-z]{3})?(-(?:[A-Z]{2}|[0-9]{3}))?$`)

// ParseLocale checks the form of a language tag (canonical case).
func ParseLocale(s string) (Locale, error) {
	if !localePattern.MatchString(s) {
		return "", fmt.Errorf("invalid locale %q: expected a BCP 47 tag such as en, en-GB, zh-CN or zh-Hans-CN", s)
	}
	return Locale(s), nil
}
