package policy

// The model. Field tags:
//
//	yaml:"name"         the key in policy.yaml
//	policy:"required"   the key must be present
//	policy:"prose"      Text holding sentences: needs every declared locale
//	policy:"include"    a top-level list that may instead name a YAML file holding it
//	doc:"..."           one line for the JSON Schema and the model reference
//
// Everything a policy says is a fact here, written once and referred to by ID.

// Policy is a whole privacy policy.
type Policy struct {
	Node `yaml:"-"`

	ID            ID             `yaml:"id" policy:"required" doc:"Stable identifier of the policy, e.g. app-privacy."`
	Title         Text           `yaml:"title" policy:"required,prose" doc:"Title of the document."`
	Locales       []Locale       `yaml:"locales" policy:"required" doc:"Languages the policy is published in; the first is the default."`
	SourceLocale  Locale         `yaml:"source_locale" doc:"The locale translations are made from (default: the first of locales); a translation whose source text changed since it was made or reviewed is stale."`
	Jurisdictions []Jurisdiction `yaml:"jurisdictions" doc:"Jurisdiction profiles whose rules apply (lint and significance rules)."`
	Updated       Date           `yaml:"updated" doc:"Last-updated date (YYYY-MM-DD, or YYYY-MM when the policy names only the month, printed as a month); a release may set it."`
	Effective     Date           `yaml:"effective" doc:"Effective date (YYYY-MM-DD, or YYYY-MM when the policy names only the month, printed as a month); a release may set it."`
	Summary       Text           `yaml:"summary" policy:"prose" doc:"Introductory summary shown under the title (Markdown)."`
	Scope         Text           `yaml:"scope" policy:"prose" doc:"Which products and services the policy covers."`

	Controller     Controller      `yaml:"controller" policy:"required" doc:"Who is responsible for the personal information."`
	Contacts       Contacts        `yaml:"contacts" policy:"required" doc:"How to reach the controller, complain, and resolve disputes."`
	Subjects       []Subject       `yaml:"subjects" policy:"include" doc:"Groups of people whose information is processed (users, end users of integrating apps, guardians…)."`
	Purposes       []Purpose       `yaml:"purposes" policy:"include" doc:"Purposes of processing, referred to by activities, SDKs and recipients."`
	DataCategories []DataCategory  `yaml:"data_categories" policy:"required,include" doc:"Categories of personal information and the items in each."`
	Activities     []Activity      `yaml:"activities" policy:"include" doc:"Processing activities (business functions): what data, why, required or not, and what happens if refused."`
	SDKs           []SDK           `yaml:"sdks" policy:"include" doc:"Software development kits and other embedded third-party code, and what each collects."`
	Recipients     []Recipient     `yaml:"recipients" policy:"include" doc:"Who receives personal information: named companies or types of recipient."`
	Sharing        Disclosure      `yaml:"sharing" doc:"When personal information is shared with others."`
	Transfer       Disclosure      `yaml:"transfer" doc:"When personal information is transferred (mergers, acquisitions, bankruptcy…)."`
	Disclosure     Disclosure      `yaml:"public_disclosure" doc:"When personal information is publicly disclosed."`
	Exceptions     []Exception     `yaml:"consent_exceptions" policy:"include" doc:"Cases in which the law allows processing without consent."`
	Storage        Storage         `yaml:"storage" doc:"Where information is stored, cross-border transfers, and how long it is kept."`
	Children       *Children       `yaml:"children" doc:"Rules for children's personal information."`
	Rights         []Right         `yaml:"rights" policy:"include" doc:"The rights people have and how to exercise them."`
	Requests       Requests        `yaml:"requests" doc:"How requests to exercise rights are handled."`
	Security       Security        `yaml:"security" doc:"Security measures, certifications and incident notification."`
	Cookies        *Cookies        `yaml:"cookies" doc:"Cookies, web beacons, pixel tags, Do Not Track and opt-out preference signals."`
	Changes        ChangePolicy    `yaml:"changes" doc:"How the policy changes and how people are told."`
	Glossary       []Term          `yaml:"glossary" policy:"include" doc:"Definitions of terms used in the policy."`
	Sections       []Section       `yaml:"sections" policy:"required,include" doc:"The document in reading order: prose sections in Markdown that refer to the facts above."`
	Documents      []Document      `yaml:"documents" doc:"Separate documents published with the policy (e.g. children's rules), each with its own sections."`
	Lint           *LintSettings   `yaml:"lint" doc:"Lint findings the policy's authors have reviewed and accept, each with its reason."`
	Dir            string          `yaml:"-" json:"-"`
	Files          map[string]bool `yaml:"-" json:"-"` // every file read, relative to Dir
	Reviews        Reviews         `yaml:"-" json:"-"` // translations.yaml: translations reviewed against their source

	incomplete map[string]bool // lists whose file could not be read
}

// Subject is a group of people whose information is processed.
type Subject struct {
	Node        `yaml:"-"`
	ID          ID   `yaml:"id" policy:"required" doc:"Identifier, e.g. end-user."`
	Name        Text `yaml:"name" policy:"required" doc:"Name as readers know it, e.g. \"you\", \"your end users\"."`
	Description Text `yaml:"description" policy:"prose" doc:"Who belongs to the group."`
}

