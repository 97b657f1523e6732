package policy

import (
	"slices"
	"strings"
	"testing"
)

// ruleIDs lints and lists the rules that fired, unacknowledged.
func ruleIDs(t *testing.T, p *Policy, profiles ...Jurisdiction) []string {
	t.Helper()
	fs, err := Lint(p, profiles)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range fs {
		if f.Acknowledged == nil {
			out = append(out, f.Rule.ID)
		}
	}
	return out
}

// An adequacy decision (Art. 45) needs no safeguards; a route on SCCs is
// named by its mechanism; binding corporate rules need their safeguards.
func TestSafeguardsAreDemandedOnlyForRoutesThatNeedThem(t *testing.T) {
	p := example(t, "website")
	p.Jurisdictions = []Jurisdiction{"eu-gdpr"}
	complete(p, "eu-gdpr")
	withoutRoutes(p)
	abroadRecipient(p, "adequate", "adequacy", "")
	abroadRecipient(p, "contractual", "scc", "")
	if got := ruleIDs(t, p); len(got) > 0 {
		t.Errorf("adequacy and SCC routes without a safeguards sentence: findings %v, want none", got)
	}
	abroadRecipient(p, "group", "bcr", "")
	fs, _ := Lint(p, nil)
	if len(fs) != 1 || fs[0].Rule.ID != "gdpr-13-1-f-safeguards" || fs[0].Path != "storage.cross_border.routes[group].safeguards" {
		t.Errorf("a BCR route without safeguards: findings %v, want gdpr-13-1-f-safeguards at its safeguards", fs)
	}
	// Under the UK GDPR, EU SCCs alone are not enough: they need the UK Addendum.
	p = completed(t, "website", "uk-gdpr")
	withoutRoutes(p)
	abroadRecipient(p, "contractual", "scc", "")
	if got := ruleIDs(t, p); !slices.Equal(got, []string{"ukgdpr-13-1-f-safeguards"}) {
		t.Errorf("EU SCCs under the UK GDPR: findings %v, want ukgdpr-13-1-f-safeguards", got)
	}
}

// withoutRoutes removes the routes and the recipients abroad the
// completion added.
func withoutRoutes(p *Policy) {
	p.Storage.CrossBorder.Routes = nil
	p.Recipients = slices.DeleteFunc(p.Recipients, func(r Recipient) bool { return strings.HasSuffix(string(r.ID), "-cloud") })
}

// A category of recipients without contact or region is enough under the
// GDPR (Art. 13(1)(e)); PIPL Art. 23's contact rule does not run for a
// policy that does not declare PIPL.
func TestRecipientContactIsAPIPLRuleOnly(t *testing.T) {
	p := completed(t, "website", "eu-gdpr")
	p.Recipients = append(p.Recipients, Recipient{ID: "ad-partners", Name: NeutralText("Advertising partners"), Kind: "advertiser",
		Purposes: Refs{{ID: "marketing"}}, Data: Refs{{ID: "device"}}, Form: "identifiable"})
	p.Activities[2].Recipients = append(p.Activities[2].Recipients, Ref{ID: "ad-partners"})
	if got := ruleIDs(t, p); len(got) > 0 {
		t.Errorf("GDPR-only policy with a category of recipients: findings %v, want none", got)
	}
	if got := ruleIDs(t, p, "cn-pipl"); !slices.Contains(got, "pipl-23-recipient-contact") {
		t.Errorf("the same recipient under PIPL: findings %v, want pipl-23-recipient-contact", got)
	}
}

// GDPR Art. 13(2)(e) applies where provision of the data is required, not
// to processing people may refuse (legitimate interests, consent).
func TestRefusalConsequencesOnlyWhereProvisionIsRequired(t *testing.T) {
	p := completed(t, "website", "eu-gdpr")
	for i := range p.Activities {
		a := &p.Activities[i]
		if a.ID == "search" { // legitimate interests, optional
			a.IfRefused, a.Statutory = Text{}, Text{}
		}
	}
	if got := ruleIDs(t, p); len(got) > 0 {
		t.Errorf("legitimate-interest processing without if_refused: findings %v, want none", got)
	}
	for i := range p.Activities {
		if p.Activities[i].ID == "search" {
			p.Activities[i].Required = "required"
		}
	}
	got := ruleIDs(t, p)
	if !slices.Equal(got, []string{"gdpr-13-2-e-requirement", "gdpr-13-2-e-consequences"}) && !slices.Equal(got, []string{"gdpr-13-2-e-consequences", "gdpr-13-2-e-requirement"}) {
		t.Errorf("the same activity made required: findings %v, want both 13(2)(e) rules", got)
	}
}

