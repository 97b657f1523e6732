package policy

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// checkFinding is what a check reports: where, the model position, and what.
type checkFinding struct {
	pos  Pos
	path string
	msg  string
}

// checks are the elements whose test needs more than the rule files'
// vocabulary: conditions the law states in terms of several facts.
var checks = map[string]func(c *lintContext) []checkFinding{
	"category-purpose":            checkCategoryPurpose(false),
	"child-category-purpose":      checkCategoryPurpose(true),
	"legal-basis":                 checkLegalBasis,
	"contact-channels":            checkContact(false),
	"contact-channels-or-address": checkContact(true),
	"legitimate-interests":        checkLegitimateInterests,
	"representative":              checkRepresentative,
	"complaint-authority":         checkComplaintAuthority,
	"transfer-routes":             checkTransferRoutes,
	"route-mechanism": checkRoutes(func(c *lintContext, rt *TransferRoute) (string, string) {
		return "mechanism", missingIf(len(rt.Mechanism) == 0)
	}),
	"route-safeguards":        checkRoutes(routeSafeguards),
	"route-recipient-contact": checkRoutes(routeRecipientContact),
	"route-how-to-exercise": checkRoutes(func(c *lintContext, rt *TransferRoute) (string, string) {
		return "how_to_exercise", missingIf(blankText(rt.HowToExercise))
	}),
	"recipient-contact":          checkRecipientContact,
	"recipient-refs":             checkRecipientRefs,
	"provision-requirement":      checkProvision("statutory"),
	"provision-consequences":     checkProvision("if_refused"),
	"sensitive-separate-consent": checkSeparateConsent,
	"children-rules":             checkChildrenRules,
	"children-age":               checkChildrenAge,
	"operator-contact":           checkOperatorContact,
	"ccpa-sale":                  checkCCPASale,
	"ccpa-sensitive-category":    checkCCPASensitive,
	"sdk-undeclared-category":    checkSDKUndeclared,
	"channel-response-time":      checkChannelResponseTime,
	"updated-within-12-months":   checkUpdatedRecently,
}

func missingIf(b bool) string {
	if b {
		return "is missing"
	}
	return ""
}

// practices are what the model shows the controller does, judged from
// every fact that shows it, so that removing one flag does not hide it.
var practices = map[string]func(c *lintContext) bool{
	"officer":         func(c *lintContext) bool { return c.p.Contacts.Officer != nil },
	"sells-or-shares": func(c *lintContext) bool { return len(sellers(c.p)) > 0 },
	"sensitive": func(c *lintContext) bool {
		return slices.ContainsFunc(c.p.DataCategories, func(d DataCategory) bool { return d.Sensitive })
	},
	"consent":             func(c *lintContext) bool { return basesInUse(c.p)["consent"] },
	"children":            func(c *lintContext) bool { return c.p.Children != nil || len(childrenShown(c.p)) > 0 },
	"children-section":    func(c *lintContext) bool { return c.p.Children != nil },
	"transfers":           func(c *lintContext) bool { return transfersShown(c) },
	"automated-decisions": func(c *lintContext) bool { return len(automatedActivities(c.p)) > 0 },
	"personalised-marketing": func(c *lintContext) bool {
		for _, a := range automatedActivities(c.p) {
			for _, r := range a.Purposes {
				if pu := purposeByID(c.p, r.ID); pu != nil && pu.Marketing {
					return true
				}
			}
		}
		return false
	},
}

// automatedKeywords are words that describe decisions made solely by
// automated means, in the locales policies are written in; a sentence
// that also holds a negation ("we do not…") does not count.
var (
	automatedKeywords = regexp.MustCompile(`(?i)automated decision|automated means|automated processing|profiling|自动化决策|自动化方式|用户画像`)
	negation          = regexp.MustCompile(`(?i)\b(not|never|no)\b|n't|不|没有|未|无`)
	sentenceEnd       = regexp.MustCompile(`[.!?。！？\n]+`)
)

