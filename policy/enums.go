package policy

// Enumerations. Each type lists its values once; the decoder checks them, the
// JSON Schema lists them and "did you mean" suggests among them.

type enum interface{ enumValues() []string }

// Jurisdiction is a jurisdiction profile.
type Jurisdiction string

func (Jurisdiction) enumValues() []string {
	return []string{"cn-pipl", "eu-gdpr", "uk-gdpr", "us-ccpa", "us-coppa"}
}

// RelationKind is how an affiliate relates to the controller.
type RelationKind string

func (RelationKind) enumValues() []string {
	return []string{"parent", "subsidiary", "sister", "joint-venture", "other"}
}

// ChannelKind is a kind of contact channel.
type ChannelKind string

func (ChannelKind) enumValues() []string {
	return []string{"email", "phone", "web", "postal", "in-app", "online-service"}
}

// ChannelUse is what a contact channel is for.
type ChannelUse string

func (ChannelUse) enumValues() []string {
	return []string{"general", "privacy", "rights", "complaints", "security", "children", "sdk-complaints"}
}

// LegalBasis is a legal basis for processing.
type LegalBasis string

func (LegalBasis) enumValues() []string {
	return []string{"consent", "contract", "legal-obligation", "vital-interests", "public-interest", "legitimate-interests", "public-information", "employment"}
}

// Requirement says whether a person must provide some information.
type Requirement string

func (Requirement) enumValues() []string { return []string{"required", "optional", "not-stated"} }

// IsRequired reports whether the information must be provided.
func (r Requirement) IsRequired() bool { return r == "required" }

// BandConsent is whose consent is needed for people in an age band.
type BandConsent string

func (BandConsent) enumValues() []string {
	return []string{"guardian", "guardian-and-child", "child", "not-collected"}
}

// SensitiveKind is a kind of sensitive personal information.
type SensitiveKind string

func (SensitiveKind) enumValues() []string {
	return []string{"biometric", "identity", "network-identity", "financial", "health", "location", "communications", "contacts", "minors", "religion", "precise-location", "other"}
}

// Source is where personal information comes from.
type Source string

func (Source) enumValues() []string {
	return []string{"provided", "automatic", "third-party", "public", "derived"}
}

// CCPACategory is a category of personal information under the CCPA.
type CCPACategory string

func (CCPACategory) enumValues() []string {
	return []string{"identifiers", "customer-records", "protected-classifications", "commercial", "biometric", "internet-activity", "geolocation", "sensory", "professional", "education", "inferences", "sensitive"}
}

// RecipientKind is a recipient's relation to the controller.
type RecipientKind string

func (RecipientKind) enumValues() []string {
	return []string{"affiliate", "processor", "partner", "advertiser", "authority", "acquirer", "public", "other-controller"}
}

// DataForm is the form in which data is provided to a recipient.
type DataForm string

func (DataForm) enumValues() []string {
	return []string{"identifiable", "de-identified", "anonymised", "aggregated", "encrypted"}
}

// ConsentKind is the consent a case needs.
type ConsentKind string

func (ConsentKind) enumValues() []string {
	return []string{"explicit", "separate", "not-required", "renewed"}
}

// ExceptionScope is what a consent exception exempts.
type ExceptionScope string

func (ExceptionScope) enumValues() []string {
	return []string{"collection", "sharing", "transfer", "disclosure", "requests"}
}

// Mechanism is the legal mechanism of a cross-border transfer.
type Mechanism string

func (Mechanism) enumValues() []string {
	return []string{"security-assessment", "certification", "standard-contract", "adequacy", "scc", "idta", "uk-addendum", "bcr", "consent", "other"}
}

// ChildAudience says whether a service is meant for children.
type ChildAudience string

func (ChildAudience) enumValues() []string {
	return []string{"not-directed", "mixed", "directed"}
}

// RightKind is a kind of right.
type RightKind string

func (RightKind) enumValues() []string {
	return []string{"access", "rectification", "erasure", "withdraw-consent", "account-deletion", "copy", "portability", "restriction", "objection", "opt-out-marketing", "automated-decisions", "explanation", "complaint", "opt-out-sale", "limit-sensitive", "non-discrimination", "deceased"}
}

// FeeKind says whether a fee may be charged.
type FeeKind string

func (FeeKind) enumValues() []string { return []string{"free", "may-charge", "reasonable-fee"} }

// NoticeChannel is a way of telling people something.
type NoticeChannel string

func (NoticeChannel) enumValues() []string {
	return []string{"website", "email", "sms", "push", "in-app", "banner", "popup", "letter", "phone", "announcement"}
}

// CookieTech is a tracking technology.
type CookieTech string

func (CookieTech) enumValues() []string {
	return []string{"cookie", "local-storage", "web-beacon", "pixel", "sdk", "fingerprint"}
}

// Party says who sets a cookie.
type Party string

func (Party) enumValues() []string { return []string{"first", "third"} }

// DNT is the response to Do Not Track.
type DNT string

func (DNT) enumValues() []string { return []string{"honoured", "not-honoured", "not-applicable"} }

// RiskLevel is the overall risk an impact assessment reports.
type RiskLevel string

func (RiskLevel) enumValues() []string { return []string{"low", "medium", "high"} }

// DocumentKind is what a separate document is.
type DocumentKind string

func (DocumentKind) enumValues() []string {
	return []string{"children-rules", "sdk-list", "notice", "other"}
}

// ChangeLevel is a level a policy may raise changes to (never editorial:
// nothing lowers a level a rule raised).
type ChangeLevel string

func (ChangeLevel) enumValues() []string { return []string{"notable", "significant", "reconsent"} }

// Values lists the jurisdiction profiles.
func (j Jurisdiction) Values() []string { return j.enumValues() }
