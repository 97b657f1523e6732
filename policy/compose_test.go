package policy_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/policyc/policyc/policy"
)

// TestComposeMatchesDiff builds chains of versions by applying the
// significance scenarios one after another (and going back to earlier
// versions, which removes and re-adds things), records each step's
// assessment as a release does (verdict JSON), and checks that wherever
// Compose answers, its changes and their rating equal diffing the two
// models directly.
func TestComposeMatchesDiff(t *testing.T) {
	extra := []scenario{
		{name: "COPPA profile added", example: "*", mutate: func(p *policy.Policy) { p.Jurisdictions = append(p.Jurisdictions, "us-coppa") }},
		{name: "first profile dropped", example: "*", mutate: func(p *policy.Policy) { p.Jurisdictions = p.Jurisdictions[1:] }},
	}
	fast, slow := 0, 0
	for _, ex := range []string{"website", "sdk-provider"} {
		var ops []scenario
		for _, sc := range slices.Concat(scenarios, extra) {
			if (sc.example == ex || sc.example == "*") && !strings.HasPrefix(sc.name, "COPPA ") {
				ops = append(ops, sc)
			}
		}

		build := func(history []int) (*policy.Policy, bool) {
			p := load(t, ex)
			ok := true
			func() {
				defer func() {
					if recover() != nil {
						ok = false // the scenario's subject is gone
					}
				}()
				for _, i := range history {
					ops[i].mutate(p)
				}
			}()
			return p, ok
		}

		for seed := range 12 {
			rng := rand.New(rand.NewPCG(uint64(seed), 7))
			histories := [][]int{nil}
			models := []*policy.Policy{load(t, ex)}
			for len(models) < 8 {
				h := slices.Clone(histories[len(histories)-1])
				if rng.IntN(4) == 0 && len(histories) > 1 {
					h = slices.Clone(histories[rng.IntN(len(histories)-1)])
				} else {
					op := rng.IntN(len(ops))
					if slices.Contains(h, op) {
						continue
					}
					h = append(h, op)
				}
				m, ok := build(h)
				if !ok {
					continue
				}
				histories = append(histories, h)
				models = append(models, m)
			}
			var steps [][]policy.Change
			for k := 1; k < len(models); k++ {
				data, err := policy.VerdictJSON(fmt.Sprint(k-1), fmt.Sprint(k), policy.Assess(models[k-1], models[k]))
				if err != nil {
					t.Fatal(err)
				}
				_, _, as, err := policy.ParseVerdict(data)
				if err != nil {
					t.Fatal(err)
				}
				var cs []policy.Change
				for _, v := range as.Changes {
					cs = append(cs, v.Change)
				}
				steps = append(steps, cs)
			}
			for i := range models {
				for j := i + 1; j < len(models); j++ {
					got, ok := policy.Compose(steps[i:j])
					if !ok {
						slow++
						continue
					}
					fast++
					want := policy.Diff(models[i], models[j])
					name := fmt.Sprintf("%s seed %d v%d→v%d (histories %v → %v)", ex, seed, i, j, histories[i], histories[j])
					if g, w := brief2(got), brief2(want); !slices.Equal(g, w) {
						t.Errorf("%s:\ncomposed %q\ndiffed   %q", name, g, w)
						continue
					}
					for k := range got {
						if !got[k].OldPos.IsZero() && got[k].OldPos != want[k].OldPos || !got[k].NewPos.IsZero() && got[k].NewPos != want[k].NewPos {
							t.Errorf("%s: %s at %v→%v, want %v→%v", name, got[k].Path, got[k].OldPos, got[k].NewPos, want[k].OldPos, want[k].NewPos)
						}
					}
					rated := policy.Rate(got, policy.OldProfiles(got, models[j]), models[j])
					if g, w := brief(rated), brief(policy.Assess(models[i], models[j])); !slices.Equal(g, w) {
						t.Errorf("%s: rated\n%q, want\n%q", name, g, w)
					}
				}
			}
		}
	}
	t.Logf("composed %d comparisons, %d left to the models", fast, slow)
	// Elements of lists without ids (legal bases, mechanisms, age bands,
	// activity items) change by being removed and added, so a chain that
	// goes back to an earlier version re-adds them and falls back more
	// often: twice as many composed as not still shows both paths at work.
	if fast < 2*slow || slow == 0 {
		t.Errorf("composed %d, fell back %d: the chains should exercise both, mostly composing", fast, slow)
	}
}

func brief2(cs []policy.Change) []string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%s %s %q→%q prose=%v", c.Path, c.Kind, c.Old, c.New, c.Prose))
	}
	return out
}

// TestComposeRefusesWhatRecordsCannotTell covers each case in which the
// step records do not determine the result: Compose must leave it to the
// models rather than guess. Each case lists how every later version
// differs from the first.
func TestComposeRefusesWhatRecordsCannotTell(t *testing.T) {
	newcomer := func(p *policy.Policy) *policy.SDK {
		s := p.SDKs[0]
		s.ID = "newcomer"
		s.Collects = slices.Clone(s.Collects)
		p.SDKs = append(p.SDKs, s)
		return &p.SDKs[len(p.SDKs)-1]
	}
	cases := []struct {
		name     string
		versions []func(p *policy.Policy)
	}{
		{"an SDK removed, then added back with another provider", []func(p *policy.Policy){
			func(p *policy.Policy) { p.SDKs = p.SDKs[1:] },
			func(p *policy.Policy) { p.SDKs[0].Provider = policy.NeutralText("Someone Else Ltd.") },
		}},
		{"an SDK added, then what it collects changed", []func(p *policy.Policy){
			func(p *policy.Policy) { newcomer(p) },
			func(p *policy.Policy) { s := newcomer(p); s.Collects = s.Collects[:1] },
		}},
		{"a summary reworded in both locales, then back in English only", []func(p *policy.Policy){
			func(p *policy.Policy) {
				p.Summary = policy.LocalizedText(map[string]string{"en": "Reworded.", "zh-CN": "改写。"})
			},
			func(p *policy.Policy) {
				p.Summary = policy.LocalizedText(map[string]string{"en": p.Summary.Get("en"), "zh-CN": "改写。"})
			},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			models := []*policy.Policy{load(t, "sdk-provider")}
			for _, f := range tc.versions {
				m := load(t, "sdk-provider")
				f(m)
				models = append(models, m)
			}
			var steps [][]policy.Change
			for k := 1; k < len(models); k++ {
				steps = append(steps, policy.Diff(models[k-1], models[k]))
			}
			want := policy.Diff(models[0], models[len(models)-1])
			if len(want) == 0 {
				t.Fatal("the case changes nothing overall; it tests nothing")
			}
			if got, ok := policy.Compose(steps); ok {
				t.Errorf("composed %q; the records cannot tell (diff gives %q)", brief2(got), brief2(want))
			}
		})
	}
}
