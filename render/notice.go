package render

import (
	"encoding/json"
	"fmt"
	"html"
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

// Notice writes the notice pack for the change from old to new, in a locale,
// from the significant and reconsent changes of the assessment. link is
// where the policy (or the comparison) is published; "" leaves it out.
func (r *Renderer) Notice(old, new *policy.Policy, as policy.Assessment, locale string, meta Meta, link string) (NoticePack, error) {
	labels, err := r.labels(locale)
	if err != nil {
		return NoticePack{}, err
	}
	c := &composer{r: r, p: new, loc: locale, labels: labels, meta: meta}
	words, err := r.Wording(old, new, locale)
	if err != nil {
		return NoticePack{}, err
	}
	var sentences []string
	for _, v := range as.Changes {
		if v.Level < policy.Significant {
			continue
		}
		if s := words.Sentence(v.Change); s != "" && !slices.Contains(sentences, s) {
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
		fmt.Fprintf(&md, "\n%s\n", mdLinkTo(c.t("n.read"), link))
		fmt.Fprintf(&mail, "\n%s: %s\n", c.t("n.read"), link)
	}
	pack.Summary, pack.Email = md.String(), noControls(mail.String())
	pack.Subject = noControls(pack.Subject)
	var b strings.Builder
	fmt.Fprintf(&b, "<div class=\"policyc-notice\" role=\"region\" aria-label=\"%s\" lang=\"%s\">\n<p>%s", html.EscapeString(c.t("n.subject")), html.EscapeString(locale), html.EscapeString(bannerText))
	if link != "" && policy.SafeLink(link) {
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
