package policy

import (
	"encoding/json"
	"fmt"
	"reflect"
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
	// when, if set, must hold for the change too; p is the newer model and
	// all the changes of the comparison (an element changed in a list
	// without ids is one removed and one added).
	when func(c Change, p *Policy, all []Change) bool
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
		"purposes[*]", "purposes[*].legal_basis:*", "purposes[*].marketing",
		"data_categories[*]", "data_categories[*].items:*", "data_categories[*].sources:*", "data_categories[*].sensitive",
		"data_categories[*].retention", "data_categories[*].subjects:*", "data_categories[*].children", "data_categories[*].deidentified",
		"activities[*]", "activities[*].uses:*", "activities[*].purposes:*", "activities[*].legal_basis:*", "activities[*].required", "activities[*].automated_decisions",
		"activities[*].sdks:*", "activities[*].subjects:*", "activities[*].children",
		"sdks[*].collects:*", "sdks[*].purposes:*", "sdks[*].permissions:*",
		"storage.retention[*]", "cookies.kinds[*]", "cookies.kinds[*].collects:*", "cookies.kinds[*].purposes:*"),
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
		when:    highRisk}, arrival,
		"changes.impact_assessment", "changes.impact_assessment.risk"),
	rule(Rule{ID: "pipl-reconsent", Level: Reconsent, Regime: "PIPL", Clause: "Art. 14(2)", Profile: "cn-pipl",
		Summary: "a changed purpose, method or category of processing needs consent again"}, addition,
		"purposes[*]", "activities[*].purposes:*", "activities[*].uses:*", "sdks[*].collects:*", "data_categories[*].items:*"),
	rule(Rule{ID: "pipl-sensitive", Level: Reconsent, Regime: "PIPL", Clause: "Art. 29", Profile: "cn-pipl",
		Summary: "sensitive personal information now processed needs separate consent",
		when:    func(c Change, _ *Policy, _ []Change) bool { return c.New == "true" }}, arrival,
		"data_categories[*].sensitive", "activities[*].separate_consent"),
	rule(Rule{ID: "pipl-cross-border", Level: Reconsent, Regime: "PIPL", Clause: "Art. 39", Profile: "cn-pipl",
		Summary: "a new transfer abroad needs separate consent"}, addition,
		"storage.cross_border.transfers", "storage.cross_border.routes[*]"),
	rule(Rule{ID: "gdpr-fundamental", Level: Significant, Regime: "GDPR", Clause: "Art. 13(3); WP260 rev.01 ¶29–33", Profile: "eu-gdpr",
		Summary: "new purposes, new recipients or new third-country transfers must be communicated before they apply"}, addition,
		"purposes[*]", "recipients[*]", "storage.cross_border.routes[*]", "storage.cross_border.transfers"),
	rule(Rule{ID: "coppa-material", Level: Significant, Regime: "COPPA", Clause: "16 CFR 312.4(b)–(c)", Profile: "us-coppa",
		Summary: "a material change to children's data practices needs new notice to parents"}, anyKind,
		"children", "children.age", "children.audience", "children.collects:*", "children.guardian_consent", "children.parental_rights",
		"children.age_bands:*"),
	rule(Rule{ID: "gbt-recipients-start", Level: Significant, Regime: "GB/T 35273-2020", Clause: "§7.4 / significant change item 3",
		Summary: "an affiliate starts receiving personal information",
		when:    startsReceiving}, arrival,
		"controller.affiliates[*]", "controller.affiliates[*].shares_data"),
	rule(Rule{ID: "retention-longer", Level: Significant, Regime: "GB/T 35273-2020", Clause: "§6.1 (minimum retention); §7.4 / significant change item 1",
		Summary: "personal information is kept longer, from a later start, or under fewer conditions (a shorter period is notable)",
		when:    longerRetention}, anyKind,
		"storage.retention[*].period", "storage.retention[*].minimum", "storage.retention[*].maximum",
		"storage.retention[*].starts", "storage.retention[*].conditions"),
	rule(Rule{ID: "storage-country", Level: Significant, Regime: "policyc", Clause: "baseline: storage location",
		Summary: "personal information is now stored in another country or region"}, arrival,
		"storage.locations[*]", "storage.locations[*].region"),
	rule(Rule{ID: "pipl-storage-abroad", Level: Reconsent, Regime: "PIPL", Clause: "Art. 38–39", Profile: "cn-pipl",
		Summary: "storing abroad personal information collected in China is a cross-border transfer: it needs separate consent",
		when:    storedAbroad}, arrival,
		"storage.locations[*]", "storage.locations[*].region", "storage.locations[*].collected_in"),
	rule(Rule{ID: "pipl-children", Level: Significant, Regime: "PIPL", Clause: "Art. 31", Profile: "cn-pipl",
		Summary: "the children's age threshold was lowered, guardian consent dropped (for every age band, or a band's upper age lowered, or a band whose children now consent alone), or more children's information is processed",
		when:    lessChildProtection}, anyKind,
		"children", "children.age", "children.guardian_consent", "children.collects:*", "children.age_bands:*",
		"data_categories[*].children", "activities[*].children"),
	rule(Rule{ID: "gdpr-legal-basis", Level: Significant, Regime: "GDPR", Clause: "Art. 13(1)(c)–(d), 13(3); WP260 rev.01 ¶29–33", Profile: "eu-gdpr",
		Summary: "a purpose now rests on a new legal basis or legitimate interest, or no longer on consent",
		when:    basisChanged}, anyKind,
		"purposes[*].legal_basis:*", "purposes[*].legitimate_interest", "activities[*].legal_basis:*"),
	rule(Rule{ID: "gdpr-transfer-mechanism", Level: Significant, Regime: "GDPR", Clause: "Art. 13(1)(f), 44–49", Profile: "eu-gdpr",
		Summary: "a transfer abroad now relies on a new mechanism (adequacy, safeguards, a derogation)"}, addition,
		"storage.cross_border.routes[*].mechanism:*"),
	rule(Rule{ID: "pipl-transfer-mechanism", Level: Significant, Regime: "PIPL", Clause: "Art. 38–39", Profile: "cn-pipl",
		Summary: "a transfer abroad now relies on a new mechanism (security assessment, certification, standard contract)"}, addition,
		"storage.cross_border.routes[*].mechanism:*"),
	rule(Rule{ID: "rights-restricted", Level: Significant, Regime: "GB/T 35273-2020", Clause: "§7.4 / significant change item 4; §8.7",
		Summary: "requests to exercise rights are limited more, or a reply may be extended further (a looser limit or shorter extension is notable)",
		when:    fewerRequests}, anyKind,
		"requests.limit", "requests.limit.times", "requests.limit.per", "requests.extension", "requests.extension.by",
		"rights[*].limit", "rights[*].limit.times", "rights[*].limit.per", "rights[*].extension", "rights[*].extension.by"),
	rule(Rule{ID: "item-required", Level: Significant, Regime: "GB/T 35273-2020", Clause: "§5.3 (basic and extended functions); §7.4 / significant change item 1",
		Summary: "an item of an activity must now be provided",
		when:    itemNowRequired}, addition,
		"activities[*].items:*"),
	rule(Rule{ID: "retention-condition", Level: Notable, Regime: "policyc", Clause: "baseline: retention",
		Summary: "a condition on how long information is kept was added",
		when:    conditionAdded}, anyKind,
		"storage.retention[*].conditions"),
}