// An officer reachable by telephone or post but not e-mail is reachable.
func TestOfficerIsReachableByAnyChannel(t *testing.T) {
	for _, keep := range []string{"phone", "address", "email"} {
		p := completed(t, "website", "eu-gdpr")
		p.Jurisdictions = []Jurisdiction{"eu-gdpr", "cn-pipl"}
		o := p.Contacts.Officer
		if keep != "phone" {
			o.Phone = ""
		}
		if keep != "address" {
			o.Address = Text{}
		}
		if keep != "email" {
			o.Email = ""
		}
		if got := ruleIDs(t, p); len(got) > 0 {
			t.Errorf("officer with only %s: findings %v, want none", keep, got)
		}
		o.Phone, o.Address, o.Email = "", Text{}, ""
		if got := ruleIDs(t, p); !slices.Contains(got, "gdpr-13-1-b-dpo") || !slices.Contains(got, "pipl-52-officer-contact") {
			t.Errorf("officer with no way to reach them: findings %v", got)
		}
	}
}

// A regulator's jurisdiction tag changes nothing in the published text: an
// untagged supervisory authority meets Art. 13(2)(d).
func TestUntaggedRegulatorIsASupervisoryAuthority(t *testing.T) {
	p := completed(t, "website", "eu-gdpr")
	p.Contacts.Regulators = []Regulator{{Name: NeutralText("The Irish Data Protection Commission")}}
	if got := ruleIDs(t, p); len(got) > 0 {
		t.Errorf("untagged regulator: findings %v, want none", got)
	}
	p.Contacts.Regulators[0].Jurisdiction = "cn-pipl"
	if got := ruleIDs(t, p); !slices.Equal(got, []string{"gdpr-13-2-d-complaint"}) {
		t.Errorf("only a regulator of another regime: findings %v, want gdpr-13-2-d-complaint", got)
	}
}

// No rule runs for a regime the policy does not declare, and every
// regime's rules name their regime.
func TestNoRuleRunsForAnUndeclaredRegime(t *testing.T) {
	p := example(t, "sdk-provider") // lacks much that the GDPR and the CCPA require
	p.Jurisdictions = nil
	if got := ruleIDs(t, p); len(got) > 0 {
		t.Errorf("no profile declared: findings %v", got)
	}
	for _, j := range []Jurisdiction{"eu-gdpr", "us-ccpa"} {
		fs, err := Lint(p, []Jurisdiction{j})
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) == 0 {
			t.Errorf("%s: no findings on a model that does not aim at it", j)
		}
		for _, f := range fs {
			if f.Rule.Profile != j {
				t.Errorf("%s: rule %s of %q ran", j, f.Rule.ID, f.Rule.Profile)
			}
		}
	}
}

// Statutory elements are errors; those of a recommended standard warnings.
func TestRecommendedStandardsAreWarnings(t *testing.T) {
	rules, err := LintRules()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rules {
		recommended := strings.HasPrefix(r.Clause, "GB/T")
		if recommended != (r.Severity == SeverityWarning) {
			t.Errorf("%s (%s) is a %s", r.ID, r.Clause, r.Severity)
		}
	}
}

// A rule file must name each rule's element, clause, condition and fields.
func TestRuleFilesNameElementClauseAndFields(t *testing.T) {
	good := LintRule{ID: "x", Element: "e", Clause: "c", Condition: "always", Fields: []string{"updated"}, Hint: "h", Severity: SeverityError, Need: []string{"updated"}}
	if err := good.check(); err != nil {
		t.Fatalf("a complete rule: %v", err)
	}
	for name, breakIt := range map[string]func(r *LintRule){
		"element": func(r *LintRule) { r.Element = "" }, "clause": func(r *LintRule) { r.Clause = "" },
		"condition": func(r *LintRule) { r.Condition = "" }, "fields": func(r *LintRule) { r.Fields = nil },
		"severity": func(r *LintRule) { r.Severity = "info" }, "check": func(r *LintRule) { r.Need = nil },
		"practice": func(r *LintRule) { r.When = "telepathy" }, "printed": func(r *LintRule) { r.Printed = []string{"nothing"} },
	} {
		r := good
		breakIt(&r)
		if r.check() == nil {
			t.Errorf("a rule without its %s is accepted", name)
		}
	}
}