// Controller is the organisation responsible for the personal information.
type Controller struct {
	Node              `yaml:"-"`
	LegalName         Text             `yaml:"legal_name" policy:"required" doc:"Registered legal name."`
	ShortName         Text             `yaml:"short_name" doc:"Name used in the text (\"we\", a brand)."`
	RegisteredAddress Text             `yaml:"registered_address" policy:"required" doc:"Registered address."`
	PostalCode        string           `yaml:"postal_code" doc:"Postal code of the registered address."`
	Website           URL              `yaml:"website" doc:"Main website."`
	EstablishedIn     []Jurisdiction   `yaml:"established_in" doc:"Profiles in whose territory the controller has an establishment (GDPR Art. 3(1)): one established neither in the EU nor in the UK names a representative there (Art. 27)."`
	Representatives   []Representative `yaml:"representatives" doc:"Representatives in other jurisdictions (GDPR Art. 27, PIPL Art. 53)."`
	Affiliates        []Affiliate      `yaml:"affiliates" doc:"Affiliated companies and their relation to the controller."`
	Ownership         []Fact           `yaml:"ownership" doc:"Ownership and organisational facts; a change in any is significant (GB/T 35273-2020 §7.3)."`
}

// Representative is a representative in another jurisdiction.
type Representative struct {
	Node         `yaml:"-"`
	Jurisdiction Jurisdiction `yaml:"jurisdiction" policy:"required" doc:"Jurisdiction profile the representative serves."`
	Name         Text         `yaml:"name" policy:"required" doc:"Representative's name."`
	Address      Text         `yaml:"address" doc:"Postal address."`
	Email        Email        `yaml:"email" doc:"E-mail address."`
}

// Affiliate is a company related to the controller.
type Affiliate struct {
	Node       `yaml:"-"`
	ID         ID           `yaml:"id" policy:"required" doc:"Identifier."`
	Name       Text         `yaml:"name" policy:"required" doc:"Legal name."`
	Relation   RelationKind `yaml:"relation" policy:"required" doc:"How the affiliate is related to the controller."`
	Note       Text         `yaml:"note" policy:"prose" doc:"More about the relation."`
	SharesData bool         `yaml:"shares_data" doc:"Whether personal information is shared with it."`
}

// Fact is an identified statement whose change matters on its own.
type Fact struct {
	Node `yaml:"-"`
	ID   ID   `yaml:"id" policy:"required" doc:"Identifier."`
	Text Text `yaml:"text" policy:"required,prose" doc:"The statement."`
}

// Contacts says how to reach the controller and where to complain.
type Contacts struct {
	Node         `yaml:"-"`
	Officer      *Officer    `yaml:"officer" doc:"Personal-information protection officer, DPO or responsible department."`
	Channels     []Channel   `yaml:"channels" policy:"required" doc:"Contact channels (e-mail, phone, web form, postal address…)."`
	ResponseTime Duration    `yaml:"response_time" doc:"Time within which the controller replies, e.g. \"15 working days\"; absent when the policy states none (lint says where a regime asks for it)."`
	FirstReply   Duration    `yaml:"first_reply" doc:"Time within which a first reply is usually given, e.g. \"3 working days\"."`
	Regulators   []Regulator `yaml:"regulators" doc:"Authorities people may complain to."`
	Disputes     *Disputes   `yaml:"disputes" doc:"Governing law and where disputes are resolved."`
	Escalation   Text        `yaml:"escalation" policy:"prose" doc:"What people can do when not satisfied with the reply."`
	Notes        Text        `yaml:"notes" policy:"prose" doc:"Anything else about contacting the controller."`
}

// Officer is the person or department responsible for personal information.
type Officer struct {
	Node       `yaml:"-"`
	Role       Text  `yaml:"role" policy:"required" doc:"Role, e.g. personal information protection officer, data protection officer."`
	Name       Text  `yaml:"name" doc:"Name of the person in charge."`
	Department Text  `yaml:"department" doc:"Responsible department."`
	Email      Email `yaml:"email" doc:"E-mail address."`
	Phone      Phone `yaml:"phone" doc:"Telephone number."`
	Address    Text  `yaml:"address" doc:"Postal address."`
}

// Channel is one way to contact the controller.
type Channel struct {
	Node         `yaml:"-"`
	ID           ID           `yaml:"id" policy:"required" doc:"Identifier, referred to by rights and prose."`
	Kind         ChannelKind  `yaml:"kind" policy:"required" doc:"Kind of channel."`
	Value        string       `yaml:"value" doc:"The address, number or URL (checked against the kind); absent for a channel the policy names without one, such as in-app service."`
	Label        Text         `yaml:"label" doc:"How the channel is named in the text."`
	Uses         []ChannelUse `yaml:"uses" policy:"required" doc:"What the channel is for."`
	ResponseTime Duration     `yaml:"response_time" doc:"Reply time on this channel, when it differs from the general one."`
	Hours        Text         `yaml:"hours" doc:"Opening hours."`
}

// Regulator is an authority people may complain to.
type Regulator struct {
	Node         `yaml:"-"`
	Name         Text         `yaml:"name" policy:"required" doc:"Name of the authority or kind of authority."`
	Jurisdiction Jurisdiction `yaml:"jurisdiction" doc:"Profile it belongs to."`
	URL          URL          `yaml:"url" doc:"Its website."`
}