// automatedActivities are the activities that make automated decisions:
// flagged, or described so. When none is, the sections' prose may still
// describe the practice: then every activity serving a marketing purpose
// (personalisation) or, failing that, the first activity stands for it.
func automatedActivities(p *Policy) []*Activity {
	var out []*Activity
	for i := range p.Activities {
		a := &p.Activities[i]
		if a.AutomatedDecisions || textMatches(automatedKeywords, a.Name, a.Description) {
			out = append(out, a)
		}
	}
	if len(out) > 0 || len(p.Activities) == 0 || !sectionsDescribe(p, automatedKeywords) {
		return out
	}
	for i := range p.Activities {
		for _, r := range p.Activities[i].Purposes {
			if pu := purposeByID(p, r.ID); pu != nil && pu.Marketing {
				out = append(out, &p.Activities[i])
				break
			}
		}
	}
	if len(out) == 0 {
		out = append(out, &p.Activities[0])
	}
	return out
}

// sectionsDescribe reports whether a section of the policy or of its
// documents says, in an affirmative sentence, what re matches.
func sectionsDescribe(p *Policy, re *regexp.Regexp) bool {
	var bodies []Text
	for _, s := range p.Sections {
		bodies = append(bodies, s.Body)
	}
	for _, d := range p.Documents {
		for _, s := range d.Sections {
			bodies = append(bodies, s.Body)
		}
	}
	return textMatches(re, bodies...)
}

// textMatches reports whether a sentence of the texts, in any locale,
// matches re without a negation.
func textMatches(re *regexp.Regexp, ts ...Text) bool {
	for _, t := range ts {
		for _, l := range append(t.Locales(), "") {
			for _, sent := range sentenceEnd.Split(t.Get(l), -1) {
				if re.MatchString(sent) && !negation.MatchString(sent) {
					return true
				}
			}
		}
	}
	return false
}

func allText(t Text) string {
	var b strings.Builder
	for _, l := range append(t.Locales(), "") {
		b.WriteString(t.Get(l))
		b.WriteByte('\n')
	}
	return b.String()
}

func purposeByID(p *Policy, id ID) *Purpose {
	for i := range p.Purposes {
		if p.Purposes[i].ID == id {
			return &p.Purposes[i]
		}
	}
	return nil
}

func recipientByID(p *Policy, id ID) *Recipient {
	for i := range p.Recipients {
		if p.Recipients[i].ID == id {
			return &p.Recipients[i]
		}
	}
	return nil
}

// basesInUse are the legal bases the policy relies on, its purposes' and
// activities'.
func basesInUse(p *Policy) map[LegalBasis]bool {
	out := map[LegalBasis]bool{}
	for _, pu := range p.Purposes {
		for _, b := range pu.LegalBasis {
			out[b.Basis] = true
		}
	}
	for _, a := range p.Activities {
		for _, b := range a.LegalBasis {
			out[b.Basis] = true
		}
	}
	return out
}

// childrenShown lists the facts that show children's information is processed.
func childrenShown(p *Policy) []Pos {
	var out []Pos
	for _, d := range p.DataCategories {
		if d.Children || d.SensitiveKind == "minors" {
			out = append(out, d.Pos())
		}
	}
	for _, a := range p.Activities {
		if a.Children {
			out = append(out, a.Pos())
		}
	}
	return out
}

func sellers(p *Policy) []*Recipient {
	var out []*Recipient
	for i := range p.Recipients {
		if p.Recipients[i].Sold || p.Recipients[i].SharedForAds {
			out = append(out, &p.Recipients[i])
		}
	}
	return out
}