// An acknowledged finding stays, marked with its reason; an
// acknowledgement that matches nothing is a finding; one for a profile not
// checked this time is not.
func TestAcknowledgedFindingsKeepTheirReason(t *testing.T) {
	p := completed(t, "website", "eu-gdpr")
	p.Purposes[0].LegalBasis = nil
	p.Lint = &LintSettings{Acknowledge: []Acknowledgement{
		{Rule: "gdpr-13-1-c-legal-basis", At: "purposes[account].legal_basis", Reason: NeutralText("Counsel reviewed it.")},
		{Rule: "gdpr-13-1-c-legal-basis", At: "purposes[search].legal_basis", Reason: NeutralText("Stale.")},
		{Rule: "ccpa-agents", Reason: NeutralText("Not checked under eu-gdpr.")},
	}}
	fs, err := Lint(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		s := f.Rule.ID + " " + f.Path
		if f.Acknowledged != nil {
			s += ": " + textString(f.Acknowledged.Reason)
		}
		got = append(got, s)
	}
	want := []string{"gdpr-13-1-c-legal-basis purposes[account].legal_basis: Counsel reviewed it.", "lint-stale-acknowledgement lint.acknowledge[1]"}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("findings\n%v\nwant\n%v", got, want)
	}
}

// A finding names the section that prints the element, by its anchor; when
// no section prints it, none.
func TestFindingsNameTheSectionThatPrintsTheElement(t *testing.T) {
	p := completed(t, "website", "eu-gdpr")
	p.Rights = slices.DeleteFunc(p.Rights, func(r Right) bool { return r.Kind == "portability" })
	fs, _ := Lint(p, nil)
	if len(fs) != 1 || fs[0].Section == nil || fs[0].Section.Anchor != "rights" || fs[0].Section.Title != "Your rights" {
		t.Fatalf("findings %+v, want one in section rights", fs)
	}
	if fs[0].Pos.File != "policy.yaml" || fs[0].Pos.Line == 0 {
		t.Errorf("finding at %s, want the rights list in policy.yaml", fs[0].Pos)
	}
	for i := range p.Sections {
		if p.Sections[i].ID == "rights" {
			p.Sections[i].Body = NeutralText("Write to us.")
		}
	}
	// The other rights are still in the model but no longer published:
	// each is reported as not printed, and no finding names a section.
	fs, _ = Lint(p, nil)
	var got []string
	for _, f := range fs {
		if f.Section != nil {
			t.Errorf("with no section printing the rights: %s names section %s", f.Rule.ID, f.Section)
		}
		if f.Rule.ID != "gdpr-13-2-b-portability" && !strings.Contains(f.Message, "no section prints it (call {{ rights }}") {
			t.Errorf("with no section printing the rights: %s: %s, want it reported as not printed", f.Rule.ID, f.Message)
		}
		got = append(got, f.Rule.ID)
	}
	for _, want := range []string{"gdpr-13-2-b-portability", "gdpr-13-2-b-access", "gdpr-13-2-b-erasure"} {
		if !slices.Contains(got, want) {
			t.Errorf("with no section printing the rights: findings %v, want %s among them", got, want)
		}
	}
}

// A transfer abroad is seen from a recipient's region, without the flag.
func TestTransfersAreSeenWithoutTheFlag(t *testing.T) {
	p := completed(t, "website", "cn-pipl")
	p.Storage.CrossBorder.Routes, p.Storage.CrossBorder.Transfers = nil, false
	p.Recipients = slices.DeleteFunc(p.Recipients, func(r Recipient) bool { return strings.HasPrefix(string(r.ID), "pipl-") })
	if got := ruleIDs(t, p); len(got) > 0 {
		t.Fatalf("no transfer: findings %v", got)
	}
	p.Recipients[0].Region = NeutralText("Singapore")
	if got := ruleIDs(t, p); !slices.Equal(got, []string{"pipl-39-routes"}) {
		t.Errorf("a recipient in Singapore and no route: findings %v, want pipl-39-routes", got)
	}
	p.Recipients[0].Region = NeutralText("mainland China")
	if got := ruleIDs(t, p); len(got) > 0 {
		t.Errorf("a recipient in mainland China: findings %v, want none", got)
	}
}

// Automated decision-making is seen where the model describes it, not
// only where it is flagged; a sentence denying it does not count.
func TestAutomatedDecisionsAreSeenInTheirDescription(t *testing.T) {
	p := completed(t, "website", "eu-gdpr")
	clearAutomatedFlags(p)
	p.Rights = slices.DeleteFunc(p.Rights, func(r Right) bool { return r.Kind == "automated-decisions" })
	if got := ruleIDs(t, p); !slices.Equal(got, []string{"gdpr-13-2-f-automated"}) {
		t.Errorf("described but not flagged: findings %v, want gdpr-13-2-f-automated", got)
	}
	for i := range p.Activities {
		p.Activities[i].Description = NeutralText("We do not make decisions by automated means.")
	}
	if got := ruleIDs(t, p); len(got) > 0 {
		t.Errorf("denied in every description: findings %v, want none", got)
	}
	p.Sections[0].Body = NeutralText("We use profiling to personalise offers.")
	if got := ruleIDs(t, p); !slices.Equal(got, []string{"gdpr-13-2-f-automated"}) {
		t.Errorf("described in a section: findings %v, want gdpr-13-2-f-automated", got)
	}
}