// Disputes names the governing law and forum.
type Disputes struct {
	Node         `yaml:"-"`
	GoverningLaw Text `yaml:"governing_law" policy:"required" doc:"Law that governs the policy."`
	Negotiation  bool `yaml:"negotiation_first" doc:"Whether the parties first try to settle by negotiation."`
	Court        Text `yaml:"court" doc:"Court with jurisdiction."`
	Arbitration  Text `yaml:"arbitration" doc:"Arbitration body, if any."`
}

// Purpose is a purpose of processing.
type Purpose struct {
	Node               `yaml:"-"`
	ID                 ID         `yaml:"id" policy:"required" doc:"Identifier."`
	Name               Text       `yaml:"name" policy:"required,prose" doc:"The purpose in words."`
	LegalBasis         LegalBases `yaml:"legal_basis" policy:"one" doc:"Legal bases (GDPR Art. 6, PIPL Art. 13): one basis, or a list of bases, each optionally for some jurisdictions or regions only."`
	LegitimateInterest Text       `yaml:"legitimate_interest" policy:"prose" doc:"The legitimate interest pursued, when that is a basis."`
	Marketing          bool       `yaml:"marketing" doc:"Direct marketing or advertising."`
}

// LegalBases are the legal bases of a purpose, in the order the policy
// gives them.
type LegalBases []PurposeBasis

// PurposeBasis is one legal basis, for all of a policy's readers or only for
// those of some jurisdictions or regions.
type PurposeBasis struct {
	Node          `yaml:"-"`
	Basis         LegalBasis     `yaml:"basis" policy:"required,short" doc:"The legal basis; written alone (legal_basis: consent) when it has no other field."`
	Jurisdictions []Jurisdiction `yaml:"jurisdictions" doc:"Profiles for whose readers this basis applies; every reader's when absent."`
	Regions       Text           `yaml:"regions" doc:"Countries or regions this basis applies to, as the policy names them (e.g. EEA, UK, Switzerland)."`
	Note          Text           `yaml:"note" policy:"prose" doc:"When or how this basis applies, as the policy says it."`
}

// Has reports whether b is among the bases.
func (bs LegalBases) Has(b LegalBasis) bool {
	for _, x := range bs {
		if x.Basis == b {
			return true
		}
	}
	return false
}

// DataCategory is a category of personal information.
type DataCategory struct {
	Node          `yaml:"-"`
	ID            ID            `yaml:"id" policy:"required" doc:"Identifier, e.g. device-ids."`
	Name          Text          `yaml:"name" policy:"required" doc:"Name, e.g. device identifiers."`
	Description   Text          `yaml:"description" policy:"prose" doc:"What the category holds."`
	Items         []Text        `yaml:"items" doc:"The items collected, e.g. IMEI, OAID, IDFA, MAC address."`
	Sensitive     bool          `yaml:"sensitive" doc:"Sensitive personal information: highlighted in every output (lint asks for separate consent where a regime requires it)."`
	SensitiveKind SensitiveKind `yaml:"sensitive_kind" doc:"Kind of sensitive information (GB/T 35273-2020 Annex B; GDPR Art. 9; CCPA sensitive PI)."`
	Necessity     Text          `yaml:"necessity" policy:"prose" doc:"Why the sensitive information is necessary and its impact on the person (PIPL Art. 30)."`
	Sources       []Source      `yaml:"sources" policy:"required" doc:"Where the information comes from."`
	SourceDetail  Text          `yaml:"source_detail" policy:"prose" doc:"Which third parties or public sources, when not provided by the person."`
	Retention     Ref           `yaml:"retention" doc:"Retention rule (an id from storage.retention)."`
	Subjects      Refs          `yaml:"subjects" doc:"Whose information this is (subject ids); all subjects when absent."`
	Children      bool          `yaml:"children" doc:"May include children's information."`
	CCPACategory  CCPACategory  `yaml:"ccpa_category" doc:"CCPA category (Cal. Civ. Code §1798.140(v))."`
	Deidentified  bool          `yaml:"deidentified" doc:"Made de-identified or anonymous right after collection."`
	ProperName    bool          `yaml:"proper_name" doc:"The name begins with a proper name (Android ID, WeChat account): its capital is kept mid-sentence."`
}

// Activity is a processing activity: a business function and the data it uses.
type Activity struct {
	Node               `yaml:"-"`
	ID                 ID             `yaml:"id" policy:"required" doc:"Identifier, e.g. registration."`
	Name               Text           `yaml:"name" policy:"required,prose" doc:"Name, e.g. account registration."`
	Description        Text           `yaml:"description" policy:"prose" doc:"What happens, in Markdown."`
	Subjects           Refs           `yaml:"subjects" doc:"Whose information (subject ids)."`
	Uses               Refs           `yaml:"uses" policy:"required" doc:"Data categories used (ids)."`
	Purposes           Refs           `yaml:"purposes" policy:"required" doc:"Purposes (ids)."`
	Required           Requirement    `yaml:"required" doc:"Whether the person must provide the data: required (the service cannot be used without it), optional, or not-stated when the policy does not say; true and false are read as required and optional."`
	Items              []ActivityItem `yaml:"items" doc:"Items the activity collects whose requirement differs or is stated item by item (phone number required, e-mail optional)."`
	IfRefused          Text           `yaml:"if_refused" policy:"prose" doc:"What happens when the person refuses or withdraws."`
	SeparateConsent    bool           `yaml:"separate_consent" doc:"Separate consent is sought (PIPL Art. 29 asks for it when sensitive data is used: a lint finding, not a validation error)."`
	SDKs               Refs           `yaml:"sdks" doc:"SDKs that carry out the activity (ids)."`
	Recipients         Refs           `yaml:"recipients" doc:"Recipients the data is provided to (ids)."`
	AutomatedDecisions bool           `yaml:"automated_decisions" doc:"Decisions are made solely by automated means (PIPL Art. 24, GDPR Art. 22)."`
	Children           bool           `yaml:"children" doc:"Collects information from children."`
	LegalBasis         LegalBases     `yaml:"legal_basis" policy:"one" doc:"Legal bases when they differ from the purposes': one basis, or a list of bases, each optionally for some jurisdictions or regions only."`
	Statutory          Text           `yaml:"statutory" policy:"prose" doc:"Whether providing the data is a statutory or contractual requirement (GDPR Art. 13(2)(e))."`
}

