package render_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/policyc/policyc/render"
)

// commitments are the template sentences and labels that state something
// about the controller's practice. Each may be printed only when the model
// says so; testdata/silent says none of them.
var commitments = []string{
	"necessity", "required", "optional", // required or optional, only where the model writes required
	"separate_consent", "automated", "children_data",
	"cat.deidentified", "cat.children",
	"sdk.none", "sdk.provider", "sdk.first_party",
	"aff.shares", "rcp.sold", "rcp.ads",
	"storage.no_transfers", "route.to",
	"child.audience.not-directed", "child.audience.mixed", "child.audience.directed",
	"child.consent", "child.discovery", "child.minor_age",
	"fee.free", "fee.reasonable-fee",
	"inc.report", "inc.intro", "inc.deadline_only",
	"ck.essential", "ck.gpc",
	"ck.dnt.honoured", "ck.dnt.not-honoured", "ck.dnt.not-applicable",
	"chg.agreement", "chg.no_reduction", "chg.archive", "chg.notice", "chg.channels", "chg.significant_channels",
	"dsp.negotiation", "dsp.law", "ct.first_only", "ct.first_reply", "ct.response",
}

// TestSilentModelCommitsToNothing renders a policy that is silent wherever
// the model allows, with every block in its text, and requires that no
// commitment sentence appears: where the model says nothing, nothing is
// printed. The model is valid as written (sensitive data without separate
// consent, an SDK without a named provider, a transfer without a named
// destination, a channel without an address, no reply time).
func TestSilentModelCommitsToNothing(t *testing.T) {
	p := loadPolicy(t, "testdata/silent")
	if errs := p.Validate(); len(errs) > 0 {
		t.Fatalf("the silent model should be valid: %v", errs)
	}
	r := render.New()
	for _, loc := range p.Locales {
		labels, err := r.Labels(string(loc))
		if err != nil {
			t.Fatal(err)
		}
		texts := publishedTexts(t, r, p, string(loc))
		for _, key := range commitments {
			l, ok := labels[key]
			if !ok {
				t.Fatalf("no label %q in %s", key, loc)
			}
			re := labelPattern(l)
			for format, text := range texts {
				if m := re.FindString(text); m != "" {
					t.Errorf("%s %s: %q (%s) is printed although the model does not say it", loc, format, m, key)
				}
			}
		}
		// The model says a fee may be charged, not that it is reasonable;
		// it lists cases for keeping information longer, not that it is
		// kept only for them.
		for format, text := range texts {
			if !strings.Contains(text, labels["fee.may-charge"]) {
				t.Errorf("%s %s: the fee rule %q is not printed", loc, format, labels["fee.may-charge"])
			}
			for _, added := range []string{"reasonable", "合理", "only for these purposes", "仅用于"} {
				if strings.Contains(text, added) {
					t.Errorf("%s %s: %q is printed although the model does not say it", loc, format, added)
				}
			}
		}
	}
}

// labelPattern matches a label as printed, with any value in place of its
// placeholders; a one-word label only as a whole word.
func labelPattern(l string) *regexp.Regexp {
	parts := placeholder.Split(strings.TrimSpace(l), -1)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	re := strings.Join(parts, `.{1,60}?`)
	if !strings.ContainsAny(l, " %") && l[0] < 0x80 {
		re = `\b` + re + `\b`
	}
	return regexp.MustCompile(re)
}

var placeholder = regexp.MustCompile(`%(\[[0-9]\])?[sd]`)

// TestOneRequestIsSingular: a limit of one request reads "1 request in
// 1 year", not "1 requests", in every format that prints it.
func TestOneRequestIsSingular(t *testing.T) {
	p := loadPolicy(t, "../examples/website")
	p.Requests.Limit.Times = 1
	texts := publishedTexts(t, render.New(), p, "en")
	for format, text := range texts {
		if strings.Contains(text, "1 requests") {
			t.Errorf("%s: %q", format, "1 requests")
		}
		if !strings.Contains(strings.Join(strings.Fields(text), " "), "1 request in 1 year.") {
			t.Errorf("%s: the limit of one request is not printed as %q", format, "1 request in 1 year.")
		}
	}
}

// TestLabelsAddNoQualifier: the default labels never add a qualifier the
// model cannot state — "knowingly" (a collection the model says does not
// happen), "basic service" (the model says required, not why), "either
// party" (the model names a court, not who may sue), "friendly"
// (negotiation), "only" after "keep" — in any locale.
func TestLabelsAddNoQualifier(t *testing.T) {
	r := render.New()
	for _, loc := range []string{"en", "zh-CN"} {
		labels, err := r.Labels(loc)
		if err != nil {
			t.Fatal(err)
		}
		for key, l := range labels {
			for _, w := range []string{"knowingly", "basic service", "either party", "friendly", "and only for", "在知情的情况下", "基本功能", "任何一方", "友好"} {
				if strings.Contains(l, w) {
					t.Errorf("%s label %s adds %q: %q", loc, key, w, l)
				}
			}
		}
	}
}