// TestCCPAFreshnessNeedsAnAsOfDate checks the 12-month rule only runs with
// a reference date, and fires only past it.
func TestCCPAFreshnessNeedsAnAsOfDate(t *testing.T) {
	p := completed(t, "website", "us-ccpa") // updated 2026-04-23
	for _, tt := range []struct {
		asOf string
		want bool
	}{{"", false}, {"2027-04-23", false}, {"2027-04-24", true}} {
		var o LintOptions
		if tt.asOf != "" {
			o.AsOf, _ = ParseDate(tt.asOf)
		}
		fs, err := LintWith(p, o)
		if err != nil {
			t.Fatal(err)
		}
		got := len(fs) == 1 && fs[0].Rule.ID == "ccpa-updated-recently" && fs[0].Pos == p.FieldPos("updated")
		if got != tt.want || !tt.want && len(fs) > 0 {
			t.Errorf("as of %q: findings %v", tt.asOf, fs)
		}
	}
}

// Regions are read as territories by their names; "us" in a sentence is
// not the United States.
func TestRegionsAreReadByTheirNames(t *testing.T) {
	for region, want := range map[string]string{
		"mainland China": territoryCN, "中国大陆": territoryCN, "outside mainland China": territoryAbroad,
		"Hong Kong": territoryOther, "Ireland": territoryEU, "the EEA": territoryEU, "United Kingdom": territoryUK,
		"US": territoryUS, "the United States": territoryUS, "servers run by us": "", "Hangzhou": "",
	} {
		if got := classifyRegion(region); got != want {
			t.Errorf("%q read as %q, want %q", region, got, want)
		}
	}
}

// An acknowledgement names a rule that exists: a mistyped id would accept
// nothing, silently.
func TestAcknowledgingAnUnknownRuleIsInvalid(t *testing.T) {
	p := example(t, "website")
	p.Lint = &LintSettings{Acknowledge: []Acknowledgement{{Rule: "gdpr-13-1-c-legal-bases", Reason: NeutralText("Reviewed.")}}}
	err := p.Validate().Err()
	if err == nil || !strings.Contains(err.Error(), `unknown lint rule "gdpr-13-1-c-legal-bases"; did you mean "gdpr-13-1-c-legal-basis"?`) {
		t.Errorf("validation: %v", err)
	}
	p.Lint.Acknowledge[0].Rule = "gdpr-13-1-c-legal-basis"
	if err := p.Validate().Err(); err != nil {
		t.Errorf("a known rule: %v", err)
	}
}

// A text that is given but says nothing — whitespace only, or empty in
// one of the policy's locales — leaves the element out of that document:
// lint reports it as missing. So does a list of statements each blank.
func TestBlankTextIsAMissingElement(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  func(p *Policy)
	}{
		{"whitespace only", func(p *Policy) { p.Controller.LegalName = NeutralText("  \t") }},
		{"empty in zh-CN", func(p *Policy) {
			p.Controller.LegalName = LocalizedText(map[string]string{"en": "Example Co., Ltd.", "zh-CN": ""})
		}},
	} {
		p := completed(t, "sdk-provider", "eu-gdpr")
		tc.set(p)
		if got := ruleIDs(t, p); !slices.Equal(got, []string{"gdpr-13-1-a-identity"}) {
			t.Errorf("legal name %s: findings %v, want gdpr-13-1-a-identity", tc.name, got)
		}
	}
	p := completed(t, "sdk-provider", "cn-pipl")
	p.Changes.Significant = []Text{NeutralText(" "), LocalizedText(map[string]string{"en": "", "zh-CN": " "})}
	if got := ruleIDs(t, p); !slices.Equal(got, []string{"gbt-5-5-significant-changes"}) {
		t.Errorf("every significant change blank: findings %v, want gbt-5-5-significant-changes", got)
	}
	p.Changes.Significant = append(p.Changes.Significant, NeutralText("A change of the controller."))
	if got := ruleIDs(t, p); len(got) > 0 {
		t.Errorf("one significant change stated among blank ones: findings %v, want none", got)
	}
}

