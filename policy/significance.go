package policy

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Level is how much a change matters to the people the policy informs.
type Level int

// Levels, in increasing order.
const (
	Editorial   Level = iota // wording only
	Notable                  // a fact changed: publish an update notice
	Significant              // prominent notification: e-mail, banner, pop-up
	Reconsent                // consent must be sought again
)

var levelNames = []string{"editorial", "notable", "significant", "reconsent"}

func (l Level) String() string { return levelNames[l] }

// MarshalText writes the level's name.
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText reads a level's name.
func (l *Level) UnmarshalText(b []byte) error {
	i := slices.Index(levelNames, string(b))
	if i < 0 {
		return fmt.Errorf("unknown level %q", b)
	}
	*l = Level(i)
	return nil
}

// Rule is a significance rule: which changes it covers, the level it
// raises them to, and the clause it rests on.
type Rule struct {
	ID      string `json:"id"`
	Level   Level  `json:"level"`
	Regime  string `json:"regime"`
	Clause  string `json:"clause"`
	Summary string `json:"summary"`
	// Profile restricts the rule to policies declaring that jurisdiction
	// ("" applies to every policy).
	Profile Jurisdiction `json:"profile,omitempty"`

	paths *patterns
	kinds []ChangeKind // nil: any kind
	// when, if set, must hold for the change too.
	when func(Change) bool
}

// rule builds a Rule from path patterns: "[*]" matches any id, a trailing
// ".**" any field below, ":*" any list value.
func rule(r Rule, kinds []ChangeKind, pats ...string) Rule {
	r.paths = &patterns{src: pats}
	r.kinds = kinds
	return r
}

var (
	anyKind  []ChangeKind
	addition = []ChangeKind{Added}
	arrival  = []ChangeKind{Added, Changed}
)

