package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
	"github.com/policyc/policyc/templates"
)

func newValidate(stdio Stdio, g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "validate [DIR]",
		Short: "Check a policy directory and report every problem as file:line:col",
		Long: `Validate loads the policy in DIR (default: see policyc help policy-dir) and
reports every problem at once, sorted by position: YAML syntax, unknown or
duplicate keys, wrong types, missing fields, duplicate ids, references to ids
that do not exist, invalid dates, URLs, e-mail addresses and locales, missing
translations, sensitive data used without separate consent, and prose that
names facts that do not exist. A policy with its own templates/ folder is
rendered with it (Markdown and HTML, every locale), so that a broken
template override is a problem at its file:line:col here rather than a
failure of render. The problems go to standard output; it
exits 1 when there is any, 2 when there is no policy to validate. In a
repository whose policyc.yaml lists several policies, it validates each.

--format json prints {"format": "policyc.validate/v1", "valid", "policies":
[{"dir", "id", "valid", "problems": [{"file", "line", "col", "message"}]}]}
(docs/json/validate.schema.json).`,
		Args: args(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			ts, err := g.targets(a, true)
			if err != nil {
				return err
			}
			out := validateJSON{Format: "policyc.validate/v1", Valid: true, Policies: []validatedJSON{}}
			problems := 0
			for _, t := range ts {
				p, err := policy.Load(t.dir)
				var list policy.ErrorList
				if err != nil && !errors.As(err, &list) {
					return err
				}
				if len(list) == 0 {
					list = checkOverrides(t.dir, p)
				}
				list = relativeTo(t.dir, list)
				r := validatedJSON{Dir: filepath.ToSlash(t.dir), ID: t.id, Valid: len(list) == 0, Problems: []problemJSON{}}
				if id, err := policy.ReadID(t.dir); err == nil {
					r.ID = string(id)
				}
				for _, e := range list {
					r.Problems = append(r.Problems, problemJSON{filepath.ToSlash(e.Pos.File), e.Pos.Line, e.Pos.Col, e.Msg})
				}
				out.Policies = append(out.Policies, r)
				out.Valid = out.Valid && r.Valid
				problems += len(list)
				if format == "text" {
					for _, e := range list {
						fmt.Fprintln(stdio.Out, e)
					}
					if len(list) == 0 {
						fmt.Fprintf(stdio.Out, "%s: policy %q is valid (%s)\n", t.dir, p.ID, summary(p))
					}
				}
			}
			if format == "json" {
				if err := writeJSON(stdio.Out, out); err != nil {
					return err
				}
			} else if problems > 0 {
				fmt.Fprintf(stdio.Out, "%d problem%s\n", problems, plural(problems))
			}
			if problems > 0 {
				return found{}
			}
			return nil
		},
	}
	formatFlag(cmd, &format, "text", "json")
	return cmd
}

type validateJSON struct {
	Format   string          `json:"format"`
	Valid    bool            `json:"valid"`
	Policies []validatedJSON `json:"policies"`
}

type validatedJSON struct {
	Dir      string        `json:"dir"`
	ID       string        `json:"id"`
	Valid    bool          `json:"valid"`
	Problems []problemJSON `json:"problems"`
}

type problemJSON struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Message string `json:"message"`
}

// relativeTo makes positions relative to the working directory, so that the
// paths the user sees open from where they ran the command.
func relativeTo(dir string, list policy.ErrorList) policy.ErrorList {
	if len(list) == 0 {
		return nil
	}
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

// checkFormat refuses a --format value a command does not write.
func checkFormat(format string, allowed ...string) error {
	for _, f := range allowed {
		if f == format {
			return nil
		}
	}
	return usageError{fmt.Errorf("unknown format %q (want %s)", format, orList(allowed))}
}

// orList is "a", "a or b", "a, b or c".
func orList(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	out := s[0]
	for _, x := range s[1 : len(s)-1] {
		out += ", " + x
	}
	return out + " or " + s[len(s)-1]
}

// formatFlag adds --format, whose values are formats, the first the
// default, with their completion.
func formatFlag(cmd *cobra.Command, p *string, formats ...string) {
	cmd.Flags().StringVar(p, "format", formats[0], "output format: "+orList(formats))
	completeFormats(cmd, formats...)
}

// completeFormats completes --format with a command's formats.
func completeFormats(cmd *cobra.Command, formats ...string) {
	cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(formats, cobra.ShellCompDirectiveNoFileComp))
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

// templatePos finds "NAME:LINE" or "NAME:LINE:COL" in a text/template or
// html/template error.
var templatePos = regexp.MustCompile(`template: ([^:\s]+):(\d+)(?::(\d+))?: (?:executing "[^"]*" at <[^>]*>: )?(.*)`)

// checkOverrides renders the policy in every locale, as Markdown and HTML,
// with its own templates/ folder, so that a broken override is validate's
// finding, at the override's file:line:col, not render's surprise. A
// parse error gives only the line: its column is then the line's first.
func checkOverrides(dir string, p *policy.Policy) policy.ErrorList {
	tfs, ok := templatesDir(dir)
	if !ok || p == nil {
		return nil
	}
	var locales []string
	for _, l := range p.Locales {
		locales = append(locales, string(l))
	}
	_, err := render.New(render.WithTemplates(tfs)).Files(p, render.Request{Locales: locales, Formats: []string{"md", "html"}})
	var te *render.TemplateError
	if !errors.As(err, &te) || te.Source != templates.Override {
		return nil // anything else is render's to report, with its context
	}
	e := &policy.Error{Pos: policy.Pos{File: filepath.Join("templates", filepath.FromSlash(te.Name)), Line: 1, Col: 1}, Msg: "template override: " + te.Err.Error()}
	if m := templatePos.FindStringSubmatch(te.Err.Error()); m != nil {
		e.Pos.Line, _ = strconv.Atoi(m[2])
		if m[3] != "" {
			// The template engine counts bytes from 0; a Pos counts
			// characters from 1, as editors do.
			off, _ := strconv.Atoi(m[3])
			src, _ := fs.ReadFile(tfs, te.Name)
			if lines := strings.Split(string(src), "\n"); e.Pos.Line <= len(lines) {
				line := lines[e.Pos.Line-1]
				e.Pos.Col = utf8.RuneCountInString(line[:min(off, len(line))]) + 1
			}
		}
		e.Msg = "template override: " + m[4]
	}
	return policy.ErrorList{e}
}
