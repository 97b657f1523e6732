package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"

	"github.com/policyc/policyc/policy"
)

func newLint(stdio Stdio, g *globals) *cobra.Command {
	var format, asOf string
	var profiles []string
	cmd := &cobra.Command{
		Use:   "lint [DIR]",
		Short: "Check the policy discloses what each jurisdiction requires, and agrees with itself",
		Long: `Lint checks the policy in DIR against the checklist of each of its
jurisdiction profiles (or those named with --profile): cn-pipl (PIPL and
GB/T 35273), eu-gdpr (GDPR Arts. 13, 14, 27), uk-gdpr, us-ccpa and
us-coppa; no rule runs for a profile not checked. Each finding names its
rule, severity, regime and clause, a fix, the file:line:col and model path
of the element concerned or of the place where the missing one belongs,
and the section of the rendered document that prints it. Findings the
policy acknowledges (lint.acknowledge) are reported with their reason and
do not fail. The findings go to standard output; it exits 1 when there is
an unacknowledged error, 2 when the policy does not load (run validate). In
a repository whose policyc.yaml lists several policies, it lints each.

Formats: text; json, {"format": "policyc.lint/v1", "errors", "warnings",
"acknowledged", "policies": [{"dir", "id", "findings": [{"rule",
"severity", "regime", "clause", "element", "message", "hint", "file",
"line", "col", "path", "section", "acknowledged"}]}]}
(docs/json/lint.schema.json); sarif (SARIF 2.1.0, for GitHub code
scanning; acknowledged findings are suppressions). The rules are listed in
docs/lint.md.`,
		Args: args(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			if err := checkFormat(format, "text", "json", "sarif"); err != nil {
				return err
			}
			var js []policy.Jurisdiction
			for _, p := range profiles {
				if !slices.Contains(policy.Jurisdiction("").Values(), p) {
					return usageError{fmt.Errorf("unknown profile %q (want one of: %v)", p, policy.Jurisdiction("").Values())}
				}
				js = append(js, policy.Jurisdiction(p))
			}
			opts := policy.LintOptions{Profiles: js}
			if asOf != "" {
				var err error
				if opts.AsOf, err = policy.ParseDate(asOf); err != nil {
					return usageError{fmt.Errorf("--as-of: %w", err)}
				}
			}
			ts, err := g.targets(a, true)
			if err != nil {
				return err
			}
			out := lintJSON{Format: "policyc.lint/v1", Policies: []lintedJSON{}}
			var all []policy.Finding
			for _, t := range ts {
				p, err := loadPolicy(t.dir)
				if err != nil {
					return err
				}
				o := opts
				if o.Translations, err = lintTranslations(t.dir, p); err != nil {
					return err
				}
				findings, err := policy.LintWith(p, o)
				if err != nil {
					return err
				}
				for i := range findings {
					if findings[i].Pos.File != "" && t.dir != "." {
						findings[i].Pos.File = filepath.Join(t.dir, findings[i].Pos.File)
					}
				}
				out.Policies = append(out.Policies, lintedJSON{Dir: filepath.ToSlash(t.dir), ID: string(p.ID), Findings: findingsJSON(findings)})
				all = append(all, findings...)
				if format == "text" {
					for _, f := range findings {
						fmt.Fprintf(stdio.Out, "%s: %s: %s [%s, %s %s]\n", f.Pos, f.Rule.Severity, f.Message, f.Rule.ID, f.Rule.Regime, f.Rule.Clause)
						if f.Section != nil {
							fmt.Fprintf(stdio.Out, "  in: %s\n", f.Section)
						} else if len(f.Rule.Printed) > 0 {
							fmt.Fprintf(stdio.Out, "  in: no section prints it (add {{ %s }} to one)\n", f.Rule.Printed[0])
						}
						if f.Acknowledged != nil {
							fmt.Fprintf(stdio.Out, "  acknowledged: %s\n", ackReason(f))
						} else {
							fmt.Fprintf(stdio.Out, "  fix: %s\n", f.Rule.Hint)
						}
					}
					if len(findings) == 0 {
						fmt.Fprintf(stdio.Out, "%s: no findings\n", t.dir)
					}
				}
			}
			for _, f := range all {
				switch {
				case f.Acknowledged != nil:
					out.Acknowledged++
				case f.Rule.Severity == policy.SeverityError:
					out.Errors++
				default:
					out.Warnings++
				}
			}
			switch format {
			case "json":
				if err := writeJSON(stdio.Out, out); err != nil {
					return err
				}
			case "sarif":
				if err := writeSARIF(stdio.Out, all); err != nil {
					return err
				}
			default:
				if len(all) > 0 {
					fmt.Fprintf(stdio.Out, "%d error%s, %d warning%s, %d acknowledged\n", out.Errors, plural(out.Errors), out.Warnings, plural(out.Warnings), out.Acknowledged)
				}
			}
			if out.Errors > 0 {
				return found{}
			}
			return nil
		},
	}
	formatFlag(cmd, &format, "text", "json", "sarif")
	cmd.Flags().StringSliceVar(&profiles, "profile", nil, "jurisdiction profile to check (repeatable; default: the policy's own)")
	cmd.Flags().StringVar(&asOf, "as-of", "", "`DATE` freshness rules measure from (e.g. CCPA's yearly update); lint never reads the clock")
	cmd.RegisterFlagCompletionFunc("profile", cobra.FixedCompletions(policy.Jurisdiction("").Values(), cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

type lintJSON struct {
	Format       string       `json:"format"`
	Errors       int          `json:"errors"`
	Warnings     int          `json:"warnings"`
	Acknowledged int          `json:"acknowledged"`
	Policies     []lintedJSON `json:"policies"`
}

type lintedJSON struct {
	Dir      string        `json:"dir"`
	ID       string        `json:"id"`
	Findings []findingJSON `json:"findings"`
}

type findingJSON struct {
	Rule         string             `json:"rule"`
	Severity     string             `json:"severity"`
	Regime       string             `json:"regime"`
	Clause       string             `json:"clause"`
	Element      string             `json:"element"`
	Message      string             `json:"message"`
	Hint         string             `json:"hint"`
	File         string             `json:"file"`
	Line         int                `json:"line"`
	Col          int                `json:"col"`
	Path         string             `json:"path"`
	Section      *policy.SectionRef `json:"section,omitempty"`
	Acknowledged *string            `json:"acknowledged,omitempty"` // the reason
}

func findingsJSON(fs []policy.Finding) []findingJSON {
	out := []findingJSON{}
	for _, f := range fs {
		j := findingJSON{f.Rule.ID, string(f.Rule.Severity), f.Rule.Regime, f.Rule.Clause, f.Rule.Element, f.Message, f.Rule.Hint, filepath.ToSlash(f.Pos.File), f.Pos.Line, f.Pos.Col, f.Path, f.Section, nil}
		if f.Acknowledged != nil {
			r := ackReason(f)
			j.Acknowledged = &r
		}
		out = append(out, j)
	}
	return out
}

// ackReason is the reason an acknowledged finding is accepted, in the
// policy's first locale.
func ackReason(f policy.Finding) string {
	r := f.Acknowledged.Reason
	if ls := r.Locales(); len(ls) > 0 {
		return r.Get(ls[0])
	}
	return r.Get("")
}

func writeJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// every value written is one of policyc's own types
		return bugError{fmt.Errorf("encoding JSON: %w", err)}
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// writeSARIF writes SARIF 2.1.0: one run, every rule of the rule set as
// the tool's rules, one result per finding.
func writeSARIF(w io.Writer, fs []policy.Finding) error {
	rules, err := policy.LintRules()
	if err != nil {
		return err
	}
	rules = append(rules, policy.StaleAcknowledgementRule)
	type msg struct {
		Text string `json:"text"`
	}
	type sarifRule struct {
		ID               string            `json:"id"`
		ShortDescription msg               `json:"shortDescription"`
		FullDescription  msg               `json:"fullDescription"`
		Help             msg               `json:"help"`
		Properties       map[string]string `json:"properties"`
		DefaultConfig    map[string]string `json:"defaultConfiguration"`
	}
	var srules []sarifRule
	index := map[string]int{}
	for _, r := range rules {
		index[r.ID] = len(srules)
		srules = append(srules, sarifRule{ID: r.ID, ShortDescription: msg{r.Element}, FullDescription: msg{r.Regime + " " + r.Clause + ": " + r.Element},
			Help: msg{r.Hint}, Properties: map[string]string{"regime": r.Regime, "clause": r.Clause}, DefaultConfig: map[string]string{"level": sarifLevel(r.Severity)}})
	}
	type region struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn"`
	}
	type logical struct {
		FullyQualifiedName string `json:"fullyQualifiedName"`
		Kind               string `json:"kind"`
	}
	type location struct {
		PhysicalLocation struct {
			ArtifactLocation struct {
				URI string `json:"uri"`
			} `json:"artifactLocation"`
			Region region `json:"region"`
		} `json:"physicalLocation"`
		// The model path of the element (SARIF 2.1.0 §3.33).
		LogicalLocations []logical `json:"logicalLocations,omitempty"`
	}
	// An acknowledged finding is a suppression kept in the model, with
	// its reason as the justification (SARIF 2.1.0 §3.35).
	type suppression struct {
		Kind          string `json:"kind"`
		Status        string `json:"status"`
		Justification string `json:"justification"`
	}
	type result struct {
		RuleID       string        `json:"ruleId"`
		RuleIndex    int           `json:"ruleIndex"`
		Level        string        `json:"level"`
		Message      msg           `json:"message"`
		Locations    []location    `json:"locations"`
		Suppressions []suppression `json:"suppressions,omitempty"`
	}
	results := []result{}
	for _, f := range fs {
		var loc location
		loc.PhysicalLocation.ArtifactLocation.URI = filepath.ToSlash(f.Pos.File)
		loc.PhysicalLocation.Region = region{max(1, f.Pos.Line), max(1, f.Pos.Col)}
		if f.Path != "" {
			loc.LogicalLocations = []logical{{FullyQualifiedName: f.Path, Kind: "member"}}
		}
		text := f.Message + ". Fix: " + f.Rule.Hint
		if f.Section != nil {
			text += ". In section " + f.Section.String()
		}
		res := result{RuleID: f.Rule.ID, RuleIndex: index[f.Rule.ID], Level: sarifLevel(f.Rule.Severity), Message: msg{text}, Locations: []location{loc}}
		if f.Acknowledged != nil {
			res.Suppressions = []suppression{{Kind: "inSource", Status: "accepted", Justification: ackReason(f)}}
		}
		results = append(results, res)
	}
	doc := map[string]any{
		"$schema": "https://json.schemastore.org/sarif-2.1.0.json",
		"version": "2.1.0",
		"runs": []any{map[string]any{
			"tool":    map[string]any{"driver": map[string]any{"name": "policyc", "informationUri": "https://policyc.dev", "version": version(), "rules": srules}},
			"results": results,
		}},
	}
	return writeJSON(w, doc)
}

func sarifLevel(s policy.Severity) string {
	if s == policy.SeverityError {
		return "error"
	}
	return "warning"
}
