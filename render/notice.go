package render

import (
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"slices"
	"strings"

	"github.com/policyc/policyc/policy"
)

// NoticePack is what a significant release tells people, in one locale:
// plain-language sentences generated from the structural changes, as a
// summary, an e-mail and a banner for the site or app.
type NoticePack struct {
	Locale    string   `json:"locale"`
	Subject   string   `json:"subject"`
	Sentences []string `json:"changes"`
	Summary   string   `json:"-"` // Markdown
	Email     string   `json:"-"` // plain text
	Banner    string   `json:"-"` // an HTML snippet
}

// NoticeRecord is the machine-readable notice: what an app needs to decide
// whether to show a pop-up or ask for consent again.
type NoticeRecord struct {
	Format    string              `json:"format"`
	Policy    string              `json:"policy"`
	Version   string              `json:"version"`
	Level     string              `json:"level"`
	Reconsent bool                `json:"reconsent"`
	Effective string              `json:"effective"`
	Changes   []NoticeChange      `json:"changes"`
	Summary   map[string][]string `json:"summary"`
}

// NoticeChange is one change in the record.
type NoticeChange struct {
	Path  string   `json:"path"`
	Kind  string   `json:"kind"`
	Level string   `json:"level"`
	Rules []string `json:"rules"`
}

// NoticeFormat names the layout of the notice record.
const NoticeFormat = "policyc.notice/v1"

var changePath = regexp.MustCompile(`^([a-z_.]+?)(?:\[([^\]]+)\])?(?:\.([a-z_]+))?(?::(.*))?$`)

// Notice writes the notice pack for the change from old to new, in a locale,
// from the significant and reconsent changes of the assessment. link is
// where the policy (or the comparison) is published; "" leaves it out.
func (r *Renderer) Notice(old, new *policy.Policy, as policy.Assessment, locale string, meta Meta, link string) (NoticePack, error) {
	labels, err := r.labels(locale)
	if err != nil {
		return NoticePack{}, err
	}
	c := &composer{r: r, p: new, loc: locale, labels: labels, meta: meta}
	co := &composer{r: r, p: old, loc: locale, labels: labels, meta: meta}
	var sentences []string
	for _, v := range as.Changes {
		if v.Level < policy.Significant {
			continue
		}
		if s := c.sentence(co, v); s != "" && !slices.Contains(sentences, s) {
			sentences = append(sentences, s)
		}
	}
	eff := c.date(firstDate(meta.Effective, new.Effective))
	reconsent := as.Level >= policy.Reconsent
	intro := fmt.Sprintf(c.t("n.intro.significant"), eff)
	bannerText := fmt.Sprintf(c.t("n.banner"), eff)
	if reconsent {
		intro = fmt.Sprintf(c.t("n.intro.reconsent"), eff)
		bannerText = fmt.Sprintf(c.t("n.banner.reconsent"), eff)
	}
	pack := NoticePack{Locale: locale, Subject: c.t("n.subject") + " — " + new.Title.Get(locale), Sentences: sentences}
	var md, mail strings.Builder
	fmt.Fprintf(&md, "%s\n\n", escText(intro))
	fmt.Fprintf(&mail, "%s\n\n%s\n\n", pack.Subject, intro)
	for _, s := range sentences {
		fmt.Fprintf(&md, "- %s\n", escText(s))
		fmt.Fprintf(&mail, "  - %s\n", s)
	}
	if reconsent {
		fmt.Fprintf(&md, "\n%s\n", escText(c.t("n.reconsent")))
		fmt.Fprintf(&mail, "\n%s\n", c.t("n.reconsent"))
	}
	if link != "" {
		fmt.Fprintf(&md, "\n[%s](%s)\n", escText(c.t("n.read")), link)
		fmt.Fprintf(&mail, "\n%s: %s\n", c.t("n.read"), link)
	}
	pack.Summary, pack.Email = md.String(), mail.String()
	var b strings.Builder
	fmt.Fprintf(&b, "<div class=\"policyc-notice\" role=\"region\" aria-label=\"%s\" lang=\"%s\">\n<p>%s", html.EscapeString(c.t("n.subject")), html.EscapeString(locale), html.EscapeString(bannerText))
	if link != "" && SafeScheme(link) {
		fmt.Fprintf(&b, " <a href=\"%s\">%s</a>", html.EscapeString(link), html.EscapeString(c.t("n.banner.link")))
	}
	b.WriteString("</p>\n</div>\n")
	pack.Banner = b.String()
	return pack, c.err
}

// NoticeJSON is the notice record with the summary in each locale's pack.
func NoticeJSON(p *policy.Policy, as policy.Assessment, meta Meta, packs []NoticePack) ([]byte, error) {
	rec := NoticeRecord{Format: NoticeFormat, Policy: string(p.ID), Version: meta.Version, Level: as.Level.String(),
		Reconsent: as.Level >= policy.Reconsent, Effective: firstDate(meta.Effective, p.Effective).String(), Summary: map[string][]string{}}
	for _, v := range as.Changes {
		if v.Level < policy.Significant {
			continue
		}
		var ids []string
		for _, r := range v.Rules {
			ids = append(ids, r.ID)
		}
		rec.Changes = append(rec.Changes, NoticeChange{Path: v.Path.String(), Kind: string(v.Kind), Level: v.Level.String(), Rules: ids})
	}
	for _, pk := range packs {
		rec.Summary[pk.Locale] = pk.Sentences
	}
	b, err := json.MarshalIndent(rec, "", "  ")
	return append(b, '\n'), err
}