// The purpose of each category: a category no activity, SDK or cookie
// uses has no stated purpose.
func checkCategoryPurpose(childrenOnly bool) func(c *lintContext) []checkFinding {
	return func(c *lintContext) []checkFinding {
		used := map[ID]bool{}
		for _, a := range c.p.Activities {
			for _, r := range a.Uses {
				used[r.ID] = true
			}
		}
		for _, s := range c.p.SDKs {
			for _, r := range s.Collects {
				used[r.ID] = true
			}
		}
		if c.p.Cookies != nil {
			for _, k := range c.p.Cookies.Kinds {
				for _, r := range k.Collects {
					used[r.ID] = true
				}
			}
		}
		var out []checkFinding
		for _, d := range c.p.DataCategories {
			if childrenOnly && !d.Children && d.SensitiveKind != "minors" {
				continue
			}
			if !used[d.ID] {
				out = append(out, checkFinding{d.Pos(), fmt.Sprintf("data_categories[%s]", d.ID), fmt.Sprintf("data category %q is used by no activity, SDK or cookie, so nothing says what it is for", d.ID)})
			}
		}
		return out
	}
}

// activitiesFor lists the activities serving a purpose.
func activitiesFor(p *Policy, id ID) []*Activity {
	var out []*Activity
	for i := range p.Activities {
		if p.Activities[i].Purposes.Contains(id) {
			out = append(out, &p.Activities[i])
		}
	}
	return out
}

// GDPR Art. 13(1)(c): the basis of each purpose, its own or that of every
// activity serving it.
func checkLegalBasis(c *lintContext) []checkFinding {
	var out []checkFinding
	for _, pu := range c.p.Purposes {
		if len(pu.LegalBasis) > 0 {
			continue
		}
		as := activitiesFor(c.p, pu.ID)
		covered := len(as) > 0
		for _, a := range as {
			covered = covered && len(a.LegalBasis) > 0
		}
		if !covered {
			out = append(out, checkFinding{pu.FieldPos("legal_basis"), fmt.Sprintf("purposes[%s].legal_basis", pu.ID), fmt.Sprintf("purpose %q has no legal basis (neither its own nor one on every activity serving it)", pu.ID)})
		}
	}
	return out
}

// GDPR Art. 13(1)(d): the interest of each purpose processed on legitimate
// interests, by its own basis or an activity's.
func checkLegitimateInterests(c *lintContext) []checkFinding {
	var out []checkFinding
	for _, pu := range c.p.Purposes {
		li := pu.LegalBasis.Has("legitimate-interests")
		for _, a := range activitiesFor(c.p, pu.ID) {
			li = li || a.LegalBasis.Has("legitimate-interests")
		}
		if li && blankText(pu.LegitimateInterest) {
			out = append(out, checkFinding{pu.FieldPos("legitimate_interest"), fmt.Sprintf("purposes[%s].legitimate_interest", pu.ID), fmt.Sprintf("purpose %q rests on legitimate interests but does not say which", pu.ID)})
		}
	}
	return out
}

// GDPR Art. 27 (and UK GDPR Art. 27): a controller established outside
// the territory names a representative there. Where it is established is
// read from established_in, else from the registered address; when
// neither tells, nothing is reported.
func checkRepresentative(c *lintContext) []checkFinding {
	ctl := &c.p.Controller
	for _, r := range ctl.Representatives {
		if r.Jurisdiction == c.profile {
			return nil
		}
	}
	home := territoryOf(c.profile)
	if len(ctl.EstablishedIn) > 0 {
		if slices.Contains(ctl.EstablishedIn, c.profile) {
			return nil
		}
	} else {
		t := classifyRegion(allText(ctl.RegisteredAddress))
		if t == "" || t == home {
			return nil
		}
	}
	return []checkFinding{{ctl.FieldPos("representatives"), "controller.representatives", fmt.Sprintf("the controller is not established in the %s and names no representative for %s", territoryName[home], c.profile)}}
}

// GDPR Art. 13(2)(d): the right to complain to a supervisory authority. A
// regulator tagged with the profile, or with no tag, is one; under the UK
// GDPR it is the Information Commissioner.
func checkComplaintAuthority(c *lintContext) []checkFinding {
	for _, r := range c.p.Contacts.Regulators {
		switch {
		case r.Jurisdiction == c.profile:
			return nil
		case r.Jurisdiction != "":
		case c.profile == "uk-gdpr":
			if ico.MatchString(allText(r.Name)) || strings.Contains(string(r.URL), "ico.org.uk") {
				return nil
			}
		case c.profile == "eu-gdpr":
			if !ico.MatchString(allText(r.Name)) {
				return nil
			}
		}
	}
	return []checkFinding{{c.p.Contacts.FieldPos("regulators"), "contacts.regulators", fmt.Sprintf("no supervisory authority for %s under contacts.regulators", c.profile)}}
}

