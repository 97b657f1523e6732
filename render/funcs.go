package render

import (
	"bytes"
	"fmt"
	"strings"
	"text/template"

	"github.com/policyc/policyc/policy"
)

// templateFuncStubs lets templates be parsed once; each execution binds the
// functions to its own composer.
var templateFuncStubs = (&composer{}).templateFuncs()

// templateFuncs are the functions of the Markdown block templates.
func (c *composer) templateFuncs() template.FuncMap {
	m := template.FuncMap{
		"t":      func(key string) string { return c.t(key) },
		"tf":     func(key string, args ...any) string { return fmt.Sprintf(c.t(key), args...) },
		"h":      func() string { return strings.Repeat("#", c.level()) },
		"text":   func(t policy.Text) string { return escText(t.Get(c.loc)) },
		"md":     func(t policy.Text) string { return strings.TrimSpace(sanitizeMD(t.Get(c.loc))) },
		"inline": func(t policy.Text) string { return inlineMD(t.Get(c.loc)) },
		"cell": func(v any) string {
			switch v := v.(type) {
			case policy.Text:
				return escText(v.Get(c.loc))
			case string:
				return escText(v)
			}
			return escText(fmt.Sprint(v))
		},
		"esc":          escText,
		"label":        func(prefix string, v any) string { return c.t(prefix + "." + fmt.Sprint(v)) },
		"cats":         c.categoryNames,
		"items":        c.items,
		"purposes":     c.purposeNames,
		"sdknames":     c.sdkNames,
		"rcpnames":     c.recipientNames,
		"rcpname":      func(r policy.Ref) string { return c.recipientNames(policy.Refs{r}) },
		"sources":      c.sources,
		"retention":    c.retentionOf,
		"appliesTo":    c.appliesTo,
		"applies":      func(e policy.Exception, scope string) bool { return exceptionApplies(e, scope) },
		"dur":          c.duration,
		"date":         c.date,
		"url":          func(u policy.URL) string { return mdURL(string(u)) },
		"email":        func(e policy.Email) string { return mdURL(string(e)) },
		"phone":        c.phone,
		"channels":     c.channelList,
		"chanvalue":    c.channelValue,
		"notices":      c.notices,
		"jurisdiction": func(j policy.Jurisdiction) string { return jurisdictionName(j) },
		"aside":        c.aside,
		"doclink":      func(id policy.ID) string { return c.documentLink(string(id)) },
	}
	for k, f := range c.factFuncs() {
		m[k] = f
	}
	return m
}

func (c *composer) t(key string) string {
	if v, ok := c.labels[key]; ok {
		return v
	}
	if c.err == nil {
		c.err = fmt.Errorf("no label %q for locale %s", key, c.loc)
	}
	return key
}

// level is the heading level for the block being rendered.
func (c *composer) level() int {
	if c.blockLevel == 0 {
		return 3
	}
	return c.blockLevel
}

func (c *composer) list(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], c.t("list.sep")) + c.t("list.last") + parts[len(parts)-1]
}

func (c *composer) category(id policy.ID) *policy.DataCategory {
	for i := range c.p.DataCategories {
		if c.p.DataCategories[i].ID == id {
			return &c.p.DataCategories[i]
		}
	}
	return nil
}

// categoryName is a category's name, in bold when it is sensitive: the
// seeds promise readers that sensitive information stands out everywhere.
func (c *composer) categoryName(id policy.ID) string {
	cat := c.category(id)
	if cat == nil {
		return escText(string(id))
	}
	name := cat.Name.Get(c.loc)
	if c.casesNames() {
		name = lowerName(name, cat.ProperName)
	}
	name = escText(name)
	if cat.Sensitive {
		return "**" + name + "**"
	}
	return name
}

func (c *composer) categoryNames(rs policy.Refs) string {
	var out []string
	for _, r := range rs {
		out = append(out, c.categoryName(r.ID))
	}
	return c.list(out)
}

