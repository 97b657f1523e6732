package policy_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/policyc/policyc/policy"
)

func load(t *testing.T, name string) *policy.Policy {
	t.Helper()
	p, err := policy.Load(filepath.Join("..", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func text(s string) policy.Text {
	return policy.LocalizedText(map[string]string{"en": s, "zh-CN": s + "（中）"})
}
func ref(id string) policy.Ref { return policy.Ref{ID: policy.ID(id)} }

type scenario struct {
	name    string
	example string
	mutate  func(p *policy.Policy)
	level   policy.Level
	rule    string // a rule the strongest change must cite ("" for editorial)
}

func sdk(p *policy.Policy, id string) *policy.SDK {
	for i := range p.SDKs {
		if string(p.SDKs[i].ID) == id {
			return &p.SDKs[i]
		}
	}
	panic(id)
}

func cat(p *policy.Policy, id string) *policy.DataCategory {
	for i := range p.DataCategories {
		if string(p.DataCategories[i].ID) == id {
			return &p.DataCategories[i]
		}
	}
	panic(id)
}

func act(p *policy.Policy, id string) *policy.Activity {
	for i := range p.Activities {
		if string(p.Activities[i].ID) == id {
			return &p.Activities[i]
		}
	}
	panic(id)
}

func rcp(p *policy.Policy, id string) *policy.Recipient {
	for i := range p.Recipients {
		if string(p.Recipients[i].ID) == id {
			return &p.Recipients[i]
		}
	}
	panic(id)
}

func right(p *policy.Policy, id string) *policy.Right {
	for i := range p.Rights {
		if string(p.Rights[i].ID) == id {
			return &p.Rights[i]
		}
	}
	panic(id)
}

func reverse[T any](xs []T) { slices.Reverse(xs) }

func pur(p *policy.Policy, id string) *policy.Purpose {
	for i := range p.Purposes {
		if string(p.Purposes[i].ID) == id {
			return &p.Purposes[i]
		}
	}
	panic(id)
}

var scenarios = []scenario{
	// Editorial: wording, order and layout; none may be flagged.
	{"typo fixed in a section", "website", func(p *policy.Policy) {
		p.Sections[0].Body = policy.NeutralText(strings.Replace(p.Sections[0].Body.Get("en"), "guardian", "guardian's", 1))
	}, policy.Editorial, ""},
	{"activity description reworded", "sdk-provider", func(p *policy.Policy) {
		act(p, "registration").Description = text("You give us a phone number to open an account.")
	}, policy.Editorial, ""},
	{"data categories reordered", "sdk-provider", func(p *policy.Policy) { reverse(p.DataCategories) }, policy.Editorial, ""},
	{"items reordered", "sdk-provider", func(p *policy.Policy) { reverse(cat(p, "device-ids").Items) }, policy.Editorial, ""},
	{"SDK list reordered", "sdk-provider", func(p *policy.Policy) { reverse(p.SDKs) }, policy.Editorial, ""},
	{"sections reordered", "website", func(p *policy.Policy) { reverse(p.Sections) }, policy.Editorial, ""},
	{"purposes reordered", "website", func(p *policy.Policy) { reverse(p.Purposes) }, policy.Editorial, ""},
	{"rights reordered", "website", func(p *policy.Policy) { reverse(p.Rights) }, policy.Editorial, ""},
	{"recipients of a case reordered", "website", func(p *policy.Policy) { reverse(p.Sharing.Cases[2].Recipients) }, policy.Editorial, ""},
	{"example sentence in the summary changed", "website", func(p *policy.Policy) {
		p.Summary = policy.NeutralText(p.Summary.Get("en") + "\n\nFor example, we never sell your data.")
	}, policy.Editorial, ""},
	{"prose rewrapped", "website", func(p *policy.Policy) {
		p.Sections[2].Body = policy.NeutralText(strings.ReplaceAll(p.Sections[2].Body.Get("en"), ". ", ".\n"))
	}, policy.Editorial, ""},
	{"complaint phone re-formatted, same digits", "website", func(p *policy.Policy) { p.Contacts.Channels[1].Value = "021 5555 0448" }, policy.Editorial, ""},
	{"officer phone re-formatted, same digits", "website", func(p *policy.Policy) { p.Contacts.Officer.Phone = "021 5555 0448" }, policy.Editorial, ""},
	{"e-mail domain in capitals", "website", func(p *policy.Policy) { p.Contacts.Channels[0].Value = "privacy@Pixelgrove.EXAMPLE" }, policy.Editorial, ""},
	{"officer e-mail domain in capitals", "website", func(p *policy.Policy) { p.Contacts.Officer.Email = "privacy@PIXELGROVE.example" }, policy.Editorial, ""},
	{"short name with trailing spaces", "sdk-provider", func(p *policy.Policy) {
		p.Controller.ShortName = policy.LocalizedText(map[string]string{"en": p.Controller.ShortName.Get("en") + "  ", "zh-CN": p.Controller.ShortName.Get("zh-CN")})
	}, policy.Editorial, ""},
	{"glossary entry added", "website", func(p *policy.Policy) {
		p.Glossary = append(p.Glossary, policy.Term{ID: "sdk", Term: policy.NeutralText("SDK"), Definition: policy.NeutralText("A software development kit.")})
	}, policy.Editorial, ""},
	{"glossary term renamed", "website", func(p *policy.Policy) { p.Glossary[0].Term = policy.NeutralText("Personal data") }, policy.Editorial, ""},
	{"translation-only fix", "sdk-provider", func(p *policy.Policy) {
		p.Controller.Affiliates[0].Note = policy.LocalizedText(map[string]string{"en": p.Controller.Affiliates[0].Note.Get("en"), "zh-CN": "与 BeaconDev 同受一方控制，运营我们的数据中心。"})
	}, policy.Editorial, ""},
	{"glossary definition reworded", "website", func(p *policy.Policy) { p.Glossary[0].Definition = policy.NeutralText("Information about a person.") }, policy.Editorial, ""},
	{"purpose reworded", "website", func(p *policy.Policy) { p.Purposes[0].Name = policy.NeutralText("managing your account") }, policy.Editorial, ""},
	{"recipient description reworded", "website", func(p *policy.Policy) { rcp(p, "suppliers").Description = policy.NeutralText("They deliver.") }, policy.Editorial, ""},
	{"security measure reworded", "website", func(p *policy.Policy) { p.Security.Measures[0].Text = policy.NeutralText("We use TLS.") }, policy.Editorial, ""},
	{"cookie description reworded", "website", func(p *policy.Policy) { p.Cookies.Description = policy.NeutralText("We use cookies.") }, policy.Editorial, ""},
	{"update statement reworded", "website", func(p *policy.Policy) { p.Changes.Statement = policy.NeutralText("We post updates.") }, policy.Editorial, ""},
	{"title reworded", "website", func(p *policy.Policy) { p.Title = policy.NeutralText("Pixelgrove privacy notice") }, policy.Editorial, ""},
	{"right description reworded", "website", func(p *policy.Policy) { right(p, "access").Description = policy.NeutralText("See your data.") }, policy.Editorial, ""},
	{"verification reworded", "website", func(p *policy.Policy) { p.Requests.Verification = policy.NeutralText("We check who you are.") }, policy.Editorial, ""},
	{"after-expiry wording", "website", func(p *policy.Policy) { p.Storage.AfterExpiry = policy.NeutralText("Then we delete it.") }, policy.Editorial, ""},
	{"consent exception reworded", "sdk-provider", func(p *policy.Policy) { p.Exceptions[0].Text = text("national security;") }, policy.Editorial, ""},
	{"children's discovery wording (no COPPA profile)", "website", func(p *policy.Policy) { p.Children.OnDiscovery = policy.NeutralText("We delete it at once.") }, policy.Editorial, ""},
	{"cookie duration wording", "website", func(p *policy.Policy) { p.Cookies.Kinds[0].Duration = policy.NeutralText("at most one year") }, policy.Editorial, ""},

	// Item 1: purposes, types of personal information, how it is used.
	{"purpose added", "website", func(p *policy.Policy) {
		p.Purposes = append(p.Purposes, policy.Purpose{ID: "profiling", Name: policy.NeutralText("profiling")})
	}, policy.Reconsent, "pipl-reconsent"},
	{"purpose removed", "website", func(p *policy.Policy) { p.Purposes = p.Purposes[:len(p.Purposes)-1] }, policy.Significant, "gbt-purposes-data-use"},
	{"data category added", "website", func(p *policy.Policy) {
		p.DataCategories = append(p.DataCategories, policy.DataCategory{ID: "voice", Name: policy.NeutralText("Voice"), Sources: []policy.Source{"provided"}})
	}, policy.Significant, "gbt-purposes-data-use"},
	{"data category removed", "website", func(p *policy.Policy) { p.DataCategories = p.DataCategories[1:] }, policy.Significant, "gbt-purposes-data-use"},
	{"item added to a category", "sdk-provider", func(p *policy.Policy) {
		c := cat(p, "device-ids")
		c.Items = append(c.Items, policy.NeutralText("Android ID"))
	}, policy.Reconsent, "pipl-reconsent"},
	{"item removed from a category", "sdk-provider", func(p *policy.Policy) { c := cat(p, "device-ids"); c.Items = c.Items[1:] }, policy.Significant, "gbt-purposes-data-use"},
	{"activity uses a new category", "website", func(p *policy.Policy) {
		a := act(p, "search")
		a.Uses = append(a.Uses, ref("phone"))
	}, policy.Reconsent, "pipl-reconsent"},
	{"activity gets a new purpose", "website", func(p *policy.Policy) {
		a := act(p, "search")
		a.Purposes = append(a.Purposes, ref("marketing"))
	}, policy.Reconsent, "pipl-reconsent"},
	{"activity becomes required", "website", func(p *policy.Policy) { act(p, "search").Required = "required" }, policy.Significant, "gbt-purposes-data-use"},
	{"activity's legal basis changed", "sdk-provider", func(p *policy.Policy) {
		act(p, "security-monitoring").LegalBasis = policy.LegalBases{{Basis: "legitimate-interests"}}
	}, policy.Significant, "gbt-purposes-data-use"},
	{"legal basis added to an activity", "sdk-provider", func(p *policy.Policy) {
		a := act(p, "security-monitoring")
		a.LegalBasis = append(a.LegalBasis, policy.PurposeBasis{Basis: "legitimate-interests", Regions: policy.NeutralText("the EEA")})
	}, policy.Significant, "gbt-purposes-data-use"},
	{"activity starts automated decisions", "website", func(p *policy.Policy) { act(p, "search").AutomatedDecisions = true }, policy.Significant, "gbt-purposes-data-use"},
	{"SDK collects a new category", "sdk-provider", func(p *policy.Policy) {
		s := sdk(p, "beacon-link")
		s.Collects = append(s.Collects, ref("location"))
	}, policy.Reconsent, "pipl-reconsent"},
	{"SDK needs a new permission", "sdk-provider", func(p *policy.Policy) {
		s := sdk(p, "beacon-link")
		s.Permissions = append(s.Permissions, "android.permission.CAMERA")
	}, policy.Significant, "gbt-purposes-data-use"},
	{"source added", "website", func(p *policy.Policy) { c := cat(p, "phone"); c.Sources = append(c.Sources, "third-party") }, policy.Significant, "gbt-purposes-data-use"},
	{"retention minimum lengthened", "website", func(p *policy.Policy) { p.Storage.Retention[1].Minimum = policy.Duration{N: 5, Unit: policy.Years} }, policy.Significant, "retention-longer"},
	{"retention minimum lengthened in finer units", "website", func(p *policy.Policy) {
		p.Storage.Retention[1].Minimum = policy.Duration{N: 40, Unit: policy.Months}
	}, policy.Significant, "retention-longer"},
	{"retention minimum dropped (kept while needed)", "website", func(p *policy.Policy) { p.Storage.Retention[1].Minimum = policy.Duration{} }, policy.Significant, "retention-longer"},
	{"retention minimum shortened", "website", func(p *policy.Policy) { p.Storage.Retention[1].Minimum = policy.Duration{N: 2, Unit: policy.Years} }, policy.Notable, "fact-changed"},
	{"retention minimum shortened in finer units", "website", func(p *policy.Policy) {
		p.Storage.Retention[1].Minimum = policy.Duration{N: 18, Unit: policy.Months}
	}, policy.Notable, "fact-changed"},

	// Storage locations: a new country is significant; under PIPL, storing
	// abroad what is collected in China needs separate consent.
	{"storage country added", "website", func(p *policy.Policy) {
		p.Storage.Locations = append(p.Storage.Locations, policy.Location{Region: policy.NeutralText("Germany"), Collected: policy.NeutralText("the European Union")})
	}, policy.Significant, "storage-country"},
	{"storage region renamed to another country", "sdk-provider", func(p *policy.Policy) {
		p.Storage.Locations[0].Region = text("Japan")
		p.Storage.Locations[0].Collected = text("Japan")
	}, policy.Significant, "storage-country"},
	{"PIPL: data collected in China now stored in Singapore", "website", func(p *policy.Policy) {
		p.Storage.Locations = append(p.Storage.Locations, policy.Location{ID: "sg", Region: policy.NeutralText("Singapore"), Collected: policy.NeutralText("the People's Republic of China")})
	}, policy.Reconsent, "pipl-storage-abroad"},
	{"PIPL: the location holding data collected in China moves to Hong Kong", "sdk-provider", func(p *policy.Policy) {
		p.Storage.Locations[0].Region = policy.LocalizedText(map[string]string{"en": "Hong Kong", "zh-CN": "香港"})
	}, policy.Reconsent, "pipl-storage-abroad"},

	// PIPL Art. 31: children.
	{"PIPL: children's age threshold lowered", "sdk-provider", func(p *policy.Policy) { p.Children.AgeThreshold = 12 }, policy.Significant, "pipl-children"},
	{"PIPL: guardian consent dropped", "sdk-provider", func(p *policy.Policy) { p.Children.GuardianConsent = policy.Text{} }, policy.Significant, "pipl-children"},
	{"PIPL: more children's data collected", "website", func(p *policy.Policy) { p.Children.Collects = append(p.Children.Collects, ref("phone")) }, policy.Significant, "pipl-children"},
	{"PIPL: children's age threshold raised", "sdk-provider", func(p *policy.Policy) { p.Children.AgeThreshold = 16 }, policy.Notable, "fact-changed"},

	// GB/T 35273 item 3: a recipient or affiliate starts receiving data.
	{"affiliate stops receiving data", "sdk-provider", func(p *policy.Policy) {
		p.Controller.Affiliates[0].SharesData = false
	}, policy.Notable, "fact-changed"},
	{"affiliate added that receives data (website)", "website", func(p *policy.Policy) {
		p.Controller.Affiliates = append(p.Controller.Affiliates, policy.Affiliate{ID: "pixelgrove-pay", Name: policy.NeutralText("Pixelgrove Pay Ltd."), Relation: "subsidiary", SharesData: true})
	}, policy.Significant, "gbt-recipients-start"},
	{"affiliate added that receives data", "sdk-provider", func(p *policy.Policy) {
		p.Controller.Affiliates = append(p.Controller.Affiliates, policy.Affiliate{ID: "beacon-cloud", Name: text("Beacon Cloud Ltd."), Relation: "subsidiary", SharesData: true})
	}, policy.Significant, "gbt-recipients-start"},

	// Item 2: ownership and organisation.
	{"ownership fact changed", "sdk-provider", func(p *policy.Policy) {
		p.Controller.Ownership[0].Text = text("BeaconDev is now owned by Example Capital Ltd.")
	}, policy.Significant, "gbt-ownership"},
	{"controller renamed", "website", func(p *policy.Policy) { p.Controller.LegalName = policy.NeutralText("Pixelgrove Holdings Ltd.") }, policy.Significant, "gbt-ownership"},
	{"affiliate added", "website", func(p *policy.Policy) {
		p.Controller.Affiliates = append(p.Controller.Affiliates, policy.Affiliate{ID: "px-hk", Name: policy.NeutralText("Pixelgrove HK"), Relation: "subsidiary"})
	}, policy.Significant, "gbt-ownership"},
	{"affiliate relation changed", "website", func(p *policy.Policy) { p.Controller.Affiliates[0].Relation = "parent" }, policy.Significant, "gbt-ownership"},

	// Item 3: main recipients.
	{"recipient added", "sdk-provider", func(p *policy.Policy) {
		p.Recipients = append(p.Recipients, policy.Recipient{ID: "broker", Name: text("Data brokers"), Kind: "partner"})
	}, policy.Significant, "gbt-recipients"},
	{"recipient removed", "sdk-provider", func(p *policy.Policy) { p.Recipients = p.Recipients[1:] }, policy.Significant, "gbt-recipients"},
	{"recipient receives more data", "sdk-provider", func(p *policy.Policy) { r := rcp(p, "ad-partners"); r.Data = append(r.Data, ref("device-ids")) }, policy.Significant, "gbt-recipients"},
	{"data now given in identifiable form", "sdk-provider", func(p *policy.Policy) { rcp(p, "ad-partners").Form = "identifiable" }, policy.Significant, "gbt-recipients"},
	{"sharing case names a new recipient", "website", func(p *policy.Policy) {
		c := &p.Sharing.Cases[0]
		c.Recipients = append(c.Recipients, ref("analytics-partners"))
	}, policy.Significant, "gbt-recipients"},
	{"SDK added", "website", func(p *policy.Policy) {
		s := p.SDKs[0]
		s.ID = "new-sdk"
		p.SDKs = append(p.SDKs, s)
	}, policy.Significant, "gbt-recipients"},
	{"SDK provider changed", "website", func(p *policy.Policy) { p.SDKs[0].Provider = policy.NeutralText("Other Co.") }, policy.Significant, "gbt-recipients"},
	{"recipient starts buying data", "website", func(p *policy.Policy) { rcp(p, "suppliers").Sold = true }, policy.Significant, "gbt-recipients"},

	// Item 4: rights and how to exercise them.
	{"right removed", "website", func(p *policy.Policy) { p.Rights = p.Rights[1:] }, policy.Significant, "gbt-rights"},
	{"right's channel changed", "website", func(p *policy.Policy) { right(p, "copy").Channels = policy.Refs{ref("post")} }, policy.Significant, "gbt-rights"},
	{"reply time lengthened", "website", func(p *policy.Policy) { p.Requests.ResponseTime = policy.Duration{N: 30, Unit: policy.Days} }, policy.Significant, "gbt-rights"},
	{"fee introduced", "website", func(p *policy.Policy) { p.Requests.Fee = "may-charge" }, policy.Significant, "gbt-rights"},

	// Item 5: responsible department, contact method, complaint channel.
	{"officer e-mail changed", "sdk-provider", func(p *policy.Policy) { p.Contacts.Officer.Email = "privacy-officer@beacondev.example" }, policy.Significant, "gbt-contacts"},
	{"officer name changed", "sdk-provider", func(p *policy.Policy) { p.Contacts.Officer.Name = text("Wen Hao") }, policy.Significant, "gbt-contacts"},
	{"complaint phone changed", "website", func(p *policy.Policy) { p.Contacts.Channels[1].Value = "021-5555-0999" }, policy.Significant, "gbt-contacts"},
	{"channel removed", "website", func(p *policy.Policy) { p.Contacts.Channels = p.Contacts.Channels[:3] }, policy.Significant, "gbt-contacts"},
	{"channel no longer takes complaints", "website", func(p *policy.Policy) { p.Contacts.Channels[1].Uses = []policy.ChannelUse{"general"} }, policy.Significant, "gbt-contacts"},

	// Item 6: impact assessment reporting high risk.
	{"impact assessment reports high risk", "sdk-provider", func(p *policy.Policy) { p.Changes.ImpactAssessment.Risk = "high" }, policy.Significant, "gbt-impact-high-risk"},
	{"first impact assessment reports high risk", "website", func(p *policy.Policy) {
		p.Changes.ImpactAssessment = &policy.ImpactAssessment{Date: policy.Date{Year: 2026, Month: 1, Day: 5}, Risk: "high"}
	}, policy.Significant, "gbt-impact-high-risk"},
	{"impact assessment reports medium risk", "sdk-provider", func(p *policy.Policy) { p.Changes.ImpactAssessment.Risk = "medium" }, policy.Notable, "fact-changed"},

	// PIPL triggers.
	{"category becomes sensitive", "website", func(p *policy.Policy) {
		c := cat(p, "search-history")
		c.Sensitive, c.SensitiveKind = true, "other"
		for i := range p.Activities {
			if p.Activities[i].Uses.Contains("search-history") {
				p.Activities[i].SeparateConsent = true
			}
		}
	}, policy.Reconsent, "pipl-sensitive"},
	{"activity now asks separate consent", "sdk-provider", func(p *policy.Policy) {
		for i := range p.Activities {
			if !p.Activities[i].SeparateConsent {
				p.Activities[i].SeparateConsent = true
				return
			}
		}
	}, policy.Reconsent, "pipl-sensitive"},
	{"transfers abroad begin", "website", func(p *policy.Policy) { p.Storage.CrossBorder.Transfers = true }, policy.Reconsent, "pipl-cross-border"},
	{"new cross-border route", "sdk-provider", func(p *policy.Policy) {
		r := p.Storage.CrossBorder.Routes[0]
		r.ID = "eu-route"
		p.Storage.CrossBorder.Routes = append(p.Storage.CrossBorder.Routes, r)
	}, policy.Reconsent, "pipl-cross-border"},

	// GDPR (the website declares eu-gdpr): fundamental changes.
	{"GDPR: new recipient", "website", func(p *policy.Policy) {
		p.Recipients = append(p.Recipients, policy.Recipient{ID: "crm", Name: policy.NeutralText("CRM provider"), Kind: "processor"})
	}, policy.Significant, "gdpr-fundamental"},
	{"GDPR: new purpose", "website", func(p *policy.Policy) {
		p.Purposes = append(p.Purposes, policy.Purpose{ID: "research", Name: policy.NeutralText("research")})
	}, policy.Reconsent, "gdpr-fundamental"},

	// COPPA (added to the profiles for these scenarios).
	{"COPPA: age threshold changed", "website", func(p *policy.Policy) { p.Children.AgeThreshold = 13 }, policy.Significant, "coppa-material"},
	{"COPPA: children's data collected", "website", func(p *policy.Policy) { p.Children.Collects = append(p.Children.Collects, ref("phone")) }, policy.Significant, "coppa-material"},

	// Legal bases, per purpose and per country (GDPR Art. 13(1)(c)–(d)).
	{"GDPR: a purpose gains a legal basis", "website", func(p *policy.Policy) {
		pur(p, "search").LegalBasis = append(pur(p, "search").LegalBasis, policy.PurposeBasis{Basis: "consent"})
	}, policy.Significant, "gdpr-legal-basis"},
	{"GDPR: consent dropped as a purpose's basis", "website", func(p *policy.Policy) {
		pur(p, "analytics").LegalBasis = policy.LegalBases{{Basis: "legitimate-interests"}}
	}, policy.Significant, "gdpr-legal-basis"},
	{"GDPR: a legitimate interest stated where none was", "website", func(p *policy.Policy) {
		pur(p, "support").LegitimateInterest = policy.NeutralText("Improving our answers.")
	}, policy.Significant, "gdpr-legal-basis"},
	{"GDPR: a basis now applies to another region", "website", func(p *policy.Policy) {
		pur(p, "security").LegalBasis[1].Regions = policy.NeutralText("the EEA")
	}, policy.Significant, "gdpr-legal-basis"},
	{"legitimate interest reworded", "website", func(p *policy.Policy) {
		pur(p, "search").LegitimateInterest = policy.NeutralText("Returning relevant results and making search better.")
	}, policy.Editorial, ""},
	{"legal bases reordered", "website", func(p *policy.Policy) { reverse(pur(p, "security").LegalBasis) }, policy.Editorial, ""},

	// Transfer mechanisms per route.
	{"PIPL: a transfer route gains a mechanism", "sdk-provider", func(p *policy.Policy) {
		r := &p.Storage.CrossBorder.Routes[0]
		r.Mechanism = append(r.Mechanism, "certification")
	}, policy.Significant, "pipl-transfer-mechanism"},
	{"PIPL: a route's standard contract replaced by a security assessment", "sdk-provider", func(p *policy.Policy) {
		p.Storage.CrossBorder.Routes[0].Mechanism = policy.Mechanisms{"consent", "security-assessment"}
	}, policy.Significant, "pipl-transfer-mechanism"},
	{"With GDPR: a transfer route now relies on SCCs", "sdk-provider", func(p *policy.Policy) {
		r := &p.Storage.CrossBorder.Routes[0]
		r.Mechanism = append(r.Mechanism, "scc")
	}, policy.Significant, "gdpr-transfer-mechanism"},
	{"With GDPR: a route's consent replaced by an adequacy decision", "sdk-provider", func(p *policy.Policy) {
		p.Storage.CrossBorder.Routes[0].Mechanism = policy.Mechanisms{"adequacy", "standard-contract"}
	}, policy.Significant, "gdpr-transfer-mechanism"},
	{"a route relies on one mechanism fewer", "sdk-provider", func(p *policy.Policy) {
		p.Storage.CrossBorder.Routes[0].Mechanism = policy.Mechanisms{"consent"}
	}, policy.Notable, "fact-changed"},
	{"transfer mechanisms reordered", "sdk-provider", func(p *policy.Policy) { reverse(p.Storage.CrossBorder.Routes[0].Mechanism) }, policy.Editorial, ""},

	// Request limits and extensions (how rights are exercised).
	{"fewer requests allowed", "website", func(p *policy.Policy) { p.Requests.Limit.Times = 1 }, policy.Significant, "rights-restricted"},
	{"request limit over a longer period", "website", func(p *policy.Policy) { p.Requests.Limit.Per = policy.Duration{N: 2, Unit: policy.Years} }, policy.Significant, "rights-restricted"},
	{"a limit on requests introduced", "sdk-provider", func(p *policy.Policy) {
		p.Requests.Limit = &policy.RequestLimit{Times: 2, Per: policy.Duration{N: 12, Unit: policy.Months}}
	}, policy.Significant, "rights-restricted"},
	{"a right's reply may be extended further", "website", func(p *policy.Policy) {
		right(p, "access").Extension.By = policy.Duration{N: 30, Unit: policy.WorkingDays}
	}, policy.Significant, "rights-restricted"},
	{"more requests allowed", "website", func(p *policy.Policy) { p.Requests.Limit.Times = 6 }, policy.Notable, "fact-changed"},
	{"extension shortened", "website", func(p *policy.Policy) { p.Requests.Extension.By = policy.Duration{N: 20, Unit: policy.Days} }, policy.Notable, "fact-changed"},
	{"limit note reworded", "website", func(p *policy.Policy) {
		right(p, "access").Limit.Note = policy.NeutralText("Further copies of the same records may cost a fee.")
	}, policy.Editorial, ""},
	{"extension condition reworded", "website", func(p *policy.Policy) {
		p.Requests.Extension.When = policy.NeutralText("when a request is complex or there are many")
	}, policy.Editorial, ""},

	// Required, optional or not stated, item by item.
	{"an item becomes required", "website", func(p *policy.Policy) { act(p, "phone-login").Items[1].Required = "required" }, policy.Significant, "item-required"},
	{"a new required item", "website", func(p *policy.Policy) {
		a := act(p, "phone-login")
		a.Items = append(a.Items, policy.ActivityItem{Item: policy.NeutralText("e-mail address"), Required: "required"})
	}, policy.Significant, "item-required"},
	{"an item becomes optional", "website", func(p *policy.Policy) { act(p, "phone-login").Items[0].Required = "optional" }, policy.Notable, "fact-changed"},
	{"a required item's note reworded (a list value without ids: notable)", "website", func(p *policy.Policy) {
		act(p, "phone-login").Items[0].Note = policy.NeutralText("Needed to register or to log in this way.")
	}, policy.Notable, "fact-changed"},
	{"activity items reordered", "website", func(p *policy.Policy) { reverse(act(p, "phone-login").Items) }, policy.Editorial, ""},

	// Retention conditions.
	{"a retention condition added", "website", func(p *policy.Policy) {
		r := &p.Storage.Retention[1]
		r.Conditions = append(r.Conditions, policy.NeutralText("Kept while a tax audit is open."))
	}, policy.Notable, "retention-condition"},
	{"a first retention condition", "website", func(p *policy.Policy) {
		p.Storage.Retention[0].Conditions = []policy.Text{policy.NeutralText("Deleted earlier if you ask us to.")}
	}, policy.Notable, "retention-condition"},

	// Consent by age band (PIPL Art. 31, COPPA).
	{"PIPL: teenagers now consent alone", "website", func(p *policy.Policy) { p.Children.AgeBands[1].Consent = "child" }, policy.Significant, "pipl-children"},
	{"PIPL: a new band consenting alone", "website", func(p *policy.Policy) {
		p.Children.AgeBands = append(p.Children.AgeBands, policy.AgeBand{From: 16, Under: 18, Consent: "child"})
	}, policy.Significant, "pipl-children"},
	{"PIPL: the guardian band's upper age lowered", "website", func(p *policy.Policy) { p.Children.AgeBands[0].Under = 13 }, policy.Significant, "pipl-children"},
	{"PIPL: the guardian band's upper age raised", "website", func(p *policy.Policy) { p.Children.AgeBands[0].Under = 16 }, policy.Notable, "fact-changed"},
	{"PIPL: a band's consent strengthened", "website", func(p *policy.Policy) { p.Children.AgeBands[1].Consent = "guardian" }, policy.Notable, "fact-changed"},
	{"COPPA: an age band's consent changed", "website", func(p *policy.Policy) { p.Children.AgeBands[0].Consent = "guardian-and-child" }, policy.Significant, "coppa-material"},
	{"age bands reordered", "website", func(p *policy.Policy) { reverse(p.Children.AgeBands) }, policy.Editorial, ""},

	// The policy's own raises (changes.raise in the SDK example).
	{"project raise: SDK processing region", "sdk-provider", func(p *policy.Policy) {
		sdk(p, "beacon-pass").Region = text("Singapore")
	}, policy.Significant, "project-1"},
	{"project raise cannot lower a rule's reconsent", "sdk-provider", func(p *policy.Policy) {
		p.Changes.Raise = append(p.Changes.Raise, policy.LevelRaise{Path: "sdks[*].collects:*", Level: "notable", Reason: text("minor")})
		s := sdk(p, "beacon-link")
		s.Collects = append(s.Collects, ref("location"))
	}, policy.Reconsent, "pipl-reconsent"},

	// Facts no rule names: notable.
	{"certification added", "sdk-provider", func(p *policy.Policy) {
		p.Security.Certifications = append(p.Security.Certifications, policy.Certification{ID: "iso", Name: text("ISO/IEC 27001")})
	}, policy.Notable, "fact-changed"},
	{"Do Not Track stance changed", "website", func(p *policy.Policy) { p.Cookies.DoNotTrack = "not-honoured" }, policy.Notable, "fact-changed"},
	{"first reply time changed", "website", func(p *policy.Policy) { p.Contacts.FirstReply = policy.Duration{N: 5, Unit: policy.WorkingDays} }, policy.Notable, "fact-changed"},
	{"notice period changed", "website", func(p *policy.Policy) { p.Changes.NoticePeriod = policy.Duration{N: 45, Unit: policy.Days} }, policy.Notable, "fact-changed"},
}

// startsSharing is an example whose affiliate did not receive data in
// the old version: the scenario mutates both sides.
func TestAnAffiliateThatStartsReceivingDataIsSignificant(t *testing.T) {
	for _, ex := range []string{"website", "sdk-provider"} {
		old, new := load(t, ex), load(t, ex)
		old.Controller.Affiliates[0].SharesData = false
		as := policy.Assess(old, new)
		if as.Level != policy.Significant || !cites(as, "gbt-recipients-start") {
			t.Errorf("%s: %s %v", ex, as.Level, brief(as))
		}
	}
}

// TestValuesAreComparedByMeaning: both sides are set, since the examples
// already use https and NFC text.
func TestValuesAreComparedByMeaning(t *testing.T) {
	for _, tc := range []struct {
		name     string
		old, new func(p *policy.Policy)
		level    policy.Level
	}{
		{"link moved from http to https", func(p *policy.Policy) { p.Controller.Website = "http://pixelgrove.example/about" },
			func(p *policy.Policy) { p.Controller.Website = "https://pixelgrove.example/about" }, policy.Editorial},
		{"channel link moved from http to https", func(p *policy.Policy) { p.Contacts.Channels[2].Value = "http://pixelgrove.example/help/chat" },
			func(p *policy.Policy) {}, policy.Editorial},
		{"link moved to https on another host", func(p *policy.Policy) { p.Controller.Website = "http://pixelgrove.example/about" },
			func(p *policy.Policy) { p.Controller.Website = "https://pixelgrove.cn/about" }, policy.Notable},
		{"link moved from https to http", func(p *policy.Policy) {},
			func(p *policy.Policy) { p.Contacts.Channels[2].Value = "http://pixelgrove.example/help/chat" }, policy.Significant},
		{"name in decomposed Unicode", func(p *policy.Policy) { p.Controller.LegalName = policy.NeutralText("Pixelgrove Cafe\u0301 Ltd.") },
			func(p *policy.Policy) { p.Controller.LegalName = policy.NeutralText("Pixelgrove Caf\u00e9  Ltd.") }, policy.Editorial},
		{"e-mail local part changed", func(p *policy.Policy) {},
			func(p *policy.Policy) { p.Contacts.Channels[0].Value = "Privacy@pixelgrove.example" }, policy.Significant},
		{"phone number with other digits", func(p *policy.Policy) {},
			func(p *policy.Policy) { p.Contacts.Channels[1].Value = "021 5555 0449" }, policy.Significant},
	} {
		old, new := load(t, "website"), load(t, "website")
		tc.old(old)
		tc.old(new)
		tc.new(new)
		if as := policy.Assess(old, new); as.Level != tc.level {
			t.Errorf("%s: level %s, want %s: %v", tc.name, as.Level, tc.level, brief(as))
		}
	}
}

// TestEveryRuleHasTwoScenarios: each rule is shown to fire at least twice.
func TestEveryRuleHasTwoScenarios(t *testing.T) {
	n := map[string]int{}
	for _, sc := range scenarios {
		n[sc.rule]++
	}
	for _, r := range append(slices.Clone(policy.Rules), policy.FactChanged) {
		if n[r.ID] < 2 {
			t.Errorf("rule %s has %d scenarios; want at least 2", r.ID, n[r.ID])
		}
	}
}

func TestSignificanceScenarios(t *testing.T) {
	if len(scenarios) < 60 {
		t.Fatalf("%d scenarios; keep at least 60", len(scenarios))
	}
	editorial := 0
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			old, new := load(t, sc.example), load(t, sc.example)
			if strings.HasPrefix(sc.name, "COPPA") {
				old.Jurisdictions = append(old.Jurisdictions, "us-coppa")
				new.Jurisdictions = append(new.Jurisdictions, "us-coppa")
			}
			if strings.HasPrefix(sc.name, "With GDPR") {
				old.Jurisdictions = append(old.Jurisdictions, "eu-gdpr")
				new.Jurisdictions = append(new.Jurisdictions, "eu-gdpr")
			}
			sc.mutate(new)
			as := policy.Assess(old, new)
			if as.Level != sc.level {
				t.Errorf("level %s, want %s; changes: %+v", as.Level, sc.level, brief(as))
			}
			if sc.level == policy.Editorial {
				if len(as.Changes) > 0 && !as.ProseChanged {
					t.Errorf("an editorial change that is not prose: %+v", brief(as))
				}
				return
			}
			if !cites(as, sc.rule) {
				t.Errorf("no change cites %s: %+v", sc.rule, brief(as))
			}
		})
		if sc.level == policy.Editorial {
			editorial++
		}
	}
	if editorial < 25 {
		t.Errorf("%d editorial scenarios; keep at least 25", editorial)
	}
}