var ico = regexp.MustCompile(`(?i)information commissioner|\bICO\b`)

// Territories a region is classified into.
const (
	territoryCN     = "cn"
	territoryEU     = "eu"
	territoryUK     = "uk"
	territoryUS     = "us"
	territoryAbroad = "abroad" // outside the policy's home, wherever that is
	territoryOther  = "other"
)

var territoryName = map[string]string{territoryCN: "People's Republic of China", territoryEU: "EU/EEA", territoryUK: "United Kingdom", territoryUS: "United States"}

func territoryOf(j Jurisdiction) string {
	switch j {
	case "cn-pipl":
		return territoryCN
	case "eu-gdpr":
		return territoryEU
	case "uk-gdpr":
		return territoryUK
	}
	return territoryUS
}

var regionPatterns = []struct {
	territory string
	re        *regexp.Regexp
}{
	{territoryAbroad, regexp.MustCompile(`(?i)\boutside\b|\boverseas\b|\babroad\b|\bworldwide\b|\bglobal(ly)?\b|境外|海外|全球`)},
	{territoryOther, regexp.MustCompile(`(?i)hong kong|maca[ou]|taiwan|香港|澳门|台湾`)},
	{territoryCN, regexp.MustCompile(`(?i:\bchina\b|people's republic)|\bPRC\b|中国|中华人民共和国|境内|大陆`)},
	{territoryUK, regexp.MustCompile(`\bUK\b|(?i:united kingdom|great britain|england|scotland|wales|northern ireland)|英国`)},
	{territoryEU, regexp.MustCompile(`\bEU\b|\bEEA\b|(?i:european union|european economic area|austria|belgium|bulgaria|croatia|cyprus|czech|denmark|estonia|finland|france|germany|greece|hungary|ireland|italy|latvia|lithuania|luxembourg|malta|netherlands|poland|portugal|romania|slovakia|slovenia|spain|sweden|iceland|liechtenstein|norway)|欧盟|欧洲经济区|德国|法国|爱尔兰|荷兰`)},
	{territoryUS, regexp.MustCompile(`\bUS\b|\bUSA\b|\bU\.S\.|(?i:united states)|美国`)},
	{territoryOther, regexp.MustCompile(`(?i)singapore|japan|korea|india|australia|canada|brazil|russia|switzerland|新加坡|日本|韩国|印度|澳大利亚|加拿大`)},
}

// classifyRegion reads a region as written ("mainland China", "outside the
// EEA") into a territory, or "" when it names none lint knows.
func classifyRegion(s string) string {
	for _, p := range regionPatterns {
		if p.re.MatchString(s) {
			return p.territory
		}
	}
	return ""
}

// abroad reports whether a region is outside the profile's territory and
// outside every place the policy stores information.
func abroad(c *lintContext, region Text) bool {
	t := classifyRegion(allText(region))
	if t == "" || t == territoryOf(c.profile) {
		return false
	}
	if t == territoryAbroad {
		return true
	}
	for _, l := range c.p.Storage.Locations {
		if classifyRegion(allText(l.Region)) == t {
			return false
		}
	}
	return true
}

// routesFor are the routes a profile's transfer rules concern: under PIPL
// every route; under the GDPR and the UK GDPR those on a mechanism of
// theirs (a PIPL security assessment or standard contract is a transfer
// out of China).
func routesFor(c *lintContext) []*TransferRoute {
	var out []*TransferRoute
	for i := range c.p.Storage.CrossBorder.Routes {
		rt := &c.p.Storage.CrossBorder.Routes[i]
		if len(rt.Mechanism) > 0 && !slices.ContainsFunc(rt.Mechanism, func(m Mechanism) bool { return mechanismServes(m, c.profile) }) {
			continue
		}
		out = append(out, rt)
	}
	return out
}

