package policy_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/policyc/policyc/policy"
)

// TestProseParsingIsLinearInItsSize parses hostile shapes of prose on one
// line, as large as the loader reads. Each must finish well within the
// bound: a parser that rescanned the line at every "{{" would take hours.
func TestProseParsingIsLinearInItsSize(t *testing.T) {
	const size = policy.MaxFileSize
	shapes := map[string]string{
		"openings":           "{{",
		"unclosed reference": "{{ sdk_table ",
		"references":         "{{ sdk_table }}",
		"refused references": "{{ range 1 }}",
		"braces":             "{",
	}
	for name, unit := range shapes {
		t.Run(name, func(t *testing.T) {
			src := strings.Repeat(unit, size/len(unit))
			within(t, "parsing", func() { policy.ParseProse(src) })
		})
	}
}

func TestProsePartsKeepTheTextAroundReferences(t *testing.T) {
	src := "# Data\n\nWe collect {{ category \"email\" }}, and}} {x} }}\n\n{{\tsdk_table\t}}\n中文{{ controller }}"
	parts, errs := policy.ParseProse(src)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var got []string
	for _, p := range parts {
		if p.Call != nil {
			arg := ""
			if p.Call.Arg != nil {
				arg = " " + *p.Call.Arg
			}
			got = append(got, "<"+p.Call.Func+arg+">")
			continue
		}
		got = append(got, p.Text)
	}
	want := []string{"# Data\n\nWe collect ", "<category email>", ", and}} {x} }}\n\n", "<sdk_table>", "\n中文", "<controller>"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("parts\n%q\nwant\n%q", got, want)
	}
	calls, _ := policy.ProseCalls(src)
	var at []string
	for _, c := range calls {
		at = append(at, fmt.Sprintf("%s@%d:%d", c.Func, c.Line, c.Col))
	}
	if w := "category@3:15 sdk_table@5:4 controller@6:6"; strings.Join(at, " ") != w {
		t.Errorf("positions %s, want %s", strings.Join(at, " "), w)
	}
}
