package render_test

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
)

func purposeOf(p *policy.Policy, id string) *policy.Purpose {
	for i := range p.Purposes {
		if string(p.Purposes[i].ID) == id {
			return &p.Purposes[i]
		}
	}
	panic(id)
}

func activityOf(p *policy.Policy, id string) *policy.Activity {
	for i := range p.Activities {
		if string(p.Activities[i].ID) == id {
			return &p.Activities[i]
		}
	}
	panic(id)
}

// rawEnumValues are the hyphenated values of the model's enumerations as
// policy.yaml writes them ("not-stated", "guardian-and-child"), from the
// keys of the labels that name them: a sentence shows the label, never
// the value.
func rawEnumValues(t *testing.T) *regexp.Regexp {
	data, err := os.ReadFile("../templates/i18n/en.json")
	if err != nil {
		t.Fatal(err)
	}
	var labels map[string]string
	if err := json.Unmarshal(data, &labels); err != nil {
		t.Fatal(err)
	}
	var vals []string
	for k := range labels {
		for _, prefix := range []string{"basis.", "mech.", "need.", "child.by."} {
			if v, ok := strings.CutPrefix(k, prefix); ok && strings.Contains(v, "-") {
				vals = append(vals, regexp.QuoteMeta(v))
			}
		}
	}
	slices.Sort(vals)
	return regexp.MustCompile(`\b(` + strings.Join(vals, "|") + `)\b`)
}