// A contact channel reaches the controller only with its address or
// number; in-app and online service need none (the product is the way in).
func TestContactNeedsAChannelThatReaches(t *testing.T) {
	for _, profile := range []Jurisdiction{"cn-pipl", "us-ccpa"} {
		p := completed(t, "website", profile)
		p.Contacts.Channels = []Channel{{ID: "mail", Kind: "email"}, {ID: "tel", Kind: "phone", Value: " "}}
		want := map[Jurisdiction]string{"cn-pipl": "pipl-17-1-1-contact", "us-ccpa": "ccpa-contact"}[profile]
		if got := ruleIDs(t, p); !slices.Contains(got, want) {
			t.Errorf("%s: channels without a value: findings %v, want %s", profile, got, want)
		}
		p.Contacts.Channels = append(p.Contacts.Channels, Channel{ID: "service", Kind: "in-app"})
		if got := ruleIDs(t, p); slices.Contains(got, want) {
			t.Errorf("%s: an in-app service channel: findings %v, want no %s", profile, got, want)
		}
	}
	p := completed(t, "website", "eu-gdpr")
	p.Contacts.Channels = []Channel{{ID: "mail", Kind: "email"}}
	if got := ruleIDs(t, p); len(got) > 0 {
		t.Errorf("GDPR: a channel without a value but the registered address: findings %v, want none", got)
	}
	p.Controller.RegisteredAddress = Text{}
	if got := ruleIDs(t, p); !slices.Equal(got, []string{"gdpr-13-1-a-contact"}) {
		t.Errorf("GDPR: neither a reachable channel nor the address: findings %v, want gdpr-13-1-a-contact", got)
	}
}

// The sections are the document: an element the model holds that no
// section prints, or that one locale's version does not print, is not
// published, and its rule reports it. The dates are printed by every
// document's header, so no section need call {{ updated }}.
func TestAnElementNoSectionPrintsIsMissing(t *testing.T) {
	p := completed(t, "sdk-provider", "eu-gdpr")
	for i := range p.Sections {
		if p.Sections[i].ID == "rights" {
			p.Sections[i].Body = LocalizedText(map[string]string{"en": p.Sections[i].Body.Get("en"), "zh-CN": "请联系我们。"})
		}
	}
	fs, _ := Lint(p, nil)
	var got []string
	for _, f := range fs {
		if !strings.Contains(f.Message, "no section of the zh-CN version prints it") || f.Path != "sections" {
			t.Errorf("%s: %s at %s, want the zh-CN version named as not printing it", f.Rule.ID, f.Message, f.Path)
		}
		if f.Rule.Hint != "call {{ rights }} in the section where the element belongs" {
			t.Errorf("%s: fix %q, want the call that prints it", f.Rule.ID, f.Rule.Hint)
		}
		got = append(got, f.Rule.ID)
	}
	for _, want := range []string{"gdpr-13-2-b-access", "gdpr-13-2-b-portability", "gdpr-13-2-c-withdrawal"} {
		if !slices.Contains(got, want) {
			t.Errorf("rights printed in English only: findings %v, want %s", got, want)
		}
	}
	p = completed(t, "website", "us-ccpa")
	if got := ruleIDs(t, p); len(got) > 0 || sectionCalls(p).find([]string{"updated"}) != nil {
		t.Errorf("no section calls {{ updated }}: findings %v, want none (the header prints the date)", got)
	}
}

// The right to non-discrimination (§1798.125) is not exercised by a
// request, nor is a complaint to an authority: neither needs a request
// method (§1798.130(a)(1)), while a right people ask for still does.
func TestRequestMethodsAreDemandedOnlyForRightsExercisedByRequest(t *testing.T) {
	p := completed(t, "website", "us-ccpa")
	p.Rights = append(p.Rights,
		Right{ID: "equal", Kind: "non-discrimination", Name: NeutralText("Not be discriminated against for exercising your rights")},
		Right{ID: "regulator", Kind: "complaint", Name: NeutralText("Complain to the California Privacy Protection Agency")})
	if got := ruleIDs(t, p); len(got) > 0 {
		t.Errorf("non-discrimination and complaint rights without channels: findings %v, want none", got)
	}
	p.Rights = append(p.Rights, Right{ID: "know", Kind: "access", Name: NeutralText("Know what we collect")})
	fs, _ := Lint(p, nil)
	if len(fs) != 1 || fs[0].Rule.ID != "ccpa-request-methods" || !strings.HasPrefix(fs[0].Path, "rights[know]") {
		t.Errorf("an access right without channels: findings %v, want ccpa-request-methods at rights[know]", fs)
	}
}
