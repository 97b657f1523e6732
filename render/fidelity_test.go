package render_test

import (
	"bytes"
	"fmt"
	"html"
	"os/exec"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/policyc/policyc/internal/checkers"
	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
)

// notPrinted lists the model fields the default templates deliberately do
// not print, each with the reason. Every other field that a policy sets
// must be readable in the published text: a new field that is neither
// printed nor listed here fails TestEveryFactIsPrinted.
var notPrinted = map[string]string{
	"Policy.id":                 "identifies the policy for the archive and site, not a reader's fact",
	"Policy.locales":            "the languages are the documents themselves, linked to each other",
	"Policy.source_locale":      "the language translations are made from, for translators; each locale's page states its translation status",
	"Policy.jurisdictions":      "selects lint rules and the purposes table; each law is named where it applies",
	"Section.file":              "where the section's text is kept, not what it says",
	"Section.appendix":          "places the section after the main text",
	"Document.kind":             "classifies the document for validation; its title says what it is",
	"Channel.kind":              "the value shows it (an e-mail address, a telephone link); named only when a channel has no label",
	"Exception.applies_to":      "selects the list the case appears in",
	"Right.kind":                "classifies the right for lint and diff; the right's own name is printed",
	"Recipient.named":           "decides only whether the name is a proper name (its capital is kept)",
	"DataCategory.proper_name":  "a casing hint: the name keeps its capital mid-sentence",
	"ChangePolicy.raise":        "the policy's own significance rules, recorded with each change, not part of the notice",
	"LevelRaise.path":           "part of change_policy.raise",
	"LevelRaise.level":          "part of change_policy.raise",
	"LevelRaise.reason":         "part of change_policy.raise",
	"Term.id":                   "identifier",
	"Controller.established_in": "selects lint's representative rules (GDPR Art. 27, PIPL Art. 53); the registered address says where the controller is",
	"Policy.lint":               "counsel's review notes for lint, not statements to the public",
	"Acknowledgement.rule":      "part of lint.acknowledge",
	"Acknowledgement.at":        "part of lint.acknowledge",
	"Acknowledgement.reason":    "part of lint.acknowledge",
}

// boolText is what a true flag prints: a label key, or "" for a flag
// whose effect is checked through the field it qualifies.
var boolText = map[string]string{
	"Affiliate.shares_data":               "aff.shares",
	"Disputes.negotiation_first":          "dsp.negotiation",
	"Purpose.marketing":                   "pt.marketing",
	"DataCategory.sensitive":              "cat.sensitive",
	"DataCategory.children":               "cat.children",
	"DataCategory.deidentified":           "cat.deidentified",
	"Activity.separate_consent":           "separate_consent",
	"Activity.automated_decisions":        "automated",
	"Activity.children":                   "children_data",
	"SDK.first_party":                     "sdk.first_party",
	"Recipient.sold":                      "rcp.sold",
	"Recipient.shared_for_ads":            "rcp.ads",
	"Extension.notice":                    "req.extension.notice",
	"Disclosure.no_sale_or_sharing":       "dsc.no_sale",
	"CrossBorder.transfers":               "", // the statement or the routes say it
	"Incident.report_to_regulators":       "inc.report",
	"Cookies.honours_gpc":                 "ck.gpc",
	"CookieKind.essential":                "ck.essential",
	"ChangePolicy.requires_agreement":     "chg.agreement",
	"ChangePolicy.no_reduction_of_rights": "chg.no_reduction",
	"ChangePolicy.archive":                "chg.archive",
}

// boolFalseText is what a flag written as false prints; a flag the model
// leaves out prints nothing.
var boolFalseText = map[string]string{
	"Activity.required":        "optional",
	"Recipient.sold":           "rcp.not_sold",
	"Recipient.shared_for_ads": "rcp.not_ads",
	"CookieKind.essential":     "ck.essential",
	"CrossBorder.transfers":    "", // the statement says it, or storage.no_transfers
}

// falseFlag checks a flag the source writes as false.
func (w *walker) falseFlag(parent reflect.Value, key, path string) {
	n, ok := parent.Addr().Interface().(interface{ Has(string) bool })
	if !ok || !n.Has(key) {
		return
	}
	label, ok := boolFalseText[path]
	if !ok {
		w.unknown = append(w.unknown, path+" (written as false)")
		return
	}
	if label != "" {
		w.add(path, false, w.labels[label])
	}
}

// enumPrefix is the label prefix under which each enumeration is worded.
var enumPrefix = map[string]string{
	"RelationKind": "relation", "ChannelUse": "use", "LegalBasis": "basis", "SensitiveKind": "sk",
	"Source": "source", "CCPACategory": "ccpa", "RecipientKind": "kind", "DataForm": "form",
	"ConsentKind": "consent", "Mechanism": "mech", "ChildAudience": "child.audience", "FeeKind": "fee",
	"NoticeChannel": "notice", "CookieTech": "tech", "Party": "ck", "DNT": "ck.dnt", "RiskLevel": "risk",
	"BandConsent": "child.by",
}