// Rules is the baseline rule set. The six GB/T 35273 items are those the
// first seed lists as significant changes calling for prominent
// notification; PIPL, GDPR and COPPA rules follow the policy's profiles.
var Rules = []Rule{
	rule(Rule{ID: "gbt-purposes-data-use", Level: Significant, Regime: "GB/T 35273-2020", Clause: "§7.4 / significant change item 1",
		Summary: "the purposes of processing, the types of personal information processed or how it is used changed"}, anyKind,
		"purposes[*]", "purposes[*].legal_basis", "purposes[*].marketing",
		"data_categories[*]", "data_categories[*].items:*", "data_categories[*].sources:*", "data_categories[*].sensitive",
		"data_categories[*].retention", "data_categories[*].subjects:*", "data_categories[*].children", "data_categories[*].deidentified",
		"activities[*]", "activities[*].uses:*", "activities[*].purposes:*", "activities[*].required", "activities[*].automated_decisions",
		"activities[*].sdks:*", "activities[*].subjects:*", "activities[*].children",
		"sdks[*].collects:*", "sdks[*].purposes:*", "sdks[*].permissions:*",
		"storage.retention[*]", "storage.retention[*].period", "cookies.kinds[*]", "cookies.kinds[*].collects:*", "cookies.kinds[*].purposes:*"),
	rule(Rule{ID: "gbt-ownership", Level: Significant, Regime: "GB/T 35273-2020", Clause: "§7.4 / significant change item 2",
		Summary: "ownership or organisational structure changed (restructuring, bankruptcy, merger, acquisition)"}, anyKind,
		"controller.legal_name", "controller.ownership[*]", "controller.ownership[*].text", "controller.affiliates[*]", "controller.affiliates[*].relation"),
	rule(Rule{ID: "gbt-recipients", Level: Significant, Regime: "GB/T 35273-2020", Clause: "§7.4 / significant change item 3",
		Summary: "the main recipients of sharing, transfer or public disclosure changed"}, anyKind,
		"recipients[*]", "recipients[*].name", "recipients[*].named", "recipients[*].kind", "recipients[*].data:*", "recipients[*].purposes:*",
		"recipients[*].form", "recipients[*].region", "recipients[*].sold", "recipients[*].shared_for_ads", "activities[*].recipients:*",
		"sharing.cases[*]", "sharing.cases[*].recipients:*", "transfer.cases[*]", "transfer.cases[*].recipients:*",
		"public_disclosure.cases[*]", "public_disclosure.cases[*].recipients:*",
		"sdks[*]", "sdks[*].provider", "sdks[*].region", "storage.cross_border.routes[*]", "storage.cross_border.routes[*].recipient"),
	rule(Rule{ID: "gbt-rights", Level: Significant, Regime: "GB/T 35273-2020", Clause: "§7.4 / significant change item 4",
		Summary: "the rights to take part in processing, or how to exercise them, changed"}, anyKind,
		"rights[*]", "rights[*].kind", "rights[*].channels:*", "rights[*].fee", "rights[*].response_time",
		"requests.response_time", "requests.fee", "contacts.response_time"),
	rule(Rule{ID: "gbt-contacts", Level: Significant, Regime: "GB/T 35273-2020", Clause: "§7.4 / significant change item 5",
		Summary: "the responsible department, contact method or complaint channel changed"}, anyKind,
		"contacts.officer", "contacts.officer.**", "contacts.channels[*]", "contacts.channels[*].value", "contacts.channels[*].kind",
		"contacts.channels[*].uses:*", "contacts.regulators:*"),
	rule(Rule{ID: "gbt-impact-high-risk", Level: Significant, Regime: "GB/T 35273-2020", Clause: "§7.4 / significant change item 6",
		Summary: "a personal information impact assessment reports high risk",
		when:    func(c Change) bool { return c.New == "high" }}, arrival,
		"changes.impact_assessment.risk"),
	rule(Rule{ID: "pipl-reconsent", Level: Reconsent, Regime: "PIPL", Clause: "Art. 14(2)", Profile: "cn-pipl",
		Summary: "a changed purpose, method or category of processing needs consent again"}, addition,
		"purposes[*]", "activities[*].purposes:*", "activities[*].uses:*", "sdks[*].collects:*", "data_categories[*].items:*"),
	rule(Rule{ID: "pipl-sensitive", Level: Reconsent, Regime: "PIPL", Clause: "Art. 29", Profile: "cn-pipl",
		Summary: "sensitive personal information now processed needs separate consent",
		when:    func(c Change) bool { return c.New == "true" }}, arrival,
		"data_categories[*].sensitive", "activities[*].separate_consent"),
	rule(Rule{ID: "pipl-cross-border", Level: Reconsent, Regime: "PIPL", Clause: "Art. 39", Profile: "cn-pipl",
		Summary: "a new transfer abroad needs separate consent"}, addition,
		"storage.cross_border.transfers", "storage.cross_border.routes[*]"),
	rule(Rule{ID: "gdpr-fundamental", Level: Significant, Regime: "GDPR", Clause: "Art. 13(3); WP260 rev.01 ¶29–33", Profile: "eu-gdpr",
		Summary: "new purposes, new recipients or new third-country transfers must be communicated before they apply"}, addition,
		"purposes[*]", "recipients[*]", "storage.cross_border.routes[*]", "storage.cross_border.transfers"),
	rule(Rule{ID: "coppa-material", Level: Significant, Regime: "COPPA", Clause: "16 CFR 312.4(b)–(c)", Profile: "us-coppa",
		Summary: "a material change to children's data practices needs new notice to parents"}, anyKind,
		"children", "children.age", "children.audience", "children.collects:*", "children.guardian_consent", "children.parental_rights"),
}

// FactChanged is the level of a structural change that no rule covers.
var FactChanged = Rule{ID: "fact-changed", Level: Notable, Regime: "policyc", Clause: "baseline",
	Summary: "a fact of the policy changed"}

// Verdict is the classification of one change.
type Verdict struct {
	Change
	Level Level  `json:"level"`
	Rules []Rule `json:"rules,omitempty"`
}

// Assessment is the classification of a whole comparison.
type Assessment struct {
	Level        Level     `json:"level"`
	ProseChanged bool      `json:"prose_changed"`
	Changes      []Verdict `json:"changes"`
}

// Assess diffs two models and classifies every change with the rules that
// apply to the newer model's jurisdiction profiles. Prose-only changes are
// editorial (and reported, so a human reads them); a structural change no
// rule covers is notable.
func Assess(old, new *Policy) Assessment {
	return Rate(Diff(old, new), old.Jurisdictions, new)
}