// ActivityItem is one item an activity collects, with whether the person
// must provide it.
type ActivityItem struct {
	Node     `yaml:"-"`
	Item     Text        `yaml:"item" policy:"required" doc:"The item, e.g. mobile phone number."`
	Category Ref         `yaml:"category" doc:"Data category it belongs to (an id from the activity's uses)."`
	Required Requirement `yaml:"required" policy:"required" doc:"required, optional or not-stated."`
	Note     Text        `yaml:"note" policy:"prose" doc:"More, e.g. what happens without it."`
}

// SDK is a software development kit or other embedded code.
type SDK struct {
	Node        `yaml:"-"`
	ID          ID       `yaml:"id" policy:"required" doc:"Identifier."`
	Name        Text     `yaml:"name" policy:"required" doc:"Product name."`
	Provider    Text     `yaml:"provider" doc:"Provider's legal name, when the policy names it."`
	FirstParty  bool     `yaml:"first_party" doc:"The controller's own SDK (as opposed to a third party's)."`
	Description Text     `yaml:"description" policy:"prose" doc:"What the SDK does."`
	Purposes    Refs     `yaml:"purposes" policy:"required" doc:"Purposes (ids)."`
	Collects    Refs     `yaml:"collects" policy:"required" doc:"Data categories it collects (ids)."`
	Permissions []string `yaml:"permissions" doc:"System permissions it needs, e.g. android.permission.ACCESS_FINE_LOCATION."`
	Platforms   []string `yaml:"platforms" doc:"Platforms, e.g. Android, iOS, Web."`
	PolicyURL   URL      `yaml:"policy_url" doc:"The provider's privacy policy."`
	Region      Text     `yaml:"region" doc:"Where the provider processes the data."`
	IfRefused   Text     `yaml:"if_refused" policy:"prose" doc:"What happens when the person refuses."`
	Contact     Text     `yaml:"contact" doc:"How to contact the provider."`
}

// Recipient receives personal information: a named company or a type of recipient.
type Recipient struct {
	Node         `yaml:"-"`
	ID           ID            `yaml:"id" policy:"required" doc:"Identifier."`
	Name         Text          `yaml:"name" policy:"required" doc:"Legal name, or the type of recipient (\"advertising partners\")."`
	Named        bool          `yaml:"named" doc:"The name is a specific company, not a type of recipient."`
	Kind         RecipientKind `yaml:"kind" policy:"required" doc:"Relation to the controller."`
	Description  Text          `yaml:"description" policy:"prose" doc:"What the recipient does with the information."`
	Purposes     Refs          `yaml:"purposes" doc:"Purposes (ids)."`
	Data         Refs          `yaml:"data" doc:"Data categories provided (ids)."`
	Form         DataForm      `yaml:"form" doc:"In what form the data is provided."`
	Contact      Text          `yaml:"contact" doc:"Contact details (PIPL Art. 23)."`
	Region       Text          `yaml:"region" doc:"Where the recipient processes the data."`
	PolicyURL    URL           `yaml:"policy_url" doc:"The recipient's privacy policy."`
	Safeguards   Text          `yaml:"safeguards" policy:"prose" doc:"Contracts and controls that bind the recipient."`
	Sold         bool          `yaml:"sold" doc:"Personal information is sold to it (CCPA)."`
	SharedForAds bool          `yaml:"shared_for_ads" doc:"Shared for cross-context behavioural advertising (CCPA)."`
}

// Disclosure covers one way personal information leaves the controller:
// sharing, transfer or public disclosure.
type Disclosure struct {
	Node       `yaml:"-"`
	Statement  Text   `yaml:"statement" policy:"prose" doc:"The general rule, e.g. \"we do not share … except\"."`
	Cases      []Case `yaml:"cases" doc:"The cases in which it happens."`
	Safeguards Text   `yaml:"safeguards" policy:"prose" doc:"What binds those who receive it."`
	NoSale     bool   `yaml:"no_sale_or_sharing" doc:"States that personal information is neither sold nor shared for cross-context behavioural advertising (CCPA §1798.120; 11 CCR §7011(e)(1)); under sharing."`
}

// Case is one case of sharing, transfer or disclosure.
type Case struct {
	Node       `yaml:"-"`
	ID         ID          `yaml:"id" policy:"required" doc:"Identifier."`
	Text       Text        `yaml:"text" policy:"required,prose" doc:"The case, in Markdown."`
	Recipients Refs        `yaml:"recipients" doc:"Recipients involved (ids)."`
	Consent    ConsentKind `yaml:"consent" doc:"Consent needed."`
}