// mechanismServes reports whether a transfer mechanism is one of the
// profile's: a PIPL security assessment or standard contract is a transfer
// out of China, the IDTA and the UK Addendum are the UK GDPR's.
func mechanismServes(m Mechanism, profile Jurisdiction) bool {
	switch m {
	case "security-assessment", "standard-contract":
		return profile == "cn-pipl"
	case "idta", "uk-addendum":
		return profile != "eu-gdpr"
	}
	return true
}

// transfersShown: a route, the transfers flag, or a recipient whose region
// is abroad.
func transfersShown(c *lintContext) bool {
	if len(routesFor(c)) > 0 || c.p.Storage.CrossBorder.Transfers {
		return true
	}
	for _, r := range c.p.Recipients {
		if abroad(c, r.Region) {
			return true
		}
	}
	return false
}

// Each transfer abroad is described as a route: the flag with no route,
// or a recipient abroad that no route names.
func checkTransferRoutes(c *lintContext) []checkFinding {
	routes := routesFor(c)
	var out []checkFinding
	if c.p.Storage.CrossBorder.Transfers && len(routes) == 0 {
		out = append(out, checkFinding{c.p.Storage.CrossBorder.FieldPos("routes"), "storage.cross_border.routes", "transfers abroad are declared but no route describes them"})
	}
	for _, r := range c.p.Recipients {
		if !abroad(c, r.Region) {
			continue
		}
		if !slices.ContainsFunc(routes, func(rt *TransferRoute) bool { return rt.Recipient.ID == r.ID }) {
			out = append(out, checkFinding{r.FieldPos("region"), fmt.Sprintf("recipients[%s].region", r.ID), fmt.Sprintf("recipient %q is abroad (%s) but no transfer route names it", r.ID, textString(r.Region))})
		}
	}
	return out
}

// checkRoutes runs a test on each route the profile concerns; the test
// returns the field at fault and what is wrong, or "" when the route is
// fine.
func checkRoutes(test func(c *lintContext, rt *TransferRoute) (string, string)) func(c *lintContext) []checkFinding {
	return func(c *lintContext) []checkFinding {
		var out []checkFinding
		for _, rt := range routesFor(c) {
			if field, msg := test(c, rt); msg != "" {
				out = append(out, checkFinding{rt.FieldPos(field), fmt.Sprintf("storage.cross_border.routes[%s].%s", rt.ID, field), fmt.Sprintf("route %q: %s %s", rt.ID, field, msg)})
			}
		}
		return out
	}
}

// GDPR Art. 13(1)(f): safeguards are referred to for transfers under
// Arts. 46, 47 and 49(1) second subparagraph. An adequacy decision
// (Art. 45) needs none; consent (Art. 49(1)(a)) is no safeguard; SCCs,
// the IDTA and the UK Addendum are named by the mechanism itself, which
// the template prints. Under the UK GDPR, EU SCCs alone need the UK
// Addendum.
func routeSafeguards(c *lintContext, rt *TransferRoute) (string, string) {
	if !blankText(rt.Safeguards) {
		return "", ""
	}
	if rt.Mechanism.Has("bcr") || rt.Mechanism.Has("certification") || rt.Mechanism.Has("other") {
		return "safeguards", "is missing: say which safeguards apply and how to obtain a copy"
	}
	if rt.Mechanism.Has("scc") && c.profile == "uk-gdpr" && !rt.Mechanism.Has("uk-addendum") && !rt.Mechanism.Has("idta") {
		return "mechanism", "is EU standard contractual clauses, which need the UK Addendum: use uk-addendum or describe the safeguards"
	}
	return "", ""
}