// TestNewerFieldsAreWordedWithOldAndNewValues: a change to a legal basis,
// a transfer mechanism, a retention bound, start or condition, a request
// limit or extension, an item's requirement, an age band or a month date
// reads as a sentence with the old and the new value, in every locale,
// with no path, field name or raw enumeration value.
func TestNewerFieldsAreWordedWithOldAndNewValues(t *testing.T) {
	enums := rawEnumValues(t)
	r := render.New()
	for _, tc := range []struct {
		name, example string
		mutate        func(p *policy.Policy)
		want          map[string][]string
	}{
		{"legal basis added", "website", func(p *policy.Policy) {
			purposeOf(p, "search").LegalBasis = append(purposeOf(p, "search").LegalBasis, policy.PurposeBasis{Basis: "consent"})
		}, map[string][]string{"en": {"Finding the content you look for: legal basis added: consent."}, "zh-CN": {"法律依据新增“同意”"}}},
		{"consent dropped for legitimate interests", "website", func(p *policy.Policy) {
			purposeOf(p, "analytics").LegalBasis = policy.LegalBases{{Basis: "legitimate-interests"}}
		}, map[string][]string{"en": {"legal basis removed: consent.", "legal basis added: legitimate interests."}, "zh-CN": {"法律依据删除“同意”", "法律依据新增“正当利益”"}}},
		{"a basis moves to another region", "website", func(p *policy.Policy) {
			purposeOf(p, "security").LegalBasis[1].Regions = policy.NeutralText("the EEA")
		}, map[string][]string{"en": {"legal basis removed: legal obligation (the People's Republic of China) (PIPL).", "legal basis added: legal obligation (the EEA) (PIPL)."},
			"zh-CN": {"（the EEA）（PIPL）"}}},
		{"legitimate interest stated", "website", func(p *policy.Policy) {
			purposeOf(p, "support").LegitimateInterest = policy.NeutralText("Improving our answers.")
		}, map[string][]string{"en": {"Answering complaints and questions: legitimate interest is now “Improving our answers.”."}, "zh-CN": {"正当利益现为“Improving our answers.”"}}},
		{"legitimate interest stated, in each locale", "sdk-provider", func(p *policy.Policy) {
			p.Purposes[0].LegitimateInterest = policy.LocalizedText(map[string]string{"en": "Preventing fraud.", "zh-CN": "防范欺诈。"})
		}, map[string][]string{"en": {"legitimate interest is now “Preventing fraud.”."}, "zh-CN": {"正当利益现为“防范欺诈。”"}}},
		{"transfer mechanism added", "sdk-provider", func(p *policy.Policy) {
			r := &p.Storage.CrossBorder.Routes[0]
			r.Mechanism = append(r.Mechanism, "security-assessment")
		}, map[string][]string{"en": {"transfer mechanism added: security assessment"}, "zh-CN": {"传输机制新增“网信部门组织的安全评估”"}}},
		{"retention maximum shortened", "website", func(p *policy.Policy) {
			p.Storage.Retention[1].Maximum = policy.Duration{N: 2, Unit: policy.Years}
		}, map[string][]string{"en": {"from 5 years to 2 years"}, "zh-CN": {"由5年变更为2年"}}},
		{"retention minimum lengthened", "website", func(p *policy.Policy) {
			p.Storage.Retention[1].Minimum = policy.Duration{N: 4, Unit: policy.Years}
		}, map[string][]string{"en": {"from 3 years to 4 years"}, "zh-CN": {"由3年变更为4年"}}},
		{"retention start changed", "website", func(p *policy.Policy) {
			p.Storage.Retention[1].Starts = policy.NeutralText("the closing of the account")
		}, map[string][]string{"en": {"the retention period is now counted from the closing of the account (was from the completion of the transaction)."},
			"zh-CN": {"保存期限现自the closing of the account起算（原自the completion of the transaction起算）"}}},
		{"retention condition added", "website", func(p *policy.Policy) {
			r := &p.Storage.Retention[1]
			r.Conditions = append(r.Conditions, policy.NeutralText("Kept while a tax audit is open."))
		}, map[string][]string{"en": {"new condition on keeping it: “Kept while a tax audit is open.”."}, "zh-CN": {"新增保存条件“Kept while a tax audit is open.”"}}},
		{"retention condition dropped", "website", func(p *policy.Policy) { p.Storage.Retention[1].Conditions = nil },
			map[string][]string{"en": {"condition on keeping it dropped: “Kept until a dispute about the transaction is settled, if that is later.”."}, "zh-CN": {"删除保存条件"}}},
		{"request limit tightened", "website", func(p *policy.Policy) { p.Requests.Limit.Times = 1 },
			map[string][]string{"en": {"The limit on requests is now 1 request in 1 year (was 4 requests in 1 year)."}, "zh-CN": {"请求次数限制现为每1年不超过1次（原为每1年不超过4次）。"}}},
		{"a right's limit period", "website", func(p *policy.Policy) { p.Rights[0].Limit.Per = policy.Duration{N: 24, Unit: policy.Months} },
			map[string][]string{"en": {"Access your personal information: the limit on requests is now 2 requests in 24 months (was 2 requests in 12 months)."}, "zh-CN": {"每24个月不超过2次（原为每12个月不超过2次）"}}},
		{"request limit introduced", "sdk-provider", func(p *policy.Policy) {
			p.Requests.Limit = &policy.RequestLimit{Times: 2, Per: policy.Duration{N: 12, Unit: policy.Months}}
		}, map[string][]string{"en": {"Requests are now limited to 2 requests in 12 months."}, "zh-CN": {"请求次数现限制为每12个月不超过2次。"}}},
		{"request limit dropped", "website", func(p *policy.Policy) { p.Requests.Limit = nil },
			map[string][]string{"en": {"Requests are no longer limited (the limit was 4 requests in 1 year)."}, "zh-CN": {"请求次数不再受限（原限制为每1年不超过4次）。"}}},
		{"extension lengthened", "website", func(p *policy.Policy) { p.Requests.Extension.By = policy.Duration{N: 45, Unit: policy.Days} },
			map[string][]string{"en": {"We may now take a further 45 days to reply (was a further 30 days)."}, "zh-CN": {"我们现在最多可再延长45日答复（原为30日）。"}}},
		{"a right's extension dropped", "website", func(p *policy.Policy) { p.Rights[0].Extension = nil },
			map[string][]string{"en": {"Access your personal information: we no longer extend the reply time (we could take a further 15 working days)."}, "zh-CN": {"我们不再延长答复期限（原可再延长15个工作日）"}}},
		{"item becomes required", "website", func(p *policy.Policy) { activityOf(p, "phone-login").Items[1].Required = "required" },
			map[string][]string{"en": {"Registration and quick login with a phone number: SMS verification code is now required (was not stated as required or optional)."},
				"zh-CN": {"SMS verification code现为必须提供（原为未说明是否必须提供）"}}},
		{"item becomes optional", "website", func(p *policy.Policy) { activityOf(p, "phone-login").Items[0].Required = "optional" },
			map[string][]string{"en": {"mobile phone number is now optional (was required)."}, "zh-CN": {"mobile phone number现为可选（原为必须提供）"}}},
		{"activity no longer states its requirement", "website", func(p *policy.Policy) { activityOf(p, "phone-login").Required = "not-stated" },
			map[string][]string{"en": {"changed from optional to not stated as required or optional."}, "zh-CN": {"由可选变更为未说明是否必须提供"}}},
		{"age band's consent changed", "website", func(p *policy.Policy) { p.Children.AgeBands[1].Consent = "child" },
			map[string][]string{"en": {"removed: aged 14 to under 18: a parent or guardian and the child consent.", "added: aged 14 to under 18: the person consents themselves."},
				"zh-CN": {"14周岁以上不满18周岁：由本人同意", "14周岁以上不满18周岁：需父母或其他监护人及其本人同意"}}},
		{"month date", "sdk-provider", func(p *policy.Policy) { p.Changes.ImpactAssessment.Date = policy.Date{Year: 2025, Month: 8} },
			map[string][]string{"en": {"to August 2025."}, "zh-CN": {"2025年8月"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			old, new := loadExample(t, tc.example), loadExample(t, tc.example)
			tc.mutate(new)
			as := policy.Assess(old, new)
			if len(as.Changes) == 0 {
				t.Fatal("no change")
			}
			for _, loc := range []string{"en", "zh-CN"} {
				all := sentences(t, r, old, new, as, loc)
				for _, want := range tc.want[loc] {
					if !strings.Contains(all, want) {
						t.Errorf("%s: sentences lack %q:\n%s", loc, want, all)
					}
				}
				if m := leakPath.FindString(all); m != "" {
					t.Errorf("%s: a path or field shows: %q in\n%s", loc, m, all)
				}
				if m := enums.FindString(all); m != "" {
					t.Errorf("%s: a raw value shows: %q in\n%s", loc, m, all)
				}
			}
		})
	}
}

// sentences are the changes of as worded in loc, a line each.
func sentences(t *testing.T, r *render.Renderer, old, new *policy.Policy, as policy.Assessment, loc string) string {
	t.Helper()
	words, err := r.Wording(old, new, loc)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range as.Changes {
		got = append(got, words.Sentence(v.Change))
	}
	return strings.Join(got, "\n")
}