// Exception is a case in which the law allows processing without consent.
type Exception struct {
	Node      `yaml:"-"`
	ID        ID               `yaml:"id" policy:"required" doc:"Identifier."`
	Text      Text             `yaml:"text" policy:"required,prose" doc:"The case."`
	AppliesTo []ExceptionScope `yaml:"applies_to" policy:"required" doc:"What it exempts from consent."`
}

// Storage says where information is kept, where it goes abroad and for how long.
type Storage struct {
	Node        `yaml:"-"`
	Locations   []Location      `yaml:"locations" doc:"Where personal information is stored."`
	CrossBorder CrossBorder     `yaml:"cross_border" doc:"Transfers outside the region where it is collected."`
	Retention   []RetentionRule `yaml:"retention" doc:"Retention rules, referred to by data categories."`
	LegalHolds  []Text          `yaml:"legal_holds" policy:"prose" doc:"Cases in which information is kept longer (law, court orders, disputes)."`
	AfterExpiry Text            `yaml:"after_expiry" policy:"prose" doc:"What happens after the period: deletion or anonymisation."`
	Backups     Text            `yaml:"backups" policy:"prose" doc:"How deletion reaches backups."`
}

// Location is a place where personal information is stored.
type Location struct {
	Node      `yaml:"-"`
	ID        ID   `yaml:"id" doc:"Identifier, so a comparison follows the location when its region is renamed; without one, locations are matched by region."`
	Region    Text `yaml:"region" policy:"required" doc:"Region or country."`
	Collected Text `yaml:"collected_in" doc:"Information collected where is stored here."`
	Note      Text `yaml:"note" policy:"prose" doc:"More about the location."`
}

// CrossBorder covers transfers of personal information abroad.
type CrossBorder struct {
	Node      `yaml:"-"`
	Transfers bool            `yaml:"transfers" doc:"Whether personal information is transferred abroad."`
	Statement Text            `yaml:"statement" policy:"prose" doc:"The controller's stance on cross-border transfers."`
	Routes    []TransferRoute `yaml:"routes" doc:"Each transfer abroad, with recipient and safeguards (PIPL Art. 39, GDPR Art. 13(1)(f))."`
}

// TransferRoute is one cross-border transfer.
type TransferRoute struct {
	Node          `yaml:"-"`
	ID            ID         `yaml:"id" policy:"required" doc:"Identifier."`
	To            Text       `yaml:"to" doc:"Destination country or region, when the policy names one."`
	Recipient     Ref        `yaml:"recipient" policy:"required" doc:"Recipient (id)."`
	Data          Refs       `yaml:"data" policy:"required" doc:"Data categories transferred (ids)."`
	Purposes      Refs       `yaml:"purposes" policy:"required" doc:"Purposes (ids)."`
	Mechanism     Mechanisms `yaml:"mechanism" policy:"required,one" doc:"Legal mechanisms for the transfer: one, or a list when the policy relies on several (adequacy decisions or standard contractual clauses)."`
	Safeguards    Text       `yaml:"safeguards" policy:"prose" doc:"Safeguards and how to get a copy."`
	HowToExercise Text       `yaml:"how_to_exercise" policy:"prose" doc:"How people exercise their rights against the foreign recipient (PIPL Art. 39)."`
}

// Mechanisms are the legal mechanisms of a cross-border transfer.
type Mechanisms []Mechanism

// Has reports whether m is among the mechanisms.
func (ms Mechanisms) Has(m Mechanism) bool {
	for _, x := range ms {
		if x == m {
			return true
		}
	}
	return false
}

// RetentionRule says how long some information is kept. A rule gives at
// least one of period, minimum, maximum and criteria.
type RetentionRule struct {
	Node       `yaml:"-"`
	ID         ID       `yaml:"id" policy:"required" doc:"Identifier, referred to by data categories."`
	Period     Duration `yaml:"period" doc:"Fixed period, e.g. \"3 years\"."`
	Minimum    Duration `yaml:"minimum" doc:"Shortest period the information is kept, e.g. \"3 years\" for \"no less than 3 years\"."`
	Maximum    Duration `yaml:"maximum" doc:"Longest period the information is kept, e.g. \"13 months\"."`
	Starts     Text     `yaml:"starts" policy:"prose" doc:"The event from which the period runs, e.g. \"after the account is closed\"."`
	Criteria   Text     `yaml:"criteria" policy:"prose" doc:"The rule in words (how the period is set, or from when it runs)."`
	Conditions []Text   `yaml:"conditions" policy:"prose" doc:"Conditions under which the information is kept longer or deleted earlier, each as the policy states it."`
	Basis      Text     `yaml:"basis" policy:"prose" doc:"Law or reason for the period."`
}

