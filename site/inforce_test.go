package site_test

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/site"
)

// The site takes no clock: the policy in force is the newest version
// effective on or before the build's date (--as-of, by default the newest
// version's updated date), and a version released to take effect later is
// announced on the landing page, with its date, a link to it and one to
// what it changes from the policy in force.
func TestUpcomingVersionIsAnnounced(t *testing.T) {
	// Version 3 is released on 20 April, effective 25 April.
	_, pdir := setup(t)
	out := filepath.Join(t.TempDir(), "public")
	if _, err := site.Build(site.Options{Dir: pdir, Out: out}); err != nil {
		t.Fatal(err)
	}
	got := files(t, out)
	checkLinks(t, got)
	index := string(got["index.html"])
	for _, want := range []string{
		`<h2 id="upcoming-v3">Upcoming version</h2>`,
		`<p>Version 3 takes effect on <time datetime="2026-04-25">25 April 2026</time>.</p>`,
		`<a href="v3/index.html">Read Version 3</a>`,
		`<a href="compare/v2-v3.html">What it changes from the policy in force</a>`,
		// The facts below are version 2's, the policy in force.
		`<dd><time datetime="2026-04-15">15 April 2026</time></dd>`,
		`<dd class="level-significant">significant</dd>`,
		`<a href="v2/policy.en.pdf">`,
	} {
		if !strings.Contains(index, want) {
			t.Errorf("index.html lacks %s", want)
		}
	}
	if strings.Contains(index, `href="v3/policy.en.pdf"`) {
		t.Error("index.html offers the upcoming version's documents as the policy in force")
	}
	if !strings.Contains(string(got["index.zh-CN.html"]), `<p>第 3 版将于<time datetime="2026-04-25">2026年4月25日</time>生效。</p>`) {
		t.Error("index.zh-CN.html does not announce version 3 in Chinese")
	}
	// The documents at the root are those in force.
	if !bytes.Equal(got["policy.en.html"], got["v2/policy.en.html"]) || bytes.Equal(got["policy.en.html"], got["v3/policy.en.html"]) {
		t.Error("the root's policy.en.html is not version 2's")
	}
	if !strings.Contains(string(got["archive.html"]), `<td><time datetime="2026-04-25">25 April 2026</time> <span class="upcoming">(not yet in force)</span></td>`) {
		t.Error("the archive does not mark version 3 as not yet in force")
	}
	if !strings.Contains(string(got["v3/index.zh-CN.html"]), `<span class="upcoming">(尚未生效)</span>`) {
		t.Error("version 3's Chinese page does not say it is not yet in force")
	}

	// An app learns both the newest version and the one in force.
	var vj struct {
		Current int `json:"current"`
		InForce int `json:"in_force"`
	}
	if err := json.Unmarshal(got["versions.json"], &vj); err != nil || vj.Current != 3 || vj.InForce != 2 {
		t.Errorf("versions.json: current %d, in force %d (%v); want 3 and 2", vj.Current, vj.InForce, err)
	}

	// Built on the day version 3 takes effect, it is the policy in force
	// and nothing is upcoming.
	out2 := filepath.Join(t.TempDir(), "public")
	if _, err := site.Build(site.Options{Dir: pdir, Out: out2, AsOf: policy.Date{Year: 2026, Month: 4, Day: 25}}); err != nil {
		t.Fatal(err)
	}
	got2 := files(t, out2)
	if strings.Contains(string(got2["index.html"]), `<section class="notice upcoming"`) || !bytes.Equal(got2["policy.en.html"], got2["v3/policy.en.html"]) ||
		!strings.Contains(string(got2["index.html"]), `<a href="v3/policy.en.pdf">`) {
		t.Error("on its effective date, version 3 is not the policy in force")
	}

	// Built before the first version took effect: none is in force, and
	// every version is announced.
	out3 := filepath.Join(t.TempDir(), "public")
	if _, err := site.Build(site.Options{Dir: pdir, Out: out3, AsOf: policy.Date{Year: 2026, Month: 3, Day: 1}}); err != nil {
		t.Fatal(err)
	}
	got3 := files(t, out3)
	checkLinks(t, got3)
	idx3 := string(got3["index.html"])
	if !strings.Contains(idx3, "No version of this policy is in force yet.") || strings.Count(idx3, `<section class="notice upcoming"`) != 3 ||
		strings.Contains(idx3, "What it changes from the policy in force") {
		t.Errorf("with no version in force, index.html reads:\n%s", idx3)
	}

	nuCheck(t, out, got)
	axeCheck(t, out, "index.html", "index.zh-CN.html", "archive.html")
}

var isoInText = regexp.MustCompile(`>[^<]*\b\d{4}-\d{2}(-\d{2})?\b[^<]*<`)

// Dates a person reads on the site are written as the page's locale
// writes them; only machine-readable places (<time datetime>, the feed's
// timestamps, versions.json) keep the ISO form.
func TestSiteDatesAreInThePagesLocale(t *testing.T) {
	_, pdir := setup(t)
	out := filepath.Join(t.TempDir(), "public")
	if _, err := site.Build(site.Options{Dir: pdir, Out: out}); err != nil {
		t.Fatal(err)
	}
	got := files(t, out)
	for page, want := range map[string]string{
		"v2/index.html":       `<dt>Updated</dt><dd><time datetime="2026-03-10">10 March 2026</time></dd>`,
		"v2/index.zh-CN.html": `<dt>更新日期</dt><dd><time datetime="2026-03-10">2026年3月10日</time></dd>`,
		"archive.zh-CN.html":  `<td><time datetime="2026-04-15">2026年4月15日</time></td><td><time datetime="2026-03-10">2026年3月10日</time></td>`,
	} {
		if !strings.Contains(string(got[page]), want) {
			t.Errorf("%s lacks %s", page, want)
		}
	}
	for _, page := range []string{"index.html", "index.zh-CN.html", "archive.html", "archive.zh-CN.html", "v1/index.html", "v3/index.zh-CN.html"} {
		if m := isoInText.FindString(string(got[page])); m != "" {
			t.Errorf("%s shows an ISO date to its readers: %s", page, m)
		}
	}
	// The feed's text says when each version takes effect, in its language.
	if !strings.Contains(string(got["feed.zh-CN.xml"]), "<summary type=\"text\">自2026年4月25日起生效。") ||
		!strings.Contains(string(got["feed.en.xml"]), "<summary type=\"text\">In force from 15 April 2026. We now reply") {
		t.Errorf("the feeds do not date the versions in their language:\n%s", got["feed.zh-CN.xml"])
	}
	if !strings.Contains(string(got["feed.zh-CN.xml"]), "<updated>2026-04-20T00:00:00Z</updated>") {
		t.Error("the feed's timestamps are no longer ISO")
	}
	// A month-only date is printed as written, never as the 1st.
	for _, c := range []struct{ loc, in, want string }{
		{"en", "2025-08", `<time datetime="2025-08">August 2025</time>`},
		{"zh-CN", "2025-08", `<time datetime="2025-08">2025年8月</time>`},
		{"en", "2026-12-02", `<time datetime="2026-12-02">2 December 2026</time>`},
		{"zh-CN", "2026-12-02", `<time datetime="2026-12-02">2026年12月2日</time>`},
		{"en", "not a date", `not a date`},
	} {
		if got, err := site.DateHTML(c.loc, c.in); err != nil || got != c.want {
			t.Errorf("%s %q: %s %v, want %s", c.loc, c.in, got, err, c.want)
		}
	}
}
