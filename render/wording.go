package render

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/policyc/policyc/policy"
)

// Wording says changes in plain language, in one locale: things by the
// names the policy gives them, fields by their labels, and the old and new
// values. Every output that shows a change to a person words it here, so
// no path or field name of the model reaches a reader.
type Wording struct {
	old, new *composer
	loc      string
}

// Wording words changes from old to new in a locale. Either model may be
// nil (an archived verdict read without its models): names then fall back
// to the values the change records.
func (r *Renderer) Wording(old, new *policy.Policy, locale string) (*Wording, error) {
	labels, err := r.labels(locale)
	if err != nil {
		return nil, err
	}
	if old == nil {
		old = &policy.Policy{}
	}
	if new == nil {
		new = &policy.Policy{}
	}
	return &Wording{
		old: &composer{r: r, p: old, loc: locale, labels: labels},
		new: &composer{r: r, p: new, loc: locale, labels: labels},
		loc: locale,
	}, nil
}

// Locale is the wording's locale.
func (w *Wording) Locale() string { return w.loc }

// Sentence says one change as a sentence.
func (w *Wording) Sentence(ch policy.Change) string {
	s := w.specific(ch)
	if s == "" {
		s = w.generic(ch)
	}
	return noControls(finish(s))
}

// finish capitalises a sentence and drops the full stop a value brought
// when the template adds its own ("Pte. Ltd.." → "Pte. Ltd.").
func finish(s string) string {
	for _, double := range []string{"..", ".。", "。。", "。."} {
		if strings.HasSuffix(s, double) {
			_, n := utf8.DecodeLastRuneInString(s)
			s = s[:len(s)-n]
		}
	}
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

func (w *Wording) tf(key string, args ...any) string { return fmt.Sprintf(w.new.t(key), args...) }

// Label names a model field ("sdks.region") for a reader, as sentences do.
func (w *Wording) Label(field string) string { return w.label(field) }

// label names a model field ("sdks.region") for a reader: its own label,
// or the label of its name wherever it appears.
func (w *Wording) label(field string) string {
	if v, ok := w.new.labels["f."+field]; ok {
		return v
	}
	return w.new.t("f." + field[strings.LastIndexByte(field, '.')+1:])
}

// plain strips Markdown emphasis and escapes from a name or value.
func plain(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "**", ""), `\`, "")
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 120 {
		cut := 117
		// At the last word boundary before the limit, never inside a word
		// (text without spaces, such as Chinese, is cut at the limit).
		if i := strings.LastIndexByte(string(r[:cut+1]), ' '); i > 0 && utf8.RuneCountInString(string(r[:cut+1])[:i]) > 60 {
			cut = utf8.RuneCountInString(string(r[:cut+1])[:i])
		}
		s = strings.TrimRight(string(r[:cut]), " ,;:") + "…"
	}
	return s
}

// referent is the list a reference field's ids point into.
func referent(field string) string {
	switch field[strings.LastIndexByte(field, '.')+1:] {
	case "collects", "uses", "data":
		return "data_categories"
	case "purposes":
		return "purposes"
	case "sdks":
		return "sdks"
	case "recipients", "recipient":
		return "recipients"
	case "channels", "contact":
		if field == "rights.channels" || field == "children.contact" {
			return "contacts.channels"
		}
	case "subjects":
		return "subjects"
	case "retention":
		if field == "data_categories.retention" {
			return "storage.retention"
		}
	case "rules":
		return "documents"
	}
	return ""
}

// enumPrefix is the i18n prefix that names an enumeration's values.
var enumPrefix = map[string]string{
	"data_categories.sources": "source.", "purposes.legal_basis": "basis.", "activities.legal_basis": "basis.",
	"recipients.kind": "kind.", "recipients.form": "form.", "controller.affiliates.relation": "relation.",
	"changes.impact_assessment.risk": "risk.", "rights.fee": "fee.", "requests.fee": "fee.",
	"contacts.channels.kind": "chan.", "changes.channels": "notice.", "changes.significant_channels": "notice.",
	"security.incident.channels": "notice.", "cookies.kinds.technology": "tech.",
	"storage.cross_border.routes.mechanism": "mech.", "sharing.cases.consent": "consent.",
	"transfer.cases.consent": "consent.", "public_disclosure.cases.consent": "consent.",
	"activities.required": "need.", "activities.items.required": "need.",
}

// name is what a reader calls the element at path (which ends with an id)
// in the composer's model: its name, term, title, label or region, else
// the id.
// midName is name as it stands inside a sentence: a category's name or a
// type of recipient lower-cased where the locale does so, as the policy
// itself prints them, proper names kept.
func (w *Wording) midName(c *composer, path policy.Path) string {
	s := w.name(c, path)
	if !c.casesNames() {
		return s
	}
	switch x, _ := policy.Lookup(c.p, path); x := x.(type) {
	case policy.DataCategory:
		return lowerName(s, x.ProperName)
	case policy.Recipient:
		return lowerName(s, x.Named)
	}
	return s
}

func (w *Wording) name(c *composer, path policy.Path) string {
	switch path.Field() {
	case "storage.retention":
		if x, ok := policy.Lookup(c.p, path); ok {
			if s := plain(c.appliesTo(x.(policy.RetentionRule))); s != "" {
				return s
			}
		}
	case "contacts.channels":
		if x, ok := policy.Lookup(c.p, path); ok {
			ch := x.(policy.Channel)
			if l := ch.Label.Get(c.loc); l != "" {
				return plain(l)
			}
			return c.t("chan."+string(ch.Kind)) + " " + ch.Value
		}
	}
	x, ok := policy.Lookup(c.p, path)
	if !ok {
		return path.ID(strings.Count(path.String(), "[") - 1)
	}
	v := reflect.ValueOf(x)
	if v.Kind() == reflect.Struct {
		for _, f := range []string{"Name", "Term", "Title", "Label", "Region", "To", "Text"} {
			if fv := v.FieldByName(f); fv.IsValid() {
				if t, ok := fv.Interface().(policy.Text); ok {
					if s := t.Get(c.loc); s != "" {
						// A name ends no sentence: the template punctuates.
						return strings.TrimRight(plain(s), ".;:。；：")
					}
				}
			}
		}
	}
	return path.ID(strings.Count(path.String(), "[") - 1)
}

// display is a value as a reader reads it: the thing an id refers to by
// name, an enumeration by its label, a duration or date in the locale's
// words, a text in the locale, yes or no.
func (w *Wording) display(c *composer, ch policy.Change, path policy.Path, raw string) string {
	field := path.Field()
	if _, isValue := path.Value(); !isValue && path.Last() == policy.FieldStep {
		if x, ok := policy.Lookup(c.p, path); ok {
			switch x := x.(type) {
			case policy.Text:
				if s := x.Get(c.loc); s != "" {
					return plain(s)
				}
			case policy.Duration:
				if !x.IsZero() {
					return c.duration(x)
				}
			case policy.Date:
				if !x.IsZero() {
					return c.date(x)
				}
			}
		}
	}
	if raw == "" {
		return ""
	}
	if _, isValue := path.Value(); isValue {
		// An element of a list without ids: said whole where its kind is
		// known (a basis with where it applies, an item with whether it
		// is required, an age band with whose consent), else by its first
		// text.
		if x, ok := policy.Lookup(c.p, path); ok {
			if s := w.element(c, x); s != "" {
				return s
			}
		}
		if x, ok := policy.Lookup(c.p, path); ok {
			if v := reflect.ValueOf(x); v.Kind() == reflect.Struct {
				for i := range v.NumField() {
					if !v.Type().Field(i).IsExported() {
						continue
					}
					if t, ok := v.Field(i).Interface().(policy.Text); ok && t.Get(c.loc) != "" {
						return plain(t.Get(c.loc))
					}
				}
			}
		}
	}
	if k := referent(field); k != "" {
		kp, err := policy.ParsePath(k)
		if err == nil {
			return w.name(c, append(kp, policy.Step{Kind: policy.IDStep, Name: raw}))
		}
	}
	if p, ok := enumPrefix[field]; ok {
		if v, ok := c.labels[p+raw]; ok {
			return v
		}
	}
	switch raw {
	case "true":
		return c.t("n.g.yes")
	case "false":
		return c.t("n.g.no")
	}
	if d, err := policy.ParseDuration(raw); err == nil && !d.IsZero() {
		return c.duration(d)
	}
	if d, err := policy.ParseDate(raw); err == nil {
		return c.date(d)
	}
	return plain(raw)
}

// element is an element of a list without ids as a reader reads it: a
// legal basis with the regions and regimes it is for, an activity's item
// with whether it must be given, an age band with whose consent it needs;
// "" for other kinds.
func (w *Wording) element(c *composer, x any) string {
	paren := func(s string) string { return c.t("paren.open") + s + c.t("paren.close") }
	switch x := x.(type) {
	case policy.PurposeBasis:
		s := c.t("basis." + string(x.Basis))
		if r := plain(x.Regions.Get(c.loc)); r != "" {
			s += paren(r)
		}
		for _, j := range x.Jurisdictions {
			s += paren(jurisdictionName(j))
		}
		return s
	case policy.ActivityItem:
		return plain(x.Item.Get(c.loc)) + paren(c.t("need."+string(x.Required)))
	case policy.AgeBand:
		return w.band(c, x)
	}
	return ""
}

// band is an age band and whose consent it needs: "aged 14 to under 18:
// a parent or guardian and the child consent".
func (w *Wording) band(c *composer, b policy.AgeBand) string {
	var s string
	switch {
	case b.From != 0 && b.Under != 0:
		s = fmt.Sprintf(c.t("child.band.between"), b.From, b.Under)
	case b.Under != 0:
		s = fmt.Sprintf(c.t("child.band.under"), b.Under)
	default:
		s = fmt.Sprintf(c.t("child.band.from"), b.From)
	}
	if r := plain(b.Regions.Get(c.loc)); r != "" {
		s += c.t("paren.open") + r + c.t("paren.close")
	}
	for _, j := range b.Jurisdictions {
		s += c.t("paren.open") + jurisdictionName(j) + c.t("paren.close")
	}
	if c.casesNames() {
		// "Under 14" heads a list item; inside a sentence it is "under 14".
		r, n := utf8.DecodeRuneInString(s)
		s = string(unicode.ToLower(r)) + s[n:]
	}
	return s + c.t("colon") + strings.TrimRight(c.t("child.by."+string(b.Consent)), ".。")
}

// owner is the innermost element the path lies in, as the path to it, and
// whether there is one.
func owner(path policy.Path, before int) (policy.Path, bool) {
	for i := before - 1; i >= 0; i-- {
		if path[i].Kind == policy.IDStep {
			return path[:i+1], true
		}
	}
	return nil, false
}

// generic words any change from the labels: what changed, where, and the
// old and new values.
func (w *Wording) generic(ch policy.Change) string {
	p := ch.Path
	c := w.new
	if ch.Kind == policy.Removed {
		c = w.old
	}
	n := len(p)
	switch p.Last() {
	case policy.IDStep:
		list := w.label(p.Field())
		what := w.name(c, p)
		if o, ok := owner(p, n-1); ok {
			return w.of(ch.Kind, "n.g.added", "n.g.removed", w.ownerName(o), list, what)
		}
		return w.of(ch.Kind, "n.g.added", "n.g.removed", "", list, what)
	case policy.ValueStep:
		raw, _ := p.Value()
		list := w.label(p.Field())
		what := w.display(c, ch, p, raw)
		if o, ok := owner(p, n-1); ok {
			return w.of(ch.Kind, "n.g.added", "n.g.removed", w.ownerName(o), list, what)
		}
		return w.of(ch.Kind, "n.g.added", "n.g.removed", "", list, what)
	}
	label := w.label(p.Field())
	o, hasOwner := owner(p, n)
	ownerName := ""
	if hasOwner {
		ownerName = w.ownerName(o)
	}
	key := func(k string) string {
		if hasOwner {
			return k + ".of"
		}
		return k
	}
	args := func(vals ...any) []any {
		if hasOwner {
			return append([]any{ownerName, label}, vals...)
		}
		return append([]any{label}, vals...)
	}
	if ch.Prose && policy.IsProse(p) {
		s := w.tf(key("n.g.wording"), args()...)
		if ch.Kind != policy.Changed {
			// A text stated where there was none, or no longer stated: said
			// with what it says (source with fact references excepted).
			side, raw := w.new, ch.New
			if ch.Kind == policy.Removed {
				side, raw = w.old, ch.Old
			}
			if v := oneLine(w.display(side, ch, p, raw)); v != "" && !strings.Contains(v, "{{") {
				if ch.Kind == policy.Added {
					return w.tf(key("n.g.set"), args("“"+v+"”")...)
				}
				return w.tf(key("n.g.unset"), args("“"+v+"”")...)
			}
			return s
		}
		// Where the text changed, quoted with a few words around it, in
		// the sentence's own locale: the first words of a long text may
		// read the same before and after. The change records one locale's
		// text; where this locale's reads as it did, another's changed.
		oldText, newText := ch.Old, ch.New
		if ot, ok := localText(w.old, p); ok {
			if nt, ok := localText(w.new, p); ok {
				if oneLine(ot) == oneLine(nt) {
					return strings.TrimRight(s, ".。") + w.new.t("n.g.other_locale")
				}
				oldText, newText = ot, nt
			}
		}
		before, after, spacing := QuoteChange(oldText, newText)
		if strings.Contains(before+after, "{{") {
			return s // source with fact references: the redline shows it as published
		}
		s = strings.TrimRight(s, ".。")
		if spacing {
			return s + w.tf("n.g.spacing")
		}
		before, after = oneLine(before), oneLine(after)
		switch {
		case before == "" && after == "":
			return s + w.new.t("period") // nothing to quote: the redline shows it
		case before == "":
			return s + w.tf("n.g.quote.added", after)
		case after == "":
			return s + w.tf("n.g.quote.removed", before)
		}
		return s + w.tf("n.g.quote", before, after)
	}
	// A whole part of the policy (children's rules, cookies) comes or goes:
	// its contents are not one value.
	if x, ok := policy.Lookup(c.p, p); ok && reflect.ValueOf(x).Kind() == reflect.Pointer && (ch.Kind == policy.Added || ch.Kind == policy.Removed) {
		if ch.Kind == policy.Added {
			return w.tf(key("n.g.part.added"), args()...)
		}
		return w.tf(key("n.g.part.removed"), args()...)
	}
	oldV, newV := w.display(w.old, ch, p, ch.Old), w.display(w.new, ch, p, ch.New)
	switch {
	case ch.Kind == policy.Added || oldV == "":
		return w.tf(key("n.g.set"), args(newV)...)
	case ch.Kind == policy.Removed || newV == "":
		return w.tf(key("n.g.unset"), args(oldV)...)
	}
	return w.tf(key("n.g.changed"), args(oldV, newV)...)
}

// ownerName names the element a change lies in as it was before the
// change (its own name may be what changed), or as it is now when it is
// new.
func (w *Wording) ownerName(o policy.Path) string {
	if _, ok := policy.Lookup(w.old.p, o); ok {
		return w.name(w.old, o)
	}
	return w.name(w.new, o)
}

// of words an element or value added or removed, inside an owner or not.
func (w *Wording) of(kind policy.ChangeKind, added, removed, owner, list, what string) string {
	key := added
	if kind == policy.Removed {
		key = removed
	}
	if owner != "" {
		return w.tf(key+".of", owner, list, what)
	}
	return w.tf(key, list, what)
}

// specific words the changes people are most often told about in the
// sentences a notice uses; "" leaves a change to the generic wording.
func (w *Wording) specific(ch policy.Change) string {
	p := ch.Path
	c, co := w.new, w.old
	added, removed := ch.Kind == policy.Added, ch.Kind == policy.Removed
	element := p.Last() == policy.IDStep
	val, isValue := p.Value()
	// first is the element the change lies in ("sdks[maps]").
	var first policy.Path
	for i, st := range p {
		if st.Kind == policy.IDStep {
			first = p[:i+1]
			break
		}
	}
	ref := func(cc *composer, kind, id string) string {
		kp, _ := policy.ParsePath(kind)
		return w.midName(cc, append(kp, policy.Step{Kind: policy.IDStep, Name: id}))
	}
	it := func(cc *composer) string { return w.midName(cc, first) }
	switch f := p.Field(); {
	case f == "recipients" && element && added:
		if x, ok := policy.Lookup(c.p, p); ok && len(x.(policy.Recipient).Data) > 0 {
			return w.tf("n.recipient.added.data", plain(c.categoryNames(x.(policy.Recipient).Data)), it(c))
		}
		return w.tf("n.recipient.added", it(c))
	case f == "recipients" && element && removed:
		return w.tf("n.recipient.removed", it(co))
	case f == "recipients.data" && isValue && added:
		return w.tf("n.recipient.data.added", ref(c, "data_categories", val), it(c))
	case f == "recipients.data" && isValue && removed:
		return w.tf("n.recipient.data.removed", ref(co, "data_categories", val), it(co))
	case f == "sdks" && element && added:
		if x, ok := policy.Lookup(c.p, p); ok {
			s := x.(policy.SDK)
			return w.tf("n.sdk.added", plain(s.Name.Get(c.loc)), plain(s.Provider.Get(c.loc)), plain(c.categoryNames(s.Collects)))
		}
	case f == "sdks" && element && removed:
		return w.tf("n.sdk.removed", it(co))
	case f == "sdks.collects" && isValue && added:
		return w.tf("n.sdk.collects.added", it(c), ref(c, "data_categories", val))
	case f == "sdks.collects" && isValue && removed:
		return w.tf("n.sdk.collects.removed", it(co), ref(co, "data_categories", val))
	case f == "data_categories" && element && added:
		return w.tf("n.category.added", it(c))
	case f == "data_categories" && element && removed:
		return w.tf("n.category.removed", it(co))
	case f == "data_categories.items" && isValue && added:
		return w.tf("n.item.added", w.display(c, ch, p, val), it(c))
	case f == "data_categories.sensitive" && ch.New == "true":
		return w.tf("n.sensitive", it(c))
	case f == "activities" && element && added:
		return w.tf("n.activity.added", it(c))
	case f == "activities.uses" && isValue && added:
		return w.tf("n.activity.uses.added", it(c), ref(c, "data_categories", val))
	case f == "activities.uses" && isValue && removed:
		return w.tf("n.activity.uses.removed", it(co), ref(co, "data_categories", val))
	case f == "activities.purposes" && isValue && added:
		return w.tf("n.activity.purposes.added", it(c), ref(c, "purposes", val))
	case f == "purposes" && element && added:
		return w.tf("n.purpose.added", it(c))
	case f == "purposes" && element && removed:
		return w.tf("n.purpose.removed", it(co))
	case f == "storage.cross_border.routes" && element && added:
		if x, ok := policy.Lookup(c.p, p); ok {
			r := x.(policy.TransferRoute)
			return w.tf("n.route.added", plain(c.categoryNames(r.Data)), plain(c.recipientNames(policy.Refs{r.Recipient})), plain(r.To.Get(c.loc)))
		}
	case f == "storage.cross_border.transfers" && ch.New == "true":
		return c.t("n.transfers.started")
	case f == "storage.locations" && element && added:
		if x, ok := policy.Lookup(c.p, p); ok {
			l := x.(policy.Location)
			if from := l.Collected.Get(c.loc); from != "" {
				return w.tf("n.storage.added.from", plain(l.Region.Get(c.loc)), plain(from))
			}
			return w.tf("n.storage.added", plain(l.Region.Get(c.loc)))
		}
	case f == "storage.locations" && element && removed:
		return w.tf("n.storage.removed", it(co))
	case f == "storage.retention.period" && !removed && ch.Old != "":
		return w.tf("n.retention.period", it(c), w.display(c, ch, p, ch.New), w.display(co, ch, p, ch.Old))
	case f == "rights" && element && removed:
		return w.tf("n.right.removed", it(co))
	case f == "requests.response_time" && ch.Kind == policy.Changed:
		return w.tf("n.reply_time.was", w.display(c, ch, p, ch.New), w.display(co, ch, p, ch.Old))
	case f == "contacts.response_time" && ch.Kind == policy.Changed:
		// The general reply time, not the one for requests to exercise a
		// right: said apart, so that a change of both reads as two facts.
		return w.tf("n.contact_reply.was", w.display(c, ch, p, ch.New), w.display(co, ch, p, ch.Old))
	case f == "rights.response_time" && ch.Kind == policy.Changed:
		return w.tf("n.response_time", it(c)+c.t("colon")+w.label(f), w.display(c, ch, p, ch.New), w.display(co, ch, p, ch.Old))
	case f == "contacts.channels.value" && ch.Kind == policy.Changed:
		return w.tf("n.contact.value", it(co), plain(ch.New))
	case f == "contacts.channels" && element && added:
		return w.tf("n.contact.added", it(c))
	case strings.HasPrefix(f, "contacts.officer.") && !ch.Prose && !removed:
		return w.tf("n.officer.changed", w.label(f), w.display(c, ch, p, ch.New))
	case f == "changes.impact_assessment.risk" && ch.New != "":
		return w.tf("n.risk.level", w.display(c, ch, p, ch.New))
	case f == "activities.items" && isValue:
		// An item whose requirement changed is one removed and one added:
		// both say the item as it was and as it is.
		if s := w.itemRequirement(p); s != "" {
			return s
		}
	case f == "requests.limit" || f == "requests.limit.times" || f == "requests.limit.per" ||
		f == "rights.limit" || f == "rights.limit.times" || f == "rights.limit.per":
		return w.limit(p, first)
	case f == "requests.extension" || f == "requests.extension.by" || f == "rights.extension" || f == "rights.extension.by":
		return w.extension(p, first)
	case f == "storage.retention.starts" && ch.Kind == policy.Changed:
		return w.tf("n.retention.starts", it(c), plain(ch.New), plain(ch.Old))
	case f == "storage.retention.conditions":
		return w.conditions(it(c), ch)
	case f == "children.age" && ch.Kind == policy.Changed:
		o, _ := strconv.Atoi(ch.Old)
		n, _ := strconv.Atoi(ch.New)
		return w.tf("n.children.age", n, o)
	case f == "controller.affiliates.shares_data" && ch.New == "true":
		return w.tf("n.affiliate.shares", it(c))
	}
	return ""
}

// upTo is path up to and including its field step named field.
func upTo(path policy.Path, field string) policy.Path {
	for i, st := range path {
		if st.Kind == policy.FieldStep && st.Name == field {
			return path[:i+1]
		}
	}
	return path
}

// lead is "Name: " for a change inside an element (a right), else "".
func (w *Wording) lead(first policy.Path) string {
	if first == nil {
		return ""
	}
	return w.ownerName(first) + w.new.t("colon")
}

// limit says a request limit as it is and as it was.
func (w *Wording) limit(path, first policy.Path) string {
	return w.whole(upTo(path, "limit"), first, "n.limit.", func(c *composer, x any) string {
		l, ok := x.(*policy.RequestLimit)
		if !ok || l == nil {
			return ""
		}
		return strings.TrimRight(c.requestLimit(*l), ".。")
	})
}

// extension says how much longer a reply may take, now and before.
func (w *Wording) extension(path, first policy.Path) string {
	return w.whole(upTo(path, "extension"), first, "n.extension.", func(c *composer, x any) string {
		e, ok := x.(*policy.Extension)
		if !ok || e == nil {
			return ""
		}
		return c.duration(e.By)
	})
}

// whole says the fact at path whole, as say words it in each version,
// with the sentence prefix+"set", "unset" or "changed": a change to one
// of its parts (a limit's number) reads with the whole before and after.
func (w *Wording) whole(at, first policy.Path, prefix string, say func(c *composer, x any) string) string {
	in := func(c *composer) string {
		if x, ok := policy.Lookup(c.p, at); ok {
			return say(c, x)
		}
		return ""
	}
	was, now := in(w.old), in(w.new)
	switch {
	case now == "" && was == "":
		return ""
	case was == "":
		return w.lead(first) + w.tf(prefix+"set", now)
	case now == "":
		return w.lead(first) + w.tf(prefix+"unset", was)
	}
	return w.lead(first) + w.tf(prefix+"changed", now, was)
}

// conditions says which retention conditions came and went.
func (w *Wording) conditions(what string, ch policy.Change) string {
	lines := func(s string) []string {
		var out []string
		for _, l := range strings.Split(s, "\n") {
			if l = plain(l); l != "" {
				out = append(out, l)
			}
		}
		return out
	}
	was, now := lines(ch.Old), lines(ch.New)
	var out []string
	for _, l := range now {
		if !slices.Contains(was, l) {
			out = append(out, finish(w.tf("n.retention.condition.added", what, l)))
		}
	}
	for _, l := range was {
		if !slices.Contains(now, l) {
			out = append(out, finish(w.tf("n.retention.condition.removed", what, l)))
		}
	}
	return strings.Join(out, w.new.t("sentence.sep"))
}

// itemRequirement says an activity's item whose requirement (or note)
// changed, as it is and as it was; "" for an item added or removed whole.
func (w *Wording) itemRequirement(path policy.Path) string {
	item := func(c *composer) (policy.ActivityItem, bool) {
		x, ok := policy.Lookup(c.p, path)
		if !ok {
			return policy.ActivityItem{}, false
		}
		return x.(policy.ActivityItem), true
	}
	// The element at path exists on one side; its namesake on the other.
	namesake := func(c *composer, name string) (policy.ActivityItem, bool) {
		x, ok := policy.Lookup(c.p, path[:len(path)-1])
		if !ok {
			return policy.ActivityItem{}, false
		}
		for _, it := range x.([]policy.ActivityItem) {
			if it.Item.Get(c.loc) == name {
				return it, true
			}
		}
		return policy.ActivityItem{}, false
	}
	var was, now policy.ActivityItem
	if it, ok := item(w.new); ok {
		now = it
		if was, ok = namesake(w.old, it.Item.Get(w.loc)); !ok {
			return ""
		}
	} else if it, ok := item(w.old); ok {
		was = it
		if now, ok = namesake(w.new, it.Item.Get(w.loc)); !ok {
			return ""
		}
	} else {
		return ""
	}
	if was.Required == now.Required {
		return ""
	}
	owner, _ := owner(path, len(path)-1)
	return w.tf("n.item.required", w.ownerName(owner), plain(now.Item.Get(w.loc)), w.new.t("need."+string(now.Required)), w.new.t("need."+string(was.Required)))
}

// localText is the text at p in a version's model, in the composer's
// locale; false without a model or where p holds no text.
func localText(c *composer, p policy.Path) (string, bool) {
	if c == nil || c.p == nil {
		return "", false
	}
	x, ok := policy.Lookup(c.p, p)
	if !ok {
		return "", false
	}
	switch t := x.(type) {
	case policy.Text:
		return t.Get(c.loc), true
	case *policy.Text:
		return t.Get(c.loc), t != nil
	}
	return "", false
}