// items lists a category's items; every item of a sensitive category is bold.
func (c *composer) items(v any) string {
	var cat *policy.DataCategory
	switch v := v.(type) {
	case policy.DataCategory:
		cat = &v
	case policy.ID:
		cat = c.category(v)
	case string:
		cat = c.category(policy.ID(v))
	}
	if cat == nil {
		return ""
	}
	if len(cat.Items) == 0 {
		return c.categoryName(cat.ID)
	}
	var out []string
	for _, it := range cat.Items {
		s := escText(it.Get(c.loc))
		if cat.Sensitive {
			s = "**" + s + "**"
		}
		out = append(out, s)
	}
	return strings.Join(out, c.t("list.sep"))
}

// namesOf finds the names of referenced elements, in reference order.
func namesOf[T any](c *composer, rs policy.Refs, xs []T, idName func(*T) (policy.ID, policy.Text)) []string {
	var out []string
	for _, r := range rs {
		for i := range xs {
			if id, name := idName(&xs[i]); id == r.ID {
				out = append(out, escText(name.Get(c.loc)))
			}
		}
	}
	return out
}

// purposeNames lists purposes. Purposes are phrases that may contain "and"
// themselves, so they are separated by semicolons.
func (c *composer) purposeNames(rs policy.Refs) string {
	return strings.Join(namesOf(c, rs, c.p.Purposes, func(x *policy.Purpose) (policy.ID, policy.Text) { return x.ID, x.Name }), c.t("list.phrase"))
}

func (c *composer) sdkNames(rs policy.Refs) string {
	return c.list(namesOf(c, rs, c.p.SDKs, func(x *policy.SDK) (policy.ID, policy.Text) { return x.ID, x.Name }))
}

// recipientNames lists recipients; a type of recipient ("advertising
// partners") is a common noun and reads lower-case inside a sentence, a
// named company keeps its name.
func (c *composer) recipientNames(rs policy.Refs) string {
	var out []string
	for _, r := range rs {
		for _, x := range c.p.Recipients {
			if x.ID == r.ID {
				name := x.Name.Get(c.loc)
				if c.casesNames() {
					name = lowerName(name, x.Named)
				}
				out = append(out, escText(name))
			}
		}
	}
	return c.list(out)
}

func (c *composer) sources(ss []policy.Source) string {
	var out []string
	for _, s := range ss {
		out = append(out, c.t("source."+string(s)))
	}
	return c.list(out)
}

func (c *composer) retentionOf(r policy.Ref) string {
	for _, rule := range c.p.Storage.Retention {
		if rule.ID == r.ID {
			return inlineMD(rule.Criteria.Get(c.loc))
		}
	}
	return ""
}

// appliesTo lists the categories a retention rule governs.
func (c *composer) appliesTo(rule policy.RetentionRule) string {
	var out []string
	for _, cat := range c.p.DataCategories {
		if cat.Retention.ID == rule.ID {
			out = append(out, c.categoryName(cat.ID))
		}
	}
	return c.list(out)
}

func exceptionApplies(e policy.Exception, scope string) bool {
	for _, s := range e.AppliesTo {
		if string(s) == scope {
			return true
		}
	}
	return false
}

func (c *composer) duration(d policy.Duration) string {
	if d.IsZero() {
		return ""
	}
	key := "duration." + string(d.Unit)
	if d.N == 1 {
		key += ".one"
	}
	return fmt.Sprintf(c.t(key), d.N)
}

// requestLimit says how often a request may be made ("2 requests in 12
// months.", "1 request in 1 year.").
func (c *composer) requestLimit(l policy.RequestLimit) string {
	key := "req.limit.n"
	if l.Times == 1 {
		key += ".one"
	}
	return fmt.Sprintf(c.t(key), l.Times, c.duration(l.Per))
}

func (c *composer) date(d policy.Date) string {
	if d.IsZero() {
		return ""
	}
	if d.IsMonth() {
		return d.Time().Format(c.t("date.month")) // "August 2025", as the policy names it
	}
	return d.Time().Format(c.t("date"))
}

// LocalDate is a date as a locale's readers write it, with the labels of
// that locale (Renderer.Labels): "2 December 2026", "2026年12月2日"; a
// month-only date as written ("August 2025", "2025年8月"), never as the
// 1st. Machine-readable places keep the ISO form (policy.Date.String).
func LocalDate(labels map[string]string, d policy.Date) string {
	return (&composer{labels: labels}).date(d)
}

