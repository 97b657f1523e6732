package render

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"

	"github.com/policyc/policyc/policy"
)

// LevelAdvice says what each level calls for.
var LevelAdvice = map[policy.Level]string{
	policy.Editorial:   "wording only",
	policy.Notable:     "publish an update notice",
	policy.Significant: "notify prominently (e-mail, banner, pop-up) before it takes effect",
	policy.Reconsent:   "ask for consent again",
}

// RuleRefs lists the rules behind a verdict with their clauses.
func RuleRefs(v policy.Verdict) string {
	var out []string
	for _, r := range v.Rules {
		out = append(out, fmt.Sprintf("%s: %s %s", r.ID, r.Regime, r.Clause))
	}
	return strings.Join(out, "; ")
}

// ByLevel groups verdicts from the highest level down.
func ByLevel(as policy.Assessment) [][]policy.Verdict {
	groups := make([][]policy.Verdict, policy.Reconsent+1)
	for _, v := range as.Changes {
		groups[v.Level] = append(groups[v.Level], v)
	}
	slices.Reverse(groups)
	return groups
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

var diffPage = template.Must(template.New("diff").Funcs(template.FuncMap{"ruleRefs": RuleRefs, "cap": capitalize}).Parse(`<!doctype html>
<html lang="{{ .Lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Changes {{ .From }} → {{ .To }}</title>
<style>
body { margin: 0 auto; max-width: 52rem; padding: 1rem 1.25rem 3rem; font: 1rem/1.6 system-ui, sans-serif; color: #1d1f21; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #ccd; padding: .3rem .5rem; text-align: left; vertical-align: top; }
del { background: #fde2e2; text-decoration: line-through; }
ins { background: #dcf5dc; text-decoration: underline; }
del::before { content: "[−"; } del::after { content: "]"; }
ins::before { content: "[+"; } ins::after { content: "]"; }
.redline { white-space: pre-wrap; font-family: ui-monospace, monospace; font-size: .9rem; border: 1px solid #ccd; padding: .75rem; }
.level { font-weight: 700; text-transform: uppercase; }
</style>
</head>
<body>
<main>
<h1>Changes from {{ .From }} to {{ .To }}</h1>
<p>Overall: <span class="level">{{ .Level }}</span> — {{ .Advice }}.</p>
{{ range .Groups }}{{ if . }}
<h2>{{ cap (index . 0).Level.String }} ({{ len . }})</h2>
<table>
<thead><tr><th scope="col">Change</th><th scope="col">Rule</th></tr></thead>
<tbody>
{{ range . }}<tr><td>{{ call $.Sentence .Change }}</td><td>{{ ruleRefs . }}</td></tr>
{{ end }}</tbody>
</table>
{{ end }}{{ end }}
{{ if .Redline }}<h2>Redline</h2>
<p>Deleted text is struck through and marked [−…]; inserted text is underlined and marked [+…].</p>
{{ range .Redline }}<h3>{{ .Title }} ({{ .Status }})</h3>
<div class="redline">{{ range .Segments }}{{ if eq .Op "=" }}{{ .Text }}{{ else if eq .Op "-" }}<del>{{ .Text }}</del>{{ else }}<ins>{{ .Text }}</ins>{{ end }}{{ end }}</div>
{{ end }}{{ end }}
</main>
</body>
</html>
`))

// DiffHTML writes a standalone comparison page: the verdict, the changes by
// level in words with their rules, and the redline, readable without
// colour. words says the changes (nil: worded without the models).
func DiffHTML(w io.Writer, from, to, lang string, as policy.Assessment, rl []SectionRedline, words *Wording) error {
	if words == nil {
		var err error
		if words, err = New().Wording(nil, nil, lang); err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	err := diffPage.Execute(&buf, map[string]any{"Lang": lang, "From": from, "To": to, "Level": as.Level.String(),
		"Advice": LevelAdvice[as.Level], "Groups": ByLevel(as), "Redline": rl, "Sentence": words.Sentence})
	if err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}