// Rate classifies changes between an older version, whose jurisdiction
// profiles were oldProfiles, and the model new (whose profiles and
// changes.raise apply too), as Assess does.
func Rate(changes []Change, oldProfiles []Jurisdiction, new *Policy) Assessment {
	profiles := slices.Concat(oldProfiles, new.Jurisdictions)
	rules := slices.Concat(Rules, projectRules(new))
	var as Assessment
	for _, c := range changes {
		v := Verdict{Change: c}
		for _, r := range rules {
			if r.Profile != "" && !slices.Contains(profiles, r.Profile) {
				continue
			}
			if r.matches(c) {
				v.Rules = append(v.Rules, r)
				v.Level = max(v.Level, r.Level)
			}
		}
		// The policy's own updated and effective dates date each version:
		// every release changes them, so alone they are editorial.
		if len(v.Rules) == 0 && !c.Prose && c.Path != "updated" && c.Path != "effective" {
			v.Rules = []Rule{FactChanged}
			v.Level = Notable
		}
		as.ProseChanged = as.ProseChanged || c.Prose
		as.Level = max(as.Level, v.Level)
		as.Changes = append(as.Changes, v)
	}
	return as
}

// OldProfiles are the jurisdiction profiles of the older side of changes
// that lead to new: new's, less those the changes added, plus those they
// removed.
func OldProfiles(changes []Change, new *Policy) []Jurisdiction {
	var out []Jurisdiction
	for _, j := range new.Jurisdictions {
		if !slices.ContainsFunc(changes, func(c Change) bool {
			return c.Kind == Added && c.Path == "jurisdictions:"+string(j)
		}) {
			out = append(out, j)
		}
	}
	for _, c := range changes {
		if k, ok := strings.CutPrefix(c.Path, "jurisdictions:"); ok && c.Kind == Removed {
			out = append(out, Jurisdiction(k))
		}
	}
	return out
}

// projectRules are the policy's own raises (changes.raise). They can only
// add to the levels the rules give: Assess keeps the highest.
func projectRules(p *Policy) []Rule {
	var out []Rule
	for i, r := range p.Changes.Raise {
		level := Notable
		switch r.Level {
		case "significant":
			level = Significant
		case "reconsent":
			level = Reconsent
		}
		out = append(out, rule(Rule{ID: fmt.Sprintf("project-%d", i+1), Level: level, Regime: "this policy",
			Clause: "changes.raise[" + strconv.Itoa(i) + "]", Summary: textString(r.Reason)}, anyKind, r.Path))
	}
	return out
}

func (r Rule) matches(c Change) bool {
	if r.kinds != nil && !slices.Contains(r.kinds, c.Kind) {
		return false
	}
	if r.when != nil && !r.when(c) {
		return false
	}
	return r.paths.match(c.Path)
}

// patterns are a rule's path patterns, compiled on first use: the rule
// set is built at start-up, and most commands never match a change.
type patterns struct {
	once sync.Once
	src  []string
	re   []*regexp.Regexp
}

func (p *patterns) match(path string) bool {
	p.once.Do(func() {
		for _, s := range p.src {
			q := regexp.QuoteMeta(s)
			q = strings.ReplaceAll(q, `\[\*\]`, `\[[^\]]+\]`)
			q = strings.ReplaceAll(q, `\.\*\*`, `(\..*)?`)
			q = strings.ReplaceAll(q, `:\*`, `:.*`)
			p.re = append(p.re, regexp.MustCompile("^"+q+"$"))
		}
	})
	for _, re := range p.re {
		if re.MatchString(path) {
			return true
		}
	}
	return false
}

// VerdictFormat names the JSON layout of a verdict.
const VerdictFormat = "policyc.verdict/v1"

// VerdictJSON is the stable JSON form of an assessment between two named
// versions ("v2", "v3", or a directory), as "policyc diff --format json"
// prints it and as a release stores it.
func VerdictJSON(from, to string, as Assessment) ([]byte, error) {
	if as.Changes == nil {
		as.Changes = []Verdict{}
	}
	v := struct {
		Format string `json:"format"`
		From   string `json:"from"`
		To     string `json:"to"`
		Assessment
	}{VerdictFormat, from, to, as}
	b, err := json.MarshalIndent(v, "", "  ")
	return append(b, '\n'), err
}

// ParseVerdict reads what VerdictJSON wrote: the assessment and the names
// of the versions compared.
func ParseVerdict(data []byte) (from, to string, as Assessment, err error) {
	var v struct {
		Format string `json:"format"`
		From   string `json:"from"`
		To     string `json:"to"`
		Assessment
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return "", "", as, fmt.Errorf("verdict: %w", err)
	}
	if v.Format != VerdictFormat {
		return "", "", as, fmt.Errorf("verdict: format %q, want %q", v.Format, VerdictFormat)
	}
	return v.From, v.To, v.Assessment, nil
}