func cites(as policy.Assessment, id string) bool {
	for _, c := range as.Changes {
		for _, r := range c.Rules {
			if r.ID == id {
				return true
			}
		}
	}
	return false
}

func brief(as policy.Assessment) []string {
	var out []string
	for _, c := range as.Changes {
		var ids []string
		for _, r := range c.Rules {
			ids = append(ids, r.ID)
		}
		out = append(out, c.Path.String()+" "+string(c.Kind)+" "+c.Level.String()+" "+strings.Join(ids, ","))
	}
	return out
}

func TestDiffProperties(t *testing.T) {
	for _, ex := range []string{"website", "sdk-provider"} {
		a, b := load(t, ex), load(t, ex)
		if d := policy.Diff(a, b); len(d) != 0 {
			t.Errorf("%s: diff with itself: %v", ex, d)
		}
		// Adding then removing is reported both ways.
		b.SDKs = append(b.SDKs, policy.SDK{ID: "extra", Name: policy.NeutralText("Extra"), Provider: policy.NeutralText("X")})
		fwd, back := policy.Diff(a, b), policy.Diff(b, a)
		if len(fwd) != 1 || fwd[0].Kind != policy.Added || len(back) != 1 || back[0].Kind != policy.Removed || fwd[0].Path.String() != back[0].Path.String() {
			t.Errorf("%s: add %v, remove %v", ex, fwd, back)
		}
	}
}