// basisChanged: a legal basis added to a purpose or an activity, consent dropped as a
// basis (people lose the right to withdraw it), or a legitimate interest
// stated where none was (Art. 13(1)(d)); a reworded interest is wording.
func basisChanged(c Change, _ *Policy, _ []Change) bool {
	if c.Path.Field() == "purposes.legitimate_interest" {
		return c.Kind == Added
	}
	if c.Kind == Added {
		return true
	}
	v, _ := c.Path.Value()
	return v == "consent" || strings.HasPrefix(v, "consent, ")
}

// fewerRequests: a limit on requests introduced or tightened (fewer
// requests, or the same number over a longer period), or a reply that may
// now be extended, or extended further.
func fewerRequests(c Change, _ *Policy, _ []Change) bool {
	fields := c.Path.Fields()
	switch fields[len(fields)-1] {
	case "limit", "extension":
		return c.Kind == Added
	case "times":
		a, errA := strconv.Atoi(c.Old)
		b, errB := strconv.Atoi(c.New)
		return errA == nil && errB == nil && b < a
	}
	a, errA := ParseDuration(c.Old)
	b, errB := ParseDuration(c.New)
	return errA == nil && errB == nil && b.ApproxDays() > a.ApproxDays()
}

// itemNowRequired: an item an activity collects is required where it was
// not, or a new item is required. (An item changed in any other way is
// one removed and one added: it is not newly required when the removed
// one was required too.)
func itemNowRequired(c Change, p *Policy, all []Change) bool {
	x, ok := Lookup(p, c.Path)
	if !ok {
		return false
	}
	it, ok := x.(ActivityItem)
	if !ok || !it.Required.IsRequired() {
		return false
	}
	owner := c.Path[:len(c.Path)-1].String()
	name := textString(it.Item)
	for _, o := range all {
		v, isValue := o.Path.Value()
		if o.Kind != Removed || !isValue || o.Path[:len(o.Path)-1].String() != owner {
			continue
		}
		parts := strings.Split(v, ", ")
		if parts[0] == name && slices.Contains(parts[1:], "required") {
			return false
		}
	}
	return true
}