var jurisdictionNames = map[string]string{"cn-pipl": "PIPL", "eu-gdpr": "GDPR", "uk-gdpr": "UK GDPR", "us-ccpa": "CCPA", "us-coppa": "COPPA"}

// fact is one leaf of the model and the text a reader must find.
type fact struct {
	path  string // Type.yaml_key
	want  []string
	md    bool   // the value is Markdown: compare its rendered text
	label string // for a number: the sentence that prints it, %d standing for it
	num   int64
}

// intText is the label of the sentence that prints each number.
var intText = map[string]string{
	"Children.age":       "child.threshold",
	"Children.minor_age": "child.minor_age",
	"AgeThreshold.age":   "child.threshold_in",
	"RequestLimit.times": "req.limit.n",
}

// bandAges are the ages of an age band: its heading reads "Under 13" or
// "Aged 13 to under 16", so the number itself is looked for.
var bandAges = map[string]bool{"AgeBand.from": true, "AgeBand.under": true}

// TestEveryFactIsPrinted walks every leaf of each example model and
// requires its text in the Markdown (as goldmark reads it; cmark-gfm's
// plain text in the full suite), in the HTML's text and, in the full
// suite, in the PDF's text. It does so for the examples, the models of
// real policies, the typography fixture, and a policy generated from the model's types that sets every
// field to a value found nowhere else (everyfield_test.go).
func TestEveryFactIsPrinted(t *testing.T) {
	for _, ex := range slices.Concat(exampleNames, fixtureNames) {
		checkFidelity(t, ex, loadPolicy(t, policyDir(ex)))
	}
	checkFidelity(t, "testdata/typography", loadPolicy(t, "testdata/typography"))
	checkFidelity(t, "generated", everyFieldPolicy(t))
}

// checkFidelity requires every fact of p in its published texts.
func checkFidelity(t *testing.T, name string, p *policy.Policy) {
	r := render.New()
	for _, loc := range p.Locales {
		t.Run(name+"/"+string(loc), func(t *testing.T) {
			labels, err := r.Labels(string(loc))
			if err != nil {
				t.Fatal(err)
			}
			w := &walker{loc: string(loc), labels: labels, names: refNames(p, string(loc))}
			w.walk(reflect.ValueOf(p).Elem(), "Policy", "")
			for _, u := range w.unknown {
				t.Errorf("%s is neither printed by a template check here nor listed in notPrinted", u)
			}
			texts := publishedTexts(t, r, p, string(loc))
			for _, f := range w.facts {
				for format, text := range texts {
					if !w.found(f, text, format == "pdf") {
						t.Errorf("%s %q is not in the %s text", f.path, f.want, format)
					}
				}
			}
		})
	}
}

// publishedTexts renders the policy's documents in one locale and returns
// the text a reader sees in each format, all documents together.
func publishedTexts(t *testing.T, r *render.Renderer, p *policy.Policy, loc string) map[string]string {
	t.Helper()
	docs, err := r.Compose(p, loc, render.Meta{Version: "3"})
	if err != nil {
		t.Fatal(err)
	}
	var md, htm, pdf strings.Builder
	for _, d := range docs {
		md.WriteString(markdownText(t, d.Markdown) + "\n")
		tree, err := render.Parse(d)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := r.HTML(&b, tree, render.HTMLOptions{}); err != nil {
			t.Fatal(err)
		}
		htm.WriteString(htmlText(b.String()) + "\n")
		if !testing.Short() {
			b.Reset()
			if err := r.PDF(&b, tree, render.PDFOptions{}); err != nil {
				t.Fatal(err)
			}
			pdf.WriteString(withoutFooters(string(pdfText(t, b.Bytes(), "-raw")), r, loc))
		}
	}
	out := map[string]string{"Markdown": md.String(), "HTML": htm.String()}
	if !testing.Short() {
		out["pdf"] = pdf.String()
	}
	return out
}

// markdownText is the text of a Markdown file as another reader sees it:
// cmark-gfm's plain text in the full suite, goldmark's (not our own HTML
// writer's) in -short.
func markdownText(t *testing.T, md []byte) string {
	t.Helper()
	if testing.Short() {
		return htmlText(goldmarkHTML(md))
	}
	cmark := checkers.Tool(t, "cmark-gfm", "apt-get install -y cmark-gfm")
	cmd := exec.Command(cmark, "-e", "table", "-e", "strikethrough", "-e", "autolink", "-t", "plaintext", "--width", "0")
	cmd.Stdin = bytes.NewReader(md)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("cmark-gfm: %v", err)
	}
	return normalise(string(out))
}