func (c *composer) phone(p policy.Phone) string {
	tel := strings.Map(func(r rune) rune {
		if r == '+' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, string(p))
	return "[" + escText(string(p)) + "](tel:" + tel + ")"
}

func (c *composer) channelValue(ch policy.Channel) string {
	switch ch.Kind {
	case "email", "web", "online-service":
		return mdURL(ch.Value)
	case "phone":
		return c.phone(policy.Phone(ch.Value))
	}
	return escText(ch.Value)
}

func (c *composer) channelList(rs policy.Refs) string {
	var out []string
	for _, ch := range c.channelsOf(rs) {
		out = append(out, c.channelValue(ch))
	}
	return c.list(out)
}

func (c *composer) notices(ns []policy.NoticeChannel) string {
	var out []string
	for _, n := range ns {
		out = append(out, c.t("notice."+string(n)))
	}
	return c.list(out)
}

func jurisdictionName(j policy.Jurisdiction) string {
	switch j {
	case "cn-pipl":
		return "PIPL"
	case "eu-gdpr":
		return "GDPR"
	case "uk-gdpr":
		return "UK GDPR"
	case "us-ccpa":
		return "CCPA"
	case "us-coppa":
		return "COPPA"
	}
	return string(j)
}

// sectionLink links to a section, in this document or another.
func (c *composer) sectionLink(id string) string {
	title := id
	find := func(ss []policy.Section) {
		for _, s := range ss {
			if string(s.ID) == id {
				title = s.Title.Get(c.loc)
			}
		}
	}
	find(c.p.Sections)
	for _, d := range c.p.Documents {
		find(d.Sections)
	}
	target := "#" + id
	if home := c.home[id]; home != c.doc {
		target = home + "." + c.loc + ".md" + target
	}
	return "[" + escText(title) + "](" + target + ")"
}

func (c *composer) documentLink(id string) string {
	for _, d := range c.p.Documents {
		if string(d.ID) == id {
			if id == c.doc {
				return escText(d.Title.Get(c.loc))
			}
			return "[" + escText(d.Title.Get(c.loc)) + "](" + id + "." + c.loc + ".md)"
		}
	}
	return escText(id)
}

// block renders a block template at the current heading level.
func (c *composer) block(name string, data BlockData) string {
	data.P = c.p
	var buf bytes.Buffer
	if err := c.exec("md/"+name+".md", &buf, data); err != nil && c.err == nil {
		c.err = err
	}
	return "\n\n" + strings.TrimSpace(buf.String()) + "\n\n"
}

// proseFunc evaluates one fact reference; arg is "" for a function that
// takes none.
type proseFunc func(arg string) string

// proseFuncs implements policy.ProseFuncs.
func (c *composer) proseFuncs() map[string]proseFunc {
	inline := func(f func(string) string) proseFunc { return f }
	blk := func(name string) proseFunc {
		return func(arg string) string {
			return c.block(name, BlockData{Arg: arg})
		}
	}
	disclosure := func(d policy.Disclosure) proseFunc {
		return func(string) string {
			return c.block("disclosure", BlockData{D: d})
		}
	}
	lookupName := func(list func() []named) func(string) string {
		return func(id string) string {
			for _, n := range list() {
				if string(n.id) == id {
					return escText(n.name.Get(c.loc))
				}
			}
			return escText(id)
		}
	}
	ctl := c.p.Controller
	m := map[string]proseFunc{
		"controller": inline(func(string) string { return escText(ctl.LegalName.Get(c.loc)) }),
		"short_name": inline(func(string) string {
			if ctl.ShortName.IsZero() {
				return escText(ctl.LegalName.Get(c.loc))
			}
			return escText(ctl.ShortName.Get(c.loc))
		}),
		"address":       inline(func(string) string { return escText(ctl.RegisteredAddress.Get(c.loc)) }),
		"website":       inline(func(string) string { return "<" + string(ctl.Website) + ">" }),
		"updated":       inline(func(string) string { return c.date(firstDate(c.meta.Updated, c.p.Updated)) }),
		"effective":     inline(func(string) string { return c.date(firstDate(c.meta.Effective, c.p.Effective)) }),
		"response_time": inline(func(string) string { return c.duration(c.p.Contacts.ResponseTime) }),
		"children_age": inline(func(string) string {
			if c.p.Children == nil {
				return ""
			}
			return fmt.Sprint(c.p.Children.AgeThreshold)
		}),
		"notice_period": inline(func(string) string { return c.duration(noticePeriod(c.p)) }),
		"category":      inline(func(id string) string { return c.categoryName(policy.ID(id)) }),
		"items":         inline(func(id string) string { return c.items(id) }),
		"activity": inline(lookupName(func() []named {
			return namedList(c.p.Activities, func(a policy.Activity) named { return named{a.ID, a.Name} })
		})),
		"purpose": inline(lookupName(func() []named {
			return namedList(c.p.Purposes, func(a policy.Purpose) named { return named{a.ID, a.Name} })
		})),
		"sdk": inline(lookupName(func() []named {
			return namedList(c.p.SDKs, func(a policy.SDK) named { return named{a.ID, a.Name} })
		})),
		"recipient": inline(lookupName(func() []named {
			return namedList(c.p.Recipients, func(a policy.Recipient) named { return named{a.ID, a.Name} })
		})),
		"right": inline(lookupName(func() []named {
			return namedList(c.p.Rights, func(a policy.Right) named { return named{a.ID, a.Name} })
		})),
		"channel":  inline(func(id string) string { return c.channelList(policy.Refs{{ID: policy.ID(id)}}) }),
		"term":     inline(c.termLink),
		"section":  inline(c.sectionLink),
		"document": inline(c.documentLink),

		"data_categories":      blk("data_categories"),
		"sensitive_categories": blk("sensitive_categories"),
		"activities":           blk("activities"),
		"sdk_table":            blk("sdk_table"),
		"recipients":           blk("recipients"),
		"affiliates":           blk("affiliates"),
		"sharing":              disclosure(c.p.Sharing),
		"transfer":             disclosure(c.p.Transfer),
		"public_disclosure":    disclosure(c.p.Disclosure),
		"exceptions":           blk("exceptions"),
		"storage":              blk("storage"),
		"retention":            blk("retention"),
		"legal_bases":          blk("legal_bases"),
		"children":             blk("children"),
		"rights":               blk("rights"),
		"requests":             blk("requests"),
		"security":             blk("security"),
		"incident":             blk("incident"),
		"cookies":              blk("cookies"),
		"changes":              blk("changes"),
		"contacts":             blk("contacts"),
		"disputes":             blk("disputes"),
		"glossary":             blk("glossary"),
	}
	return m
}

type named struct {
	id   policy.ID
	name policy.Text
}

func namedList[T any](xs []T, f func(T) named) []named {
	out := make([]named, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

// termLink names a glossary term and links to the section that lists the glossary.
func (c *composer) termLink(id string) string {
	for _, t := range c.p.Glossary {
		if string(t.ID) == id {
			for _, s := range c.p.Sections {
				if strings.Contains(s.Body.Get(c.loc), "glossary") {
					target := "#" + string(s.ID)
					if c.doc != "policy" {
						target = "policy." + c.loc + ".md" + target
					}
					return "[" + escText(t.Term.Get(c.loc)) + "](" + target + ")"
				}
			}
			return escText(t.Term.Get(c.loc))
		}
	}
	return escText(id)
}

func firstDate(ds ...policy.Date) policy.Date {
	for _, d := range ds {
		if !d.IsZero() {
			return d
		}
	}
	return policy.Date{}
}

// DefaultNoticePeriod applies when a policy does not set one.
var DefaultNoticePeriod = policy.Duration{N: 30, Unit: policy.Days}

func noticePeriod(p *policy.Policy) policy.Duration {
	if !p.Changes.NoticePeriod.IsZero() {
		return p.Changes.NoticePeriod
	}
	return DefaultNoticePeriod
}

// aside is the bracket that says for whom a legal basis or an age band
// holds: its regions and jurisdictions in one bracket ("(the European
// Union; GDPR)"), or nothing when it holds for every reader.
func (c *composer) aside(regions policy.Text, js []policy.Jurisdiction) string {
	r := escText(regions.Get(c.loc))
	if r == "" && len(js) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(c.t("paren.open") + r)
	for i, j := range js {
		switch {
		case i > 0:
			b.WriteString(c.t("list.sep"))
		case r != "":
			b.WriteString(c.t("list.semi"))
		}
		b.WriteString(jurisdictionName(j))
	}
	return b.String() + c.t("paren.close")
}