// conditionAdded: a retention condition that was not there before (one
// dropped is retention-longer's).
func conditionAdded(c Change, _ *Policy, _ []Change) bool {
	old := strings.Split(c.Old, "\n")
	for _, n := range strings.Split(c.New, "\n") {
		if n != "" && !slices.Contains(old, n) {
			return true
		}
	}
	return false
}

// highRisk: an assessment that reports high risk, new or changed.
func highRisk(c Change, p *Policy, _ []Change) bool {
	if c.Path.Field() == "changes.impact_assessment" {
		return p.Changes.ImpactAssessment != nil && p.Changes.ImpactAssessment.Risk == "high"
	}
	return c.New == "high"
}

// startsReceiving: an affiliate that now receives personal information.
func startsReceiving(c Change, p *Policy, _ []Change) bool {
	if c.Path.Last() == IDStep {
		x, ok := Lookup(p, c.Path)
		return ok && c.Kind == Added && x.(Affiliate).SharesData
	}
	return c.New == "true"
}

// longerRetention: a longer period (or one no longer set), a changed
// start, a dropped condition. A shorter period and a new condition keep
// information less long: notable.
func longerRetention(c Change, _ *Policy, _ []Change) bool {
	fields := c.Path.Fields()
	switch fields[len(fields)-1] {
	case "period", "minimum", "maximum":
		a, errA := ParseDuration(c.Old)
		b, errB := ParseDuration(c.New)
		if errA == nil && errB == nil && !a.IsZero() && !b.IsZero() {
			return b.ApproxDays() > a.ApproxDays()
		}
		return c.Kind != Added // a period dropped; a new one is a fact
	case "conditions":
		// The conditions are compared as one text, a line each: longer
		// when one of the old conditions is gone.
		kept := strings.Split(c.New, "\n")
		for _, old := range strings.Split(c.Old, "\n") {
			if old != "" && !slices.Contains(kept, old) {
				return true
			}
		}
		return false
	}
	return true
}

// inChina says whether a region names mainland China; Hong Kong, Macao
// and Taiwan are abroad for PIPL's cross-border rules.
func inChina(region string) bool {
	r := strings.ToLower(region)
	for _, away := range []string{"hong kong", "macao", "macau", "taiwan", "香港", "澳门", "台湾", "境外"} {
		if strings.Contains(r, away) {
			return false
		}
	}
	for _, home := range []string{"china", "people's republic", "prc", "中国", "中华人民共和国", "境内"} {
		if strings.Contains(r, home) {
			return true
		}
	}
	return false
}

// storedAbroad: a storage location outside China that holds information
// collected in China.
func storedAbroad(c Change, p *Policy, _ []Change) bool {
	var at Path
	for i, s := range c.Path {
		if s.Kind == IDStep {
			at = c.Path[:i+1]
		}
	}
	x, ok := Lookup(p, at)
	if !ok {
		return false
	}
	l := x.(Location)
	from, to := textString(l.Collected), textString(l.Region)
	return from != "" && inChina(from) && !inChina(to)
}

// lessChildProtection: children's rules added or dropped, the age lowered,
// guardian consent no longer described, more children's data collected.
func lessChildProtection(c Change, p *Policy, all []Change) bool {
	switch c.Path.Field() {
	case "children":
		return true
	case "children.age":
		a, errA := strconv.Atoi(c.Old)
		b, errB := strconv.Atoi(c.New)
		return errA != nil || errB != nil || b < a
	case "children.guardian_consent":
		return c.Kind == Removed
	case "children.collects":
		return c.Kind == Added
	case "children.age_bands":
		// A band whose children now consent alone; or guardian consent
		// gone from every band, with no other statement of it.
		if c.Kind == Added {
			x, ok := Lookup(p, c.Path)
			if !ok {
				return false
			}
			b := x.(AgeBand)
			return b.Consent == "child" || guardianBandLowered(b, c, all)
		}
		if p.Children == nil || textString(p.Children.GuardianConsent) != "" {
			return p.Children == nil
		}
		for _, b := range p.Children.AgeBands {
			if strings.HasPrefix(string(b.Consent), "guardian") {
				return false
			}
		}
		return c.Kind == Removed
	}
	return c.New == "true" // a category or activity now involves children
}

// guardianBandLowered: an age band needing a guardian's consent whose
// upper age came down (under 14 → under 13): among the changes, the same
// band with a higher bound was removed.
func guardianBandLowered(b AgeBand, c Change, all []Change) bool {
	if b.Under == 0 || !strings.HasPrefix(string(b.Consent), "guardian") {
		return false
	}
	for _, o := range all {
		v, isValue := o.Path.Value()
		if o.Kind != Removed || !isValue || o.Path.Field() != c.Path.Field() {
			continue
		}
		for u := b.Under + 1; u <= 21; u++ {
			wider := b
			wider.Under = u
			if setKey(reflect.ValueOf(&wider).Elem()) == v {
				return true
			}
		}
	}
	return false
}