// TestVerdictIgnoresYAMLLayout loads the same model written in flow style
// and block style, in another key order: no change at all.
func TestVerdictIgnoresYAMLLayout(t *testing.T) {
	dirA, dirB := t.TempDir(), t.TempDir()
	os.WriteFile(filepath.Join(dirA, "policy.yaml"), []byte(`id: t
title: T
locales: [en]
controller: {legal_name: Acme Ltd., registered_address: 1 Main Street}
contacts:
  channels: [{id: mail, kind: email, value: privacy@acme.example, uses: [privacy, rights]}]
  response_time: 15 days
data_categories: [{id: email, name: E-mail, items: [address, alias], sources: [provided]}]
sections: [{id: intro, title: Intro, body: Hello.}]
`), 0o644)
	os.WriteFile(filepath.Join(dirB, "policy.yaml"), []byte(`sections:
  - id: intro
    body: Hello.
    title: Intro
data_categories:
  - sources:
      - provided
    items:
      - alias
      - address
    name: E-mail
    id: email
contacts:
  response_time: "15 days"
  channels:
    - uses: [rights, privacy]
      value: privacy@acme.example
      kind: email
      id: mail
controller:
  registered_address: 1 Main Street
  legal_name: "Acme Ltd."
locales:
  - en
title: "T"
id: t
`), 0o644)
	a, err := policy.Load(dirA)
	if err != nil {
		t.Fatal(err)
	}
	b, err := policy.Load(dirB)
	if err != nil {
		t.Fatal(err)
	}
	if as := policy.Assess(a, b); len(as.Changes) != 0 {
		t.Errorf("layout changed the verdict: %v", brief(as))
	}
}

func TestValidateRefusesARaisePathNamingNoField(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "examples", "sdk-provider", "policy.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "examples", "sdk-provider"))); err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(src), `- path: "sdks[*].region"`, `- path: "sdks[*].regoin"`, 1)
	if bad == string(src) {
		t.Fatal("the example no longer raises sdks[*].region")
	}
	if err := os.WriteFile(filepath.Join(dir, "policy.yaml"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = policy.Load(dir)
	if err == nil {
		t.Fatal("a raise path naming no field was accepted")
	}
	// The raise's path stands on the line after the one holding "- path:".
	line := strings.Count(bad[:strings.Index(bad, `"sdks[*].regoin"`)], "\n") + 1
	at := fmt.Sprintf("policy.yaml:%d:", line)
	if msg := err.Error(); !strings.Contains(msg, at) || !strings.Contains(msg, `did you mean "region"`) {
		t.Errorf("error %q lacks the position %s or the suggestion", msg, at)
	}
}