// Children states the rules for children's personal information.
type Children struct {
	Node            `yaml:"-"`
	AgeThreshold    int            `yaml:"age" policy:"required" doc:"Age under which a person is a child (14 in PIPL, 13 in COPPA, 13–16 in GDPR)."`
	MinorAge        int            `yaml:"minor_age" doc:"Age of majority, for notes to minors (e.g. 18)."`
	Thresholds      []AgeThreshold `yaml:"thresholds" doc:"Other thresholds for particular jurisdictions."`
	Audience        ChildAudience  `yaml:"audience" doc:"Whether the service is meant for children."`
	GuardianConsent Text           `yaml:"guardian_consent" policy:"prose" doc:"How a guardian's consent is obtained and verified; or by age band in age_bands."`
	AgeBands        []AgeBand      `yaml:"age_bands" doc:"Whose consent is needed by age band (e.g. under 13: a parent; 13 to 15: a parent too, for some jurisdictions)."`
	OnDiscovery     Text           `yaml:"on_discovery" policy:"prose" doc:"What happens when information of a child was collected without consent."`
	Collects        Refs           `yaml:"collects" doc:"Data categories that may be collected from children (ids)."`
	ParentalRights  Text           `yaml:"parental_rights" policy:"prose" doc:"How guardians review, delete and refuse further collection (COPPA §312.4)."`
	NoteToMinors    Text           `yaml:"note_to_minors" policy:"prose" doc:"Note addressed to minors, in Markdown."`
	NoteToGuardians Text           `yaml:"note_to_guardians" policy:"prose" doc:"Note addressed to guardians, in Markdown."`
	Rules           Ref            `yaml:"rules" doc:"A separate children's rules document (an id from documents)."`
	Contact         Refs           `yaml:"contact" doc:"Channels for questions about children (ids)."`
}

// AgeBand says whose consent is needed for people of some ages.
type AgeBand struct {
	Node          `yaml:"-"`
	From          int            `yaml:"from" doc:"Lowest age in the band (0 when absent)."`
	Under         int            `yaml:"under" doc:"The band ends before this age; open-ended when absent."`
	Consent       BandConsent    `yaml:"consent" policy:"required" doc:"Whose consent is needed."`
	Jurisdictions []Jurisdiction `yaml:"jurisdictions" doc:"Profiles for whose readers the band applies; every reader's when absent."`
	Regions       Text           `yaml:"regions" doc:"Countries or regions the band applies to, as the policy names them."`
	Note          Text           `yaml:"note" policy:"prose" doc:"How the consent is obtained or verified for this band."`
}

// AgeThreshold is a jurisdiction's own age for a child.
type AgeThreshold struct {
	Node         `yaml:"-"`
	Jurisdiction Jurisdiction `yaml:"jurisdiction" policy:"required" doc:"Profile."`
	Age          int          `yaml:"age" policy:"required" doc:"Age."`
}

// Right is a right people have over their personal information.
type Right struct {
	Node         `yaml:"-"`
	ID           ID            `yaml:"id" policy:"required" doc:"Identifier."`
	Kind         RightKind     `yaml:"kind" policy:"required" doc:"Which right."`
	Name         Text          `yaml:"name" policy:"required,prose" doc:"Name as printed."`
	Description  Text          `yaml:"description" policy:"prose" doc:"What the right allows, in Markdown."`
	How          Text          `yaml:"how" policy:"prose" doc:"How to exercise it (self-service steps)."`
	Channels     Refs          `yaml:"channels" doc:"Contact channels for requests (ids)."`
	ResponseTime Duration      `yaml:"response_time" doc:"Reply time when it differs from requests.response_time."`
	Fee          FeeKind       `yaml:"fee" doc:"Whether a fee may be charged."`
	Limit        *RequestLimit `yaml:"limit" doc:"How often the right may be exercised, when it differs from requests.limit."`
	Extension    *Extension    `yaml:"extension" doc:"How the reply time may be extended, when it differs from requests.extension."`
	Conditions   []Text        `yaml:"conditions" policy:"prose" doc:"When the right applies (e.g. the cases for deletion)."`
	Effect       Text          `yaml:"effect" policy:"prose" doc:"What follows from exercising it."`
}

// Requests says how requests to exercise rights are handled.
type Requests struct {
	Node         `yaml:"-"`
	Verification Text          `yaml:"verification" policy:"prose" doc:"How identity is verified."`
	ResponseTime Duration      `yaml:"response_time" doc:"Time to reply to a request."`
	Fee          FeeKind       `yaml:"fee" doc:"Whether a fee may be charged."`
	FeeNote      Text          `yaml:"fee_note" policy:"prose" doc:"When a fee may be charged or a request refused as excessive."`
	Limit        *RequestLimit `yaml:"limit" doc:"How often requests may be made, e.g. twice in 12 months (CCPA §1798.130(b))."`
	Extension    *Extension    `yaml:"extension" doc:"How much longer a reply may take, and when (e.g. a further 45 days, GDPR Art. 12(3), CCPA §1798.130(a)(2))."`
	Refusals     []Text        `yaml:"refusals" policy:"prose" doc:"Cases in which a request cannot be answered."`
	Agents       Text          `yaml:"authorized_agents" policy:"prose" doc:"How an authorised agent may submit requests (CCPA)."`
	Appeals      Text          `yaml:"appeals" policy:"prose" doc:"How to appeal a refusal."`
	Indirect     Text          `yaml:"indirect_users" policy:"prose" doc:"How people who are not direct customers (end users of integrating apps) exercise rights."`
}

// RequestLimit is how often a request may be made.
type RequestLimit struct {
	Node  `yaml:"-"`
	Times int      `yaml:"times" policy:"required" doc:"How many requests, e.g. 2."`
	Per   Duration `yaml:"per" policy:"required" doc:"In what period, e.g. \"12 months\"."`
	Note  Text     `yaml:"note" policy:"prose" doc:"More, e.g. what happens to further requests."`
}

