package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/policyc/policyc/policy"
)

func newValidate(stdio Stdio) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "validate [DIR]",
		Short: "Check a policy directory and report every problem as file:line:col",
		Long: `Validate loads the policy in DIR (default: the current directory) and
reports every problem at once, sorted by position: YAML syntax, unknown or
duplicate keys, wrong types, missing fields, duplicate ids, references to ids
that do not exist, invalid dates, URLs, e-mail addresses and locales, missing
translations, sensitive data used without separate consent, and prose that
names facts that do not exist. It exits 1 when there is any problem.`,
		Args: args(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			if format != "text" && format != "json" {
				return usageError{fmt.Errorf("unknown format %q (want text or json)", format)}
			}
			dir := dirArg(a)
			p, err := policy.Load(dir)
			var list policy.ErrorList
			if errors.As(err, &list) {
				list = relativeTo(dir, list)
				if format == "json" {
					if err := writeProblems(stdio, list); err != nil {
						return err
					}
				}
				return list
			}
			if err != nil {
				return err
			}
			if format == "json" {
				return writeProblems(stdio, nil)
			}
			fmt.Fprintf(stdio.Out, "%s: policy %q is valid (%s)\n", dir, p.ID, summary(p))
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

// relativeTo makes positions relative to the working directory, so that the
// paths the user sees open from where they ran the command.
func relativeTo(dir string, list policy.ErrorList) policy.ErrorList {
	out := make(policy.ErrorList, len(list))
	for i, e := range list {
		c := *e
		if c.Pos.File != "" && dir != "." {
			c.Pos.File = filepath.Join(dir, c.Pos.File)
		}
		out[i] = &c
	}
	return out
}

func writeProblems(stdio Stdio, list policy.ErrorList) error {
	type problem struct {
		File    string `json:"file"`
		Line    int    `json:"line"`
		Col     int    `json:"col"`
		Message string `json:"message"`
	}
	out := struct {
		Valid    bool      `json:"valid"`
		Problems []problem `json:"problems"`
	}{Valid: len(list) == 0, Problems: []problem{}}
	for _, e := range list {
		out.Problems = append(out.Problems, problem{e.Pos.File, e.Pos.Line, e.Pos.Col, e.Msg})
	}
	enc := json.NewEncoder(stdio.Out)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func summary(p *policy.Policy) string {
	s := fmt.Sprintf("%d locale%s, %d section%s, %d data categor%s, %d activit%s, %d SDK%s, %d recipient%s, %d right%s",
		len(p.Locales), plural(len(p.Locales)),
		len(p.Sections), plural(len(p.Sections)),
		len(p.DataCategories), yPlural(len(p.DataCategories)),
		len(p.Activities), yPlural(len(p.Activities)),
		len(p.SDKs), plural(len(p.SDKs)),
		len(p.Recipients), plural(len(p.Recipients)),
		len(p.Rights), plural(len(p.Rights)))
	return s
}

func yPlural(n int) string {
	if n == 1 {
		return "y"
	}
	return "ies"
}