// FactChanged is the level of a structural change that no rule covers.
var FactChanged = Rule{ID: "fact-changed", Level: Notable, Regime: "policyc", Clause: "baseline",
	Summary: "a fact of the policy changed"}

// Verdict is the classification of one change.
type Verdict struct {
	Change
	Level Level  `json:"level"`
	Rules []Rule `json:"rules,omitempty"`
	// Sentence says the change to a person, in the newer version's first
	// locale; Rate leaves it empty (render words changes).
	Sentence string `json:"sentence,omitempty"`
}

// Assessment is the classification of a whole comparison.
type Assessment struct {
	Level        Level     `json:"level"`
	ProseChanged bool      `json:"prose_changed"`
	Changes      []Verdict `json:"changes"`
	// NotAssessed says why the change was not assessed structurally
	// (a side has no model: it was imported as published); Level and
	// Changes then say nothing, and only the text was compared.
	NotAssessed string `json:"not_assessed,omitempty"`
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
		if sameMeaning(c) || wording(c) {
			// Said differently, not changed: the redline shows it.
			as.ProseChanged = true
			as.Changes = append(as.Changes, v)
			continue
		}
		for _, r := range rules {
			if r.Profile != "" && !slices.Contains(profiles, r.Profile) {
				continue
			}
			if r.matches(c, new, changes) {
				v.Rules = append(v.Rules, r)
				v.Level = max(v.Level, r.Level)
			}
		}
		// The policy's own updated and effective dates date each version:
		// every release changes them, so alone they are editorial.
		if len(v.Rules) == 0 && !c.Prose && c.Path.String() != "updated" && c.Path.String() != "effective" {
			v.Rules = []Rule{FactChanged}
			v.Level = Notable
		}
		as.ProseChanged = as.ProseChanged || c.Prose
		as.Level = max(as.Level, v.Level)
		as.Changes = append(as.Changes, v)
	}
	return as
}

// wording says whether a change is to how the policy explains itself
// rather than to what it does: the glossary's terms and definitions. (A
// change to what a data category holds is a change to its items or
// description, which the rules see.)
func wording(c Change) bool {
	return c.Path.Fields()[0] == "glossary"
}

// OldProfiles are the jurisdiction profiles of the older side of changes
// that lead to new: new's, less those the changes added, plus those they
// removed.
func OldProfiles(changes []Change, new *Policy) []Jurisdiction {
	var out []Jurisdiction
	for _, j := range new.Jurisdictions {
		if !slices.ContainsFunc(changes, func(c Change) bool {
			v, ok := c.Path.Value()
			return c.Kind == Added && ok && c.Path.Field() == "jurisdictions" && v == string(j)
		}) {
			out = append(out, j)
		}
	}
	for _, c := range changes {
		if k, ok := c.Path.Value(); ok && c.Path.Field() == "jurisdictions" && c.Kind == Removed {
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
			Clause: "own rule " + strconv.Itoa(i+1), Summary: textString(r.Reason)}, anyKind, r.Path))
	}
	return out
}

func (r Rule) matches(c Change, p *Policy, all []Change) bool {
	if r.kinds != nil && !slices.Contains(r.kinds, c.Kind) {
		return false
	}
	// when may look up what the path names, so it runs on matching paths.
	return r.paths.match(c.Path) && (r.when == nil || r.when(c, p, all))
}

// patterns are a rule's path patterns, parsed and checked against the
// model on first use: the rule set is built at start-up, and most commands
// never match a change.
type patterns struct {
	once sync.Once
	src  []string
	pats []Pattern
}

func (p *patterns) match(path Path) bool {
	p.once.Do(func() {
		for _, s := range p.src {
			pat, err := ParsePattern(s)
			if err != nil {
				// Built-in patterns are checked by a test; a policy's own
				// are checked by Validate, so this pattern names no fact.
				continue
			}
			p.pats = append(p.pats, pat)
		}
	})
	for _, pat := range p.pats {
		if pat.Match(path) {
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
	if as.NotAssessed != "" {
		// No level is invented for a change nobody assessed.
		v := struct {
			Format       string    `json:"format"`
			From         string    `json:"from"`
			To           string    `json:"to"`
			NotAssessed  string    `json:"not_assessed"`
			ProseChanged bool      `json:"prose_changed"`
			Changes      []Verdict `json:"changes"`
		}{VerdictFormat, from, to, as.NotAssessed, as.ProseChanged, []Verdict{}}
		b, err := json.MarshalIndent(v, "", "  ")
		return append(b, '\n'), err
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
