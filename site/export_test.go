package site

import (
	"fmt"
	"os"
	"strings"
	"syscall"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
)

// ComparisonsBothWays assesses every pair of versions the site compares
// (each with the one before it and with the current one) twice: from the
// records the releases kept, as a build does, and by diffing the two
// models. It returns both in brief (every change's path, kind, values,
// level and rules; a recorded position that differs from the model's is
// marked), by pair, and the pairs the records could not tell.
func ComparisonsBothWays(dir, out string) (records, models map[string]string, untold []string, err error) {
	b, err := newBuilder(Options{Dir: dir, Out: out})
	if err != nil {
		return nil, nil, nil, err
	}
	defer b.out.abort() // nothing is written
	if err := b.scan(); err != nil {
		return nil, nil, nil, err
	}
	records, models = map[string]string{}, map[string]string{}
	last := len(b.vs) - 1
	for i := range b.vs {
		var pairs [][2]int
		if i > 0 {
			pairs = append(pairs, [2]int{i - 1, i})
		}
		if i < last-1 {
			pairs = append(pairs, [2]int{i, last})
		}
		for _, p := range pairs {
			from, to := b.vs[p[0]], b.vs[p[1]]
			name := fmt.Sprintf("v%d-v%d", from.Version, to.Version)
			rec, ok, err := b.recorded(from, to)
			if err != nil {
				return nil, nil, nil, err
			}
			if !ok {
				untold = append(untold, name)
				continue
			}
			ma, err := b.model(from)
			if err != nil {
				return nil, nil, nil, err
			}
			mb, err := b.model(to)
			if err != nil {
				return nil, nil, nil, err
			}
			mod := policy.Assess(ma, mb)
			records[name], models[name] = brief(rec, mod), brief(mod, mod)
		}
	}
	return records, models, untold, nil
}

func brief(as, truth policy.Assessment) string {
	var w strings.Builder
	fmt.Fprintf(&w, "level %s, prose changed %v\n", as.Level, as.ProseChanged)
	for k, c := range as.Changes {
		var rules []string
		for _, r := range c.Rules {
			rules = append(rules, r.ID)
		}
		fmt.Fprintf(&w, "%s %s %q→%q %s %v\n", c.Path, c.Kind, c.Old, c.New, c.Level, rules)
		if k < len(truth.Changes) {
			t := truth.Changes[k]
			if !c.OldPos.IsZero() && c.OldPos != t.OldPos || !c.NewPos.IsZero() && c.NewPos != t.NewPos {
				fmt.Fprintf(&w, "  at %v→%v, not %v→%v\n", c.OldPos, c.NewPos, t.OldPos, t.NewPos)
			}
		}
	}
	return w.String()
}

// PickScript is the comparison picker's script, the one script a site
// page carries.
const PickScript = pickScript

// Anchor, Esc and Locales are the page's link maker, its text escaper
// and the locales read from a version's file names.
var (
	Anchor  = anchor
	Esc     = esc
	Locales = locales
)

// KillAt makes a build end its process with SIGKILL when its commit
// reaches step: "recorded" (the manifest names the files of both
// builds), "placed" (new files renamed in, old ones removed) or "moved"
// (a first build's directory renamed into place, before the manifest
// names only the new build's files).
func KillAt(step string) {
	commitStep = func(s string) {
		if s == step {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
		}
	}
}

// DateHTML is a date as a site page shows it, with the labels of loc.
func DateHTML(loc, s string) (string, error) {
	labels, err := render.New().Labels(loc)
	if err != nil {
		return "", err
	}
	return dateHTML(labels, s), nil
}