func goldmarkHTML(md []byte) string {
	var b bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.GFM)).Convert(md, &b); err != nil {
		panic(err) // goldmark converts any input
	}
	return b.String()
}

var (
	blockTag = regexp.MustCompile(`(?i)</?(p|li|ul|ol|td|th|tr|table|thead|tbody|h[1-6]|br|div|blockquote|pre|hr|nav|main|header|footer|title|head|body|html)\b[^>]*>`)
	anyTag   = regexp.MustCompile(`<[^>]*>`)
)

// htmlText is the text of an HTML fragment: block tags become spaces,
// inline tags nothing ("<strong>name</strong>," reads "name,"), entities
// characters, runs of space one space.
func htmlText(s string) string {
	s = blockTag.ReplaceAllString(s, " ")
	s = anyTag.ReplaceAllString(s, "")
	return normalise(html.UnescapeString(s))
}

// withoutFooters drops the running footer lines ("… Page 3 of 24") that
// pdftotext puts wherever a page breaks, in the middle of a paragraph.
func withoutFooters(s string, r *render.Renderer, loc string) string {
	labels, _ := r.Labels(loc)
	page := regexp.MustCompile(strings.ReplaceAll(regexp.QuoteMeta(labels["page"]), "%d", `[0-9]+`))
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if !page.MatchString(l) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func normalise(s string) string { return strings.Join(strings.Fields(s), " ") }

// squeeze drops every space, for PDF text whose lines break anywhere.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

type walker struct {
	loc     string
	labels  map[string]string
	names   map[policy.ID][]string
	facts   []fact
	unknown []string
}

// found reports whether one of the fact's texts is in the published text.
// Case is ignored: names are lower-cased mid-sentence.
func (w *walker) found(f fact, text string, pdf bool) bool {
	text = strings.ToLower(text)
	if pdf {
		text = squeeze(text)
	}
	if f.label != "" {
		return sentencePattern(f.label, f.num, pdf).MatchString(text)
	}
	for _, want := range f.want {
		if w.foundAll(pieces(want, f.md), text, pdf) {
			return true
		}
	}
	return false
}

// pieces are the texts a value shows as: a Markdown value block by block
// (paragraph, list item, table cell), since a reader's text puts its own
// breaks between blocks; a plain value whole.
func pieces(v string, md bool) []string {
	if !md {
		return []string{normalise(v)}
	}
	var out []string
	for _, b := range blockTag.Split(goldmarkHTML([]byte(v)), -1) {
		if s := htmlText(b); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (w *walker) foundAll(want []string, text string, pdf bool) bool {
	for _, p := range want {
		p = strings.ToLower(p)
		if pdf {
			p = squeeze(p)
		}
		if !strings.Contains(text, p) {
			return false
		}
	}
	return true
}

var (
	textType     = reflect.TypeOf(policy.Text{})
	refType      = reflect.TypeOf(policy.Ref{})
	refsType     = reflect.TypeOf(policy.Refs{})
	durationType = reflect.TypeOf(policy.Duration{})
	dateType     = reflect.TypeOf(policy.Date{})
	nodeType     = reflect.TypeOf(policy.Node{})
)

// walk visits every field of a model struct that the source sets.
func (w *walker) walk(v reflect.Value, typ, _ string) {
	st := v.Type()
	for i := range st.NumField() {
		sf := st.Field(i)
		if !sf.IsExported() || sf.Type == nodeType {
			continue
		}
		key, _, _ := strings.Cut(sf.Tag.Get("yaml"), ",")
		if key == "-" || key == "" {
			continue
		}
		path := typ + "." + key
		if _, ok := notPrinted[path]; ok {
			continue
		}
		if key == "id" && sf.Type == reflect.TypeOf(policy.ID("")) {
			continue // identifiers are anchors and references, not text
		}
		if sf.Type.Kind() == reflect.Bool && !v.Field(i).Bool() {
			w.falseFlag(v, key, path)
			continue
		}
		prose := strings.Contains(sf.Tag.Get("policy"), "prose")
		w.leaf(v.Field(i), path, prose)
	}
}

func (w *walker) add(path string, md bool, want ...string) {
	w.facts = append(w.facts, fact{path: path, want: want, md: md})
}

func (w *walker) leaf(v reflect.Value, path string, prose bool) {
	t := v.Type()
	switch {
	case t == textType:
		s := v.Interface().(policy.Text).Get(w.loc)
		if strings.TrimSpace(s) == "" || strings.Contains(s, "{{") {
			return // silent, or prose whose fact references are expanded, not copied
		}
		w.add(path, prose, s)
	case t == refType:
		if id := v.Interface().(policy.Ref).ID; id != "" {
			w.add(path, false, w.names[id]...)
		}
	case t == refsType:
		for _, r := range v.Interface().(policy.Refs) {
			w.add(path, false, w.names[r.ID]...)
		}
	case t == durationType:
		if d := v.Interface().(policy.Duration); !d.IsZero() {
			key := "duration." + string(d.Unit)
			if d.N == 1 {
				key += ".one"
			}
			w.add(path, false, fmt.Sprintf(w.labels[key], d.N))
		}
	case t == dateType:
		if d := v.Interface().(policy.Date); !d.IsZero() {
			w.add(path, false, d.Time().Format(w.labels["date"]))
		}
	case t.Kind() == reflect.Pointer:
		if !v.IsNil() {
			w.walk(v.Elem(), t.Elem().Name(), path)
		}
	case t.Kind() == reflect.Struct:
		w.walk(v, t.Name(), path)
	case t.Kind() == reflect.Slice:
		for i := range v.Len() {
			w.leaf(v.Index(i), path, prose)
		}
	case t.Kind() == reflect.Bool:
		if !v.Bool() {
			return // a false flag prints nothing
		}
		key, ok := boolText[path]
		if !ok {
			w.unknown = append(w.unknown, path)
			return
		}
		if key != "" {
			w.add(path, false, strings.TrimSpace(strings.Trim(w.labels[key], "()（）")))
		}
	case t.Kind() == reflect.Int:
		if n := v.Int(); n != 0 && bandAges[path] {
			w.add(path, false, strconv.FormatInt(n, 10))
		} else if n != 0 {
			key, ok := intText[path]
			if !ok {
				w.unknown = append(w.unknown, path)
				return
			}
			w.facts = append(w.facts, fact{path: path, want: []string{strconv.FormatInt(n, 10)}, label: w.labels[key], num: n})
		}
	case t.Kind() == reflect.String:
		s := v.String()
		if s == "" {
			return
		}
		switch name := t.Name(); {
		case name == "Jurisdiction":
			w.add(path, false, jurisdictionNames[s])
		case name == "Requirement":
			// required and optional are worded; "not-stated" prints nothing.
			if s != "not-stated" {
				w.add(path, false, w.labels[s])
			}
		case enumPrefix[name] != "":
			w.add(path, false, w.labels[enumPrefix[name]+"."+s])
		case name == "string" || name == "URL" || name == "Email" || name == "Phone":
			w.add(path, false, s)
		default:
			w.unknown = append(w.unknown, path+" (enumeration "+name+")")
		}
	default:
		w.unknown = append(w.unknown, path)
	}
}

// refNames maps each id to the texts that name its element: a name, title,
// term or label, or for a retention rule its criteria.
func refNames(p *policy.Policy, loc string) map[policy.ID][]string {
	out := map[policy.ID][]string{}
	var visit func(v reflect.Value)
	visit = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				visit(v.Elem())
			}
		case reflect.Slice:
			for i := range v.Len() {
				visit(v.Index(i))
			}
		case reflect.Struct:
			if v.Type() == textType {
				return
			}
			if idf := v.FieldByName("ID"); idf.IsValid() && idf.Kind() == reflect.String {
				id := policy.ID(idf.String())
				for _, name := range []string{"Name", "Title", "Term", "Label", "Criteria", "Text"} {
					if f := v.FieldByName(name); f.IsValid() && f.Type() == textType {
						if s := f.Interface().(policy.Text).Get(loc); s != "" {
							out[id] = append(out[id], s)
						}
					}
				}
				if f := v.FieldByName("Value"); f.IsValid() && f.Kind() == reflect.String && f.String() != "" {
					out[id] = append(out[id], f.String())
				}
			}
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					visit(v.Field(i))
				}
			}
		}
	}
	visit(reflect.ValueOf(p).Elem())
	return out
}

// sentencePattern matches a label as printed with the number n for its %d
// and any words for its other placeholders, case-insensitively.
func sentencePattern(label string, n int64, pdf bool) *regexp.Regexp {
	fix := func(s string) string {
		s = strings.ToLower(s)
		if pdf {
			s = squeeze(s)
		}
		return regexp.QuoteMeta(s)
	}
	var re strings.Builder
	last := 0
	for _, m := range placeholder.FindAllStringIndex(label, -1) {
		re.WriteString(fix(label[last:m[0]]))
		if label[m[1]-1] == 'd' {
			re.WriteString(strconv.FormatInt(n, 10))
		} else {
			re.WriteString(`.{1,40}?`)
		}
		last = m[1]
	}
	re.WriteString(fix(label[last:]))
	return regexp.MustCompile(re.String())
}