// PIPL Art. 39: the foreign recipient's name and contact details.
func routeRecipientContact(c *lintContext, rt *TransferRoute) (string, string) {
	r := recipientByID(c.p, rt.Recipient.ID)
	if r == nil || blankText(r.Contact) && strings.TrimSpace(string(r.PolicyURL)) == "" {
		return "recipient", fmt.Sprintf("%q has no contact details (contact or policy_url)", rt.Recipient.ID)
	}
	return "", ""
}

// PIPL Art. 23: providing information to another processor (not an
// entrusted processor, Art. 21; not an authority, an acquirer, Art. 22,
// or the public, Art. 25): its name, contact, purposes, method and the
// kinds of information. Aggregated or anonymised data is not personal
// information (Art. 4).
func art23Recipients(p *Policy) []*Recipient {
	var out []*Recipient
	for i := range p.Recipients {
		r := &p.Recipients[i]
		switch r.Kind {
		case "processor", "authority", "acquirer", "public":
			continue
		}
		if r.Form == "aggregated" || r.Form == "anonymised" {
			continue
		}
		out = append(out, r)
	}
	return out
}

func checkRecipientContact(c *lintContext) []checkFinding {
	var out []checkFinding
	for _, r := range art23Recipients(c.p) {
		if blankText(r.Contact) && strings.TrimSpace(string(r.PolicyURL)) == "" {
			out = append(out, checkFinding{r.FieldPos("contact"), fmt.Sprintf("recipients[%s].contact", r.ID), fmt.Sprintf("recipient %q has no contact details (contact or policy_url)", r.ID)})
		}
	}
	return out
}

// GDPR Art. 13(1)(e): every recipient the model names as receiving data
// is described (a category of recipients is enough).
func checkRecipientRefs(c *lintContext) []checkFinding {
	var out []checkFinding
	ref := func(r Ref, owner string) {
		if recipientByID(c.p, r.ID) == nil {
			out = append(out, checkFinding{r.Pos(), owner, fmt.Sprintf("%s names recipient %q, which the policy does not describe", owner, r.ID)})
		}
	}
	for _, a := range c.p.Activities {
		for _, r := range a.Recipients {
			ref(r, fmt.Sprintf("activities[%s].recipients", a.ID))
		}
	}
	for name, d := range map[string]*Disclosure{"sharing": &c.p.Sharing, "transfer": &c.p.Transfer, "public_disclosure": &c.p.Disclosure} {
		for _, cs := range d.Cases {
			for _, r := range cs.Recipients {
				ref(r, fmt.Sprintf("%s.cases[%s].recipients", name, cs.ID))
			}
		}
	}
	for _, rt := range c.p.Storage.CrossBorder.Routes {
		ref(rt.Recipient, fmt.Sprintf("storage.cross_border.routes[%s].recipient", rt.ID))
	}
	return out
}

// GDPR Art. 13(2)(e): whether providing the data is a statutory or
// contractual requirement and what follows from not providing it — where
// provision is required: the activity is required, or rests on a
// contract or a legal obligation itself.
func checkProvision(field string) func(c *lintContext) []checkFinding {
	return func(c *lintContext) []checkFinding {
		var out []checkFinding
		for _, a := range c.p.Activities {
			if !a.Required.IsRequired() && !a.LegalBasis.Has("contract") && !a.LegalBasis.Has("legal-obligation") {
				continue
			}
			v := a.Statutory
			if field == "if_refused" {
				v = a.IfRefused
			}
			if blankText(v) {
				out = append(out, checkFinding{a.FieldPos(field), fmt.Sprintf("activities[%s].%s", a.ID, field), fmt.Sprintf("activity %q requires the data but %s is missing", a.ID, field)})
			}
		}
		return out
	}
}

// PIPL Art. 29: sensitive information is processed with separate consent.
func checkSeparateConsent(c *lintContext) []checkFinding {
	sensitive := map[ID]bool{}
	for _, d := range c.p.DataCategories {
		sensitive[d.ID] = d.Sensitive
	}
	var out []checkFinding
	for _, a := range c.p.Activities {
		if a.SeparateConsent || len(a.LegalBasis) > 0 && !a.LegalBasis.Has("consent") {
			continue
		}
		for _, r := range a.Uses {
			if sensitive[r.ID] {
				out = append(out, checkFinding{a.FieldPos("separate_consent"), fmt.Sprintf("activities[%s].separate_consent", a.ID), fmt.Sprintf("activity %q uses sensitive category %q without separate consent", a.ID, r.ID)})
				break
			}
		}
	}
	return out
}