// Extension is how much longer than the usual reply time a reply may take.
type Extension struct {
	Node   `yaml:"-"`
	By     Duration `yaml:"by" policy:"required" doc:"The further period, e.g. \"45 days\"."`
	When   Text     `yaml:"when" policy:"prose" doc:"When the extension is used, e.g. \"when reasonably necessary\"."`
	Notice bool     `yaml:"notice" doc:"The person is told of the extension and the reason within the first period."`
}

// Security lists security measures, certifications and incident handling.
type Security struct {
	Node             `yaml:"-"`
	Measures         []Fact          `yaml:"measures" doc:"Security measures."`
	Certifications   []Certification `yaml:"certifications" doc:"Certifications held."`
	Incident         *Incident       `yaml:"incident" doc:"How people are told of a security incident."`
	ImpactAssessment Text            `yaml:"impact_assessments" policy:"prose" doc:"How impact assessments and risk reports are kept and obtained."`
	Advice           Text            `yaml:"advice" policy:"prose" doc:"Advice to people on keeping their information safe."`
}

// Certification is a security certification.
type Certification struct {
	Node   `yaml:"-"`
	ID     ID   `yaml:"id" policy:"required" doc:"Identifier."`
	Name   Text `yaml:"name" policy:"required" doc:"Name of the certification."`
	Issuer Text `yaml:"issuer" doc:"Who issued it."`
	Level  Text `yaml:"level" doc:"Level or grade."`
}

// Incident says how a personal-information security incident is handled.
type Incident struct {
	Node               `yaml:"-"`
	Channels           []NoticeChannel `yaml:"channels" policy:"required" doc:"How affected people are told."`
	Contents           []Text          `yaml:"contents" policy:"required,prose" doc:"What the notice says (PIPL Art. 57)."`
	ReportToRegulators bool            `yaml:"report_to_regulators" doc:"Whether incidents are reported to the authorities."`
	Deadline           Duration        `yaml:"deadline" doc:"Notification deadline, e.g. \"72 hours\"."`
}

// Cookies covers cookies and similar technologies.
type Cookies struct {
	Node        `yaml:"-"`
	Description Text         `yaml:"description" policy:"prose" doc:"What cookies are used for, in Markdown."`
	Kinds       []CookieKind `yaml:"kinds" doc:"Kinds of cookie or similar technology in use."`
	Controls    Text         `yaml:"controls" policy:"prose" doc:"How to manage or refuse cookies, and what follows."`
	DoNotTrack  DNT          `yaml:"do_not_track" doc:"Response to browsers' Do Not Track signal."`
	DNTNote     Text         `yaml:"do_not_track_note" policy:"prose" doc:"Explanation of the Do Not Track stance."`
	GPC         bool         `yaml:"honours_gpc" doc:"Honours opt-out preference signals such as Global Privacy Control (CCPA)."`
}

// CookieKind is a kind of cookie or similar technology.
type CookieKind struct {
	Node      `yaml:"-"`
	ID        ID         `yaml:"id" policy:"required" doc:"Identifier."`
	Name      Text       `yaml:"name" policy:"required" doc:"Name, e.g. session cookies, web beacons."`
	Tech      CookieTech `yaml:"technology" policy:"required" doc:"Technology."`
	Purposes  Refs       `yaml:"purposes" doc:"Purposes (ids)."`
	Collects  Refs       `yaml:"collects" doc:"Data categories (ids)."`
	Party     Party      `yaml:"party" doc:"Set by the controller or by a third party."`
	Duration  Text       `yaml:"duration" doc:"How long it lasts."`
	Essential bool       `yaml:"essential" doc:"Strictly necessary for the service."`
	Note      Text       `yaml:"note" policy:"prose" doc:"More, e.g. how to opt out."`
}

// ChangePolicy says how the policy changes.
type ChangePolicy struct {
	Node                `yaml:"-"`
	NoticePeriod        Duration          `yaml:"notice_period" doc:"Minimum time between announcing a significant change and its effective date (default 30 days)."`
	Channels            []NoticeChannel   `yaml:"channels" doc:"How ordinary updates are announced."`
	SignificantChannels []NoticeChannel   `yaml:"significant_channels" doc:"How significant changes are announced (more prominently)."`
	RequiresAgreement   bool              `yaml:"requires_agreement" doc:"People must agree to an updated policy to keep using the service."`
	NoReduction         bool              `yaml:"no_reduction_of_rights" doc:"Rights are not reduced without explicit consent."`
	Significant         []Text            `yaml:"significant_changes" policy:"prose" doc:"What the policy says counts as a significant change."`
	Archive             bool              `yaml:"archive" doc:"Older versions are archived for review."`
	ArchiveURL          URL               `yaml:"archive_url" doc:"Where the archive is published."`
	ImpactAssessment    *ImpactAssessment `yaml:"impact_assessment" doc:"The latest personal-information impact assessment."`
	Raise               []LevelRaise      `yaml:"raise" doc:"Changes this policy treats as more important than the rules do, with the reason; a level can only be raised."`
	Statement           Text              `yaml:"statement" policy:"prose" doc:"Anything else about updates, in Markdown."`
}