// sentence says one change in plain language; co composes against the old
// model, for names of things that were removed.
func (c *composer) sentence(co *composer, v policy.Verdict) string {
	m := changePath.FindStringSubmatch(v.Path.String())
	if m == nil {
		return ""
	}
	list, id, field, value := m[1], m[2], m[3], m[4]
	plain := func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "**", ""), `\`, "") }
	name := func(cc *composer, kind, id string) string {
		switch kind {
		case "data_categories":
			return plain(cc.categoryName(policy.ID(id)))
		case "purposes":
			return plain(cc.purposeNames(policy.Refs{{ID: policy.ID(id)}}))
		case "sdks":
			return plain(cc.sdkNames(policy.Refs{{ID: policy.ID(id)}}))
		case "recipients":
			return plain(cc.recipientNames(policy.Refs{{ID: policy.ID(id)}}))
		}
		for _, a := range cc.p.Activities {
			if kind == "activities" && string(a.ID) == id {
				return a.Name.Get(cc.loc)
			}
		}
		for _, r := range cc.p.Rights {
			if kind == "rights" && string(r.ID) == id {
				return r.Name.Get(cc.loc)
			}
		}
		return id
	}
	added, removed := v.Kind == policy.Added, v.Kind == policy.Removed
	tf := func(key string, args ...any) string { return fmt.Sprintf(c.t(key), args...) }
	switch {
	case list == "recipients" && field == "" && added:
		for _, r := range c.p.Recipients {
			if string(r.ID) == id && len(r.Data) > 0 {
				return tf("n.recipient.added.data", plain(c.categoryNames(r.Data)), name(c, list, id))
			}
		}
		return tf("n.recipient.added", name(c, list, id))
	case list == "recipients" && field == "" && removed:
		return tf("n.recipient.removed", name(co, list, id))
	case list == "recipients" && field == "data" && added:
		return tf("n.recipient.data.added", name(c, "data_categories", value), name(c, list, id))
	case list == "recipients" && field == "data" && removed:
		return tf("n.recipient.data.removed", name(co, "data_categories", value), name(co, list, id))
	case list == "sdks" && field == "" && added:
		for _, s := range c.p.SDKs {
			if string(s.ID) == id {
				return tf("n.sdk.added", s.Name.Get(c.loc), s.Provider.Get(c.loc), plain(c.categoryNames(s.Collects)))
			}
		}
	case list == "sdks" && field == "" && removed:
		return tf("n.sdk.removed", name(co, list, id))
	case list == "sdks" && field == "collects" && added:
		return tf("n.sdk.collects.added", name(c, list, id), name(c, "data_categories", value))
	case list == "sdks" && field == "collects" && removed:
		return tf("n.sdk.collects.removed", name(co, list, id), name(co, "data_categories", value))
	case list == "data_categories" && field == "" && added:
		return tf("n.category.added", name(c, list, id))
	case list == "data_categories" && field == "" && removed:
		return tf("n.category.removed", name(co, list, id))
	case list == "data_categories" && field == "items" && added:
		return tf("n.item.added", value, name(c, list, id))
	case list == "data_categories" && field == "sensitive" && v.New == "true":
		return tf("n.sensitive", name(c, list, id))
	case list == "activities" && field == "" && added:
		return tf("n.activity.added", name(c, list, id))
	case list == "activities" && field == "uses" && added:
		return tf("n.activity.uses.added", name(c, list, id), name(c, "data_categories", value))
	case list == "activities" && field == "uses" && removed:
		return tf("n.activity.uses.removed", name(co, list, id), name(co, "data_categories", value))
	case list == "activities" && field == "purposes" && added:
		return tf("n.activity.purposes.added", name(c, list, id), name(c, "purposes", value))
	case list == "purposes" && field == "" && added:
		return tf("n.purpose.added", name(c, list, id))
	case list == "purposes" && field == "" && removed:
		return tf("n.purpose.removed", name(co, list, id))
	case list == "storage.cross_border.routes" && added:
		for _, r := range c.p.Storage.CrossBorder.Routes {
			if string(r.ID) == id {
				return tf("n.route.added", plain(c.categoryNames(r.Data)), plain(c.recipientNames(policy.Refs{r.Recipient})), r.To.Get(c.loc))
			}
		}
	case list == "storage.cross_border.transfers":
		return c.t("n.transfers.started")
	case list == "rights" && field == "" && removed:
		return tf("n.right.removed", name(co, list, id))
	case list+"."+field == "requests.response_time" || list+"."+field == "contacts.response_time":
		d := c.p.Requests.ResponseTime
		if d.IsZero() || list == "contacts" {
			d = c.p.Contacts.ResponseTime
		}
		return tf("n.reply_time", c.duration(d))
	case list == "rights" || strings.HasPrefix(list, "requests") || list == "contacts.response_time":
		detail := name(c, "rights", id)
		if id == "" {
			detail = strings.ReplaceAll(list[strings.LastIndexByte(list, '.')+1:], "_", " ")
			if v.New != "" {
				detail += " → " + v.New
			}
		}
		return tf("n.right.changed", detail)
	case strings.HasPrefix(list, "contacts"):
		return c.t("n.contact.changed")
	case strings.HasPrefix(list, "controller"):
		return c.t("n.ownership.changed")
	case list == "changes.impact_assessment.risk":
		return c.t("n.risk.high")
	}
	return tf("n.other", v.Path.String())
}