// PIPL Art. 31, COPPA: children's information is processed, so there are
// rules for it.
func checkChildrenRules(c *lintContext) []checkFinding {
	if c.p.Children != nil {
		return nil
	}
	var out []checkFinding
	for _, at := range childrenShown(c.p) {
		out = append(out, checkFinding{at, "children", "children's information is processed but there is no children section"})
	}
	if len(out) == 0 {
		out = append(out, checkFinding{c.p.FieldPos("children"), "children", "there is no children section"})
	}
	return out
}

// PIPL Art. 28 and 31: a child is a person under 14.
func checkChildrenAge(c *lintContext) []checkFinding {
	ch := c.p.Children
	if ch == nil {
		return nil
	}
	age, at := ch.AgeThreshold, ch.FieldPos("age")
	for _, t := range ch.Thresholds {
		if t.Jurisdiction == "cn-pipl" {
			age, at = t.Age, t.FieldPos("age")
		}
	}
	if at.IsZero() {
		at = ch.FieldPos("thresholds")
	}
	if age < 14 {
		return []checkFinding{{at, "children.age", fmt.Sprintf("children are those under %d, but PIPL protects those under 14", age)}}
	}
	return nil
}

// COPPA §312.4(d)(1): the operator's name, address, telephone number and
// e-mail address, by any channel.
func checkOperatorContact(c *lintContext) []checkFinding {
	p := c.p
	has := map[string]bool{"name": !blankText(p.Controller.LegalName), "address": !blankText(p.Controller.RegisteredAddress)}
	for _, ch := range p.Contacts.Channels {
		switch ch.Kind {
		case "email":
			has["e-mail address"] = true
		case "phone":
			has["telephone number"] = true
		case "postal":
			has["address"] = true
		}
	}
	if o := p.Contacts.Officer; o != nil {
		has["e-mail address"] = has["e-mail address"] || strings.TrimSpace(string(o.Email)) != ""
		has["telephone number"] = has["telephone number"] || strings.TrimSpace(string(o.Phone)) != ""
		has["address"] = has["address"] || !blankText(o.Address)
	}
	var out []checkFinding
	for _, k := range []string{"name", "address", "telephone number", "e-mail address"} {
		if !has[k] {
			out = append(out, checkFinding{p.Contacts.FieldPos("channels"), "contacts.channels", fmt.Sprintf("no %s of the operator", k)})
		}
	}
	return out
}

// CCPA §1798.130(a)(5)(C), 11 CCR §7011(e)(1): whether information is sold
// or shared; if so, which categories (the recipients' data), else a
// statement that it is not.
func checkCCPASale(c *lintContext) []checkFinding {
	ss := sellers(c.p)
	if len(ss) == 0 {
		if !c.p.Sharing.NoSale {
			return []checkFinding{{c.p.Sharing.FieldPos("no_sale_or_sharing"), "sharing.no_sale_or_sharing", "no recipient is marked sold or shared_for_ads and sharing.no_sale_or_sharing does not state that none is"}}
		}
		return nil
	}
	var out []checkFinding
	if c.p.Sharing.NoSale {
		out = append(out, checkFinding{c.p.Sharing.FieldPos("no_sale_or_sharing"), "sharing.no_sale_or_sharing", fmt.Sprintf("states no sale or sharing, but recipient %q is marked sold or shared_for_ads", ss[0].ID)})
	}
	for _, r := range ss {
		if len(r.Data) == 0 {
			out = append(out, checkFinding{r.FieldPos("data"), fmt.Sprintf("recipients[%s].data", r.ID), fmt.Sprintf("recipient %q buys or receives shared information but its categories are not listed", r.ID)})
		}
	}
	return out
}

