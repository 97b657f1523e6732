package site

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
	"github.com/policyc/policyc/versions"
)

// asOf is the date the site is built for: Options.AsOf, or else the newest
// version's updated date. The site never reads the clock, so the same
// archive built twice gives the same pages.
func (b *builder) asOf() policy.Date {
	if !b.o.AsOf.IsZero() || len(b.vs) == 0 {
		return b.o.AsOf
	}
	d, _ := policy.ParseDate(b.vs[len(b.vs)-1].Updated)
	return d
}

// effectiveAfter reports whether v takes effect after the build's date. A
// version whose effective date cannot be read is taken as in force.
func (b *builder) effectiveAfter(v versions.Version) bool {
	eff, err := policy.ParseDate(v.Effective)
	asOf := b.asOf()
	return err == nil && !asOf.IsZero() && asOf.Before(eff)
}

// inForce is the policy in force on the build's date, the newest version
// effective on or before it (nil when no version is yet), and the
// versions released after it whose effective date is still ahead, oldest
// first.
func (b *builder) inForce() (*versions.Version, []versions.Version) {
	for i := len(b.vs) - 1; i >= 0; i-- {
		if !b.effectiveAfter(b.vs[i]) {
			return &b.vs[i], b.vs[i+1:]
		}
	}
	return nil, b.vs
}

// current is the version whose documents stand at the site's root: the
// policy in force, or the oldest version while none is in force yet.
func (b *builder) current() versions.Version {
	if v, _ := b.inForce(); v != nil {
		return *v
	}
	return b.vs[0]
}

// upcoming announces, on the landing page, each released version that is
// not yet in force: its effective date, a link to it and to what it
// changes from the policy in force.
func (b *builder) upcoming(w *strings.Builder, loc string, labels map[string]string, sfx string) {
	cur, next := b.inForce()
	for _, v := range next {
		name := fmt.Sprintf(labels["site.version"], strconv.Itoa(v.Version))
		fmt.Fprintf(w, "<section class=\"notice upcoming\" aria-labelledby=\"upcoming-v%d\">\n<h2 id=\"upcoming-v%d\">%s</h2>\n<p>%s</p>\n<ul>\n<li>%s</li>\n",
			v.Version, v.Version, esc(labels["site.upcoming"]),
			fmt.Sprintf(esc(labels["site.upcoming_text"]), esc(name), dateHTML(labels, v.Effective)),
			anchor(vdir(v.Version)+"index"+sfx+".html", esc(fmt.Sprintf(labels["site.upcoming_read"], name))))
		if cur != nil {
			if href := b.comparison(*cur, v); href != "" {
				fmt.Fprintf(w, "<li>%s</li>\n", anchor(href, esc(labels["site.upcoming_compare"])))
			}
		}
		w.WriteString("</ul>\n</section>\n")
	}
}

// comparison is the site's page comparing from with to, where it has one
// ("" where it has none). Every version is compared, an imported one too.
func (b *builder) comparison(from, to versions.Version) string {
	if p := b.previous(to); p != nil && p.Version == from.Version {
		return compareName(from, to)
	}
	if to.Version == b.vs[len(b.vs)-1].Version {
		return currentName(from)
	}
	return ""
}

// dateHTML is a date as the page's readers write it, in a <time> element
// whose datetime keeps the ISO form; text that is not a date is shown as
// it stands.
func dateHTML(labels map[string]string, s string) string {
	d, err := policy.ParseDate(s)
	if err != nil {
		return esc(s)
	}
	return "<time datetime=\"" + esc(d.String()) + "\">" + esc(render.LocalDate(labels, d)) + "</time>"
}

// effectiveHTML is a version's effective date, marked when it is still
// ahead of the build's date.
func (b *builder) effectiveHTML(v versions.Version, labels map[string]string) string {
	out := dateHTML(labels, v.Effective)
	if b.effectiveAfter(v) {
		out += " <span class=\"upcoming\">(" + esc(labels["site.not_yet"]) + ")</span>"
	}
	return out
}