// LevelRaise raises the significance of matching changes.
type LevelRaise struct {
	Node   `yaml:"-"`
	Path   string      `yaml:"path" policy:"required" doc:"Change path pattern: field names as in policy.yaml, [*] for any id, :* for any list value, .** for anything below (e.g. sdks[*].region)."`
	Level  ChangeLevel `yaml:"level" policy:"required" doc:"The level such changes get at least."`
	Reason Text        `yaml:"reason" policy:"required,prose" doc:"Why, as recorded with every change it raises."`
}

// ImpactAssessment records the latest personal-information impact assessment.
type ImpactAssessment struct {
	Node    `yaml:"-"`
	Date    Date      `yaml:"date" policy:"required" doc:"When it was completed."`
	Risk    RiskLevel `yaml:"risk" policy:"required" doc:"Overall risk it reports; high risk is a significant change."`
	Summary Text      `yaml:"summary" policy:"prose" doc:"What it found."`
}

// Term is a glossary entry.
type Term struct {
	Node       `yaml:"-"`
	ID         ID   `yaml:"id" policy:"required" doc:"Identifier, referred to by {{ term \"id\" }}."`
	Term       Text `yaml:"term" policy:"required" doc:"The term."`
	Definition Text `yaml:"definition" policy:"required,prose" doc:"Its definition, in Markdown."`
}

// Section is a part of the document, in reading order.
type Section struct {
	Node     `yaml:"-"`
	ID       ID   `yaml:"id" policy:"required" doc:"Identifier; also the stable anchor of the section."`
	Title    Text `yaml:"title" policy:"required,prose" doc:"Heading."`
	Body     Text `yaml:"body" policy:"prose" doc:"Markdown, which may refer to facts: {{ sdk_table }}, {{ category \"id\" }}…"`
	File     Text `yaml:"file" doc:"A Markdown file holding the body (per locale if it differs), relative to the policy directory."`
	Appendix bool `yaml:"appendix" doc:"Printed as an appendix after the main text."`
}

// Document is a separate document published with the policy, such as
// children's personal-information protection rules.
type Document struct {
	Node     `yaml:"-"`
	ID       ID           `yaml:"id" policy:"required" doc:"Identifier."`
	Kind     DocumentKind `yaml:"kind" policy:"required" doc:"What the document is."`
	Title    Text         `yaml:"title" policy:"required,prose" doc:"Title."`
	Summary  Text         `yaml:"summary" policy:"prose" doc:"Introduction, in Markdown."`
	Sections []Section    `yaml:"sections" policy:"required" doc:"The document's sections in reading order."`
}

// LintSettings holds what the policy's authors decided about lint findings.
type LintSettings struct {
	Node        `yaml:"-"`
	Acknowledge []Acknowledgement `yaml:"acknowledge" doc:"Findings accepted after review: still reported, marked acknowledged with the reason."`
}

// Acknowledgement accepts the findings of one lint rule, or one of them.
type Acknowledgement struct {
	Node   `yaml:"-"`
	Rule   ID     `yaml:"rule" policy:"required" doc:"The lint rule (an id from docs/lint.md)."`
	At     string `yaml:"at" doc:"The model position of the one finding accepted, as lint reports it (e.g. recipients[carriers].contact); every finding of the rule when absent."`
	Reason Text   `yaml:"reason" policy:"required" doc:"Why the finding is accepted; reported with it."`
}

// identity gives an element's id and where it was written; validation
// indexes elements of every kind through it.
func (s *Subject) identity() (ID, Pos)       { return s.ID, s.FieldPos("id") }
func (a *Affiliate) identity() (ID, Pos)     { return a.ID, a.FieldPos("id") }
func (f *Fact) identity() (ID, Pos)          { return f.ID, f.FieldPos("id") }
func (c *Channel) identity() (ID, Pos)       { return c.ID, c.FieldPos("id") }
func (p *Purpose) identity() (ID, Pos)       { return p.ID, p.FieldPos("id") }
func (d *DataCategory) identity() (ID, Pos)  { return d.ID, d.FieldPos("id") }
func (a *Activity) identity() (ID, Pos)      { return a.ID, a.FieldPos("id") }
func (s *SDK) identity() (ID, Pos)           { return s.ID, s.FieldPos("id") }
func (r *Recipient) identity() (ID, Pos)     { return r.ID, r.FieldPos("id") }
func (c *Case) identity() (ID, Pos)          { return c.ID, c.FieldPos("id") }
func (e *Exception) identity() (ID, Pos)     { return e.ID, e.FieldPos("id") }
func (t *TransferRoute) identity() (ID, Pos) { return t.ID, t.FieldPos("id") }
func (r *RetentionRule) identity() (ID, Pos) { return r.ID, r.FieldPos("id") }
func (r *Right) identity() (ID, Pos)         { return r.ID, r.FieldPos("id") }
func (c *Certification) identity() (ID, Pos) { return c.ID, c.FieldPos("id") }
func (c *CookieKind) identity() (ID, Pos)    { return c.ID, c.FieldPos("id") }
func (t *Term) identity() (ID, Pos)          { return t.ID, t.FieldPos("id") }
func (s *Section) identity() (ID, Pos)       { return s.ID, s.FieldPos("id") }

// identity of a storage location is its id or, without one, its region:
// comparisons match locations by it.
func (l *Location) identity() (ID, Pos) {
	if l.ID != "" {
		return l.ID, l.FieldPos("id")
	}
	return ID(textString(l.Region)), l.FieldPos("region")
}
func (d *Document) identity() (ID, Pos) { return d.ID, d.FieldPos("id") }