// CCPA §1798.140(ae): a category filed as sensitive personal information
// is marked sensitive, with its kind.
func checkCCPASensitive(c *lintContext) []checkFinding {
	var out []checkFinding
	for _, d := range c.p.DataCategories {
		if d.CCPACategory == "sensitive" && !d.Sensitive {
			out = append(out, checkFinding{d.FieldPos("sensitive"), fmt.Sprintf("data_categories[%s].sensitive", d.ID), fmt.Sprintf("data category %q is filed as CCPA sensitive but not marked sensitive", d.ID)})
		}
		if d.Sensitive && d.SensitiveKind == "" {
			out = append(out, checkFinding{d.FieldPos("sensitive_kind"), fmt.Sprintf("data_categories[%s].sensitive_kind", d.ID), fmt.Sprintf("sensitive data category %q does not say which kind of sensitive information it is", d.ID)})
		}
	}
	return out
}

// GB/T 35273-2020 §9.7: what an SDK collects is declared by the activity
// it serves.
func checkSDKUndeclared(c *lintContext) []checkFinding {
	used := map[ID]bool{}
	for _, a := range c.p.Activities {
		for _, r := range a.Uses {
			used[r.ID] = true
		}
	}
	var out []checkFinding
	for _, s := range c.p.SDKs {
		for _, r := range s.Collects {
			if !used[r.ID] {
				out = append(out, checkFinding{r.pos, fmt.Sprintf("sdks[%s].collects", s.ID), fmt.Sprintf("SDK %q collects %q, which no activity declares using", s.ID, r.ID)})
			}
		}
	}
	return out
}

// GB/T 35273-2020 §8.7: requests are answered within a stated time.
func checkChannelResponseTime(c *lintContext) []checkFinding {
	if !c.p.Contacts.ResponseTime.IsZero() || !c.p.Requests.ResponseTime.IsZero() {
		return nil
	}
	var out []checkFinding
	for _, ch := range c.p.Contacts.Channels {
		if ch.ResponseTime.IsZero() {
			out = append(out, checkFinding{ch.Pos(), fmt.Sprintf("contacts.channels[%s].response_time", ch.ID), fmt.Sprintf("channel %q has no response time", ch.ID)})
		}
	}
	return out
}

// CCPA §1798.130(a)(5): updated at least once every 12 months, measured
// from --as-of (lint does not read the clock).
func checkUpdatedRecently(c *lintContext) []checkFinding {
	p, o := c.p, c.o
	if o.AsOf.IsZero() || p.Updated.IsZero() {
		return nil
	}
	if limit := p.Updated.Time().AddDate(1, 0, 0); o.AsOf.Time().After(limit) {
		return []checkFinding{{p.FieldPos("updated"), "updated", fmt.Sprintf("last updated %s, more than 12 months before %s", p.Updated, o.AsOf)}}
	}
	return nil
}

// reachable reports whether a channel gives a way to reach the controller:
// its address, number or URL, or, for in-app and online service, the
// service itself (named without an address). An e-mail, telephone, postal
// or web channel named without its value gives none.
func reachable(ch Channel) bool {
	return strings.TrimSpace(ch.Value) != "" || ch.Kind == "in-app" || ch.Kind == "online-service"
}

// The controller's contact details: the channels listed (the rule's
// exists or any says there are some) reach it, or, where the law allows,
// the registered address does.
func checkContact(address bool) func(c *lintContext) []checkFinding {
	return func(c *lintContext) []checkFinding {
		chs := c.p.Contacts.Channels
		if len(chs) == 0 || slices.ContainsFunc(chs, reachable) || address && !blankText(c.p.Controller.RegisteredAddress) {
			return nil
		}
		return []checkFinding{{chs[0].FieldPos("value"), fmt.Sprintf("contacts.channels[%s].value", chs[0].ID), fmt.Sprintf("no channel gives an address or number (channel %q has none)", chs[0].ID)}}
	}
}
