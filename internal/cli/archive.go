package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"

	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
	"github.com/policyc/policyc/site"
	"github.com/policyc/policyc/versions"
)

// loadPolicy loads and validates the policy in dir, with positions relative
// to the working directory.
func loadPolicy(dir string) (*policy.Policy, error) {
	p, err := policy.Load(dir)
	var list policy.ErrorList
	if errors.As(err, &list) {
		return nil, relativeTo(dir, list)
	}
	return p, err
}

// openArchive opens the archive of the policy in dir. Reading the archive
// needs only the policy's id, so a working copy with problems elsewhere can
// still be read.
func openArchive(dir string) (*versions.Archive, string, error) {
	id, err := policy.ReadID(dir)
	if err != nil {
		return nil, "", err
	}
	a, err := versions.Open(dir, string(id))
	if err != nil {
		return nil, "", archiveError(err)
	}
	return a, string(id), nil
}

// archiveError classes the archive's errors: refusals and damage are not
// bugs in policyc.
func archiveError(err error) error {
	switch {
	case errors.Is(err, versions.ErrNoRepository), errors.Is(err, versions.ErrBusy),
		errors.Is(err, versions.ErrUnchanged), errors.Is(err, versions.ErrNoVersion), errors.Is(err, versions.ErrRefChanged),
		errors.Is(err, versions.ErrTagTaken), errors.Is(err, versions.ErrDamaged):
		return inputError{err}
	}
	return err
}

// tellRecovered says what opening the archive did to settle an interrupted
// release (a lock taken over, a release finished or rolled back).
func tellRecovered(w io.Writer, a *versions.Archive) {
	for _, n := range a.Recovered() {
		fmt.Fprintf(w, "policyc: %s\n", n)
	}
}

func newRelease(stdio Stdio) *cobra.Command {
	var effective, updated, shortNotice string
	cmd := &cobra.Command{
		Use:   "release [DIR]",
		Short: "Record a new published version in the git archive",
		Long: `Release validates the policy in DIR, renders every document in every locale
and format, and records them with the model source as a new version: a
commit on refs/policyc/<policy-id> and an annotated tag policyc/<id>/v<N>.
The repository's branches, index and work tree are not touched.

A release whose model is unchanged since the latest version is refused, and
so is an effective date earlier than the latest version's. The change from
the previous version is assessed (see policyc diff) and the verdict stored
with the version as verdict.json; a significant or reconsent change must
take effect at least the policy's notice period (changes.notice_period,
default 30 days) after its update date, unless --short-notice-reason is
given, which is recorded.`,
		Example: "  policyc release --effective 2026-06-01\n  policyc release policy/ --effective 2026-06-01 --updated 2026-05-01",
		Args:    args(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			dir := dirArg(a)
			var opts []render.Option
			if tfs, ok := templatesDir(dir); ok {
				opts = append(opts, render.WithTemplates(tfs))
			}
			r := render.New(opts...)
			r.PreparePDF(render.PDFOptions{}) // while the policy loads
			p, err := loadPolicy(dir)
			if err != nil {
				return err
			}
			eff, upd, err := versionDates(effective, updated, p.Updated)
			if err != nil {
				return err
			}
			arch, err := versions.Open(dir, string(p.ID))
			if err != nil {
				return archiveError(err)
			}
			defer tellRecovered(stdio.Err, arch)
			var verdict policy.Assessment
			v, err := arch.Release(versions.ReleaseOptions{Updated: upd, Effective: eff,
				Contents: func(n int) (versions.Contents, error) {
					c := versions.Contents{}
					var old *policy.Policy // the previous version's model, when it has one
					if n > 1 {
						prev, err := arch.Version(n - 1)
						if err != nil {
							return c, err
						}
						if !prev.Imported {
							if old, err = arch.Model(prev); err != nil {
								return c, err
							}
							verdict = policy.Assess(old, p)
							if err := noticeGate(p, verdict, upd, eff, shortNotice); err != nil {
								return c, err
							}
							c.Level, c.ShortNoticeReason = verdict.Level.String(), shortNotice
						}
					}
					files, err := versions.PolicyFiles(p, r, render.Meta{Version: strconv.Itoa(n), Updated: upd, Effective: eff})
					if err != nil {
						return c, err
					}
					if c.Level != "" {
						if files["verdict.json"], err = policy.VerdictJSON("v"+strconv.Itoa(n-1), "v"+strconv.Itoa(n), verdict); err != nil {
							return c, err
						}
					}
					if old != nil && verdict.Level >= policy.Significant {
						pack, err := noticeFiles(old, p, verdict, render.Meta{Version: strconv.Itoa(n), Updated: upd, Effective: eff})
						if err != nil {
							return c, err
						}
						maps.Copy(files, pack)
					}
					c.Files = files
					return c, nil
				}})
			if err != nil {
				return archiveError(err)
			}
			level := ""
			if v.Level != "" {
				level = ", " + v.Level
			}
			fmt.Fprintf(stdio.Out, "released %s version %d (effective %s%s): tag %s, commit %s, %d files\n",
				p.ID, v.Version, v.Effective, level, versions.TagName(string(p.ID), v.Version), v.Commit.String()[:12], len(v.Files))
			return nil
		},
	}
	cmd.Flags().StringVar(&effective, "effective", "", "effective date of the version, YYYY-MM-DD (required)")
	cmd.Flags().StringVar(&updated, "updated", "", "last-updated date printed in it, when the update is announced (default: the model's, else the effective date)")
	cmd.Flags().StringVar(&shortNotice, "short-notice-reason", "", "release a significant change with less notice than the policy's notice period, for this recorded `reason`")
	return cmd
}

// versionDates reads --effective (required) and --updated (default: def,
// else the effective date); a version cannot take effect before its update.
func versionDates(effective, updated string, def policy.Date) (eff, upd policy.Date, err error) {
	if effective == "" {
		return eff, upd, usageError{errors.New("--effective DATE is required")}
	}
	if eff, err = policy.ParseDate(effective); err != nil {
		return eff, upd, usageError{fmt.Errorf("--effective: %w", err)}
	}
	upd = def
	if updated != "" {
		if upd, err = policy.ParseDate(updated); err != nil {
			return eff, upd, usageError{fmt.Errorf("--updated: %w", err)}
		}
	}
	if upd.IsZero() {
		upd = eff
	}
	if eff.Before(upd) {
		return eff, upd, inputError{fmt.Errorf("effective date %s is before the updated date %s", eff, upd)}
	}
	return eff, upd, nil
}

// noticeGate refuses a significant or reconsent release that takes effect
// sooner than the policy's notice period after it is announced (its
// updated date), unless a reason is given (recorded with the version).
func noticeGate(p *policy.Policy, as policy.Assessment, updated, effective policy.Date, reason string) error {
	if as.Level < policy.Significant {
		return nil
	}
	notice := p.Changes.NoticePeriod
	if notice.IsZero() {
		notice = render.DefaultNoticePeriod
	}
	days := effective.Time().Sub(updated.Time()).Hours() / 24
	if days >= notice.ApproxDays() || reason != "" {
		return nil
	}
	return inputError{fmt.Errorf("this release is %s and the policy promises %s' notice, but it takes effect %s, only %.0f days after its update date %s: set a later --effective date, or give --short-notice-reason",
		as.Level, notice, effective, days, updated)}
}

func newLog(stdio Stdio) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "log [DIR]",
		Short: "List the archived versions, newest first",
		Args:  args(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			if format != "text" && format != "json" {
				return usageError{fmt.Errorf("unknown format %q (want text or json)", format)}
			}
			arch, id, err := openArchive(dirArg(a))
			if err != nil {
				return err
			}
			tellRecovered(stdio.Err, arch)
			vs, err := arch.Versions()
			if err != nil {
				return archiveError(err)
			}
			if format == "json" {
				type entry struct {
					Version   int    `json:"version"`
					Tag       string `json:"tag"`
					Commit    string `json:"commit"`
					Updated   string `json:"updated"`
					Effective string `json:"effective"`
					Imported  bool   `json:"imported"`
				}
				out := []entry{}
				for _, v := range vs {
					out = append(out, entry{v.Version, versions.TagName(id, v.Version), v.Commit.String(), v.Updated, v.Effective, v.Imported})
				}
				enc := json.NewEncoder(stdio.Out)
				enc.SetIndent("", "  ")
				return enc.Encode(out)
			}
			if len(vs) == 0 {
				fmt.Fprintf(stdio.Out, "%s has no archived versions yet (policyc release --effective DATE)\n", id)
			}
			for _, v := range vs {
				imported := ""
				if v.Imported {
					imported = "  imported"
				}
				fmt.Fprintf(stdio.Out, "v%-4d effective %s  updated %s  %s%s\n", v.Version, v.Effective, v.Updated, v.Commit.String()[:12], imported)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func newShow(stdio Stdio) *cobra.Command {
	var format, locale, document, output, dir string
	cmd := &cobra.Command{
		Use:   "show VERSION",
		Short: "Print a version's published file exactly as archived",
		Long: `Show writes one archived file of a version — the policy, or another document
with --document, in a locale and format — byte for byte as it was released.
VERSION is a number (3), v3 or the tag name.`,
		Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			n, err := versions.ParseVersion(a[0])
			if err != nil {
				return usageError{err}
			}
			arch, _, err := openArchive(dir)
			if err != nil {
				return err
			}
			tellRecovered(stdio.Err, arch)
			v, err := arch.Version(n)
			if err != nil {
				return archiveError(err)
			}
			if locale == "" {
				locale = firstLocale(v)
			}
			name := "rendered/" + document + "." + locale + "." + format
			if format == "json" {
				name = "rendered/policy." + locale + ".json"
			}
			b, err := arch.ReadFile(v, name)
			if err != nil {
				return inputError{err}
			}
			if output != "" {
				return site.WriteFileAtomic(output, b, 0o644)
			}
			_, err = stdio.Out.Write(b)
			return err
		},
	}
	cmd.Flags().StringVar(&format, "format", "md", "md, html, pdf or json")
	cmd.Flags().StringVar(&locale, "locale", "", "locale (default: the version's first)")
	cmd.Flags().StringVar(&document, "document", "policy", "document id, for separate documents such as children's rules")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to `FILE`")
	cmd.Flags().StringVarP(&dir, "dir", "C", ".", "policy `DIR`")
	return cmd
}

// firstLocale is the locale of the version's first rendered policy.
func firstLocale(v versions.Version) string {
	for _, f := range v.Files {
		if rest, ok := strings.CutPrefix(f.Path, "rendered/policy."); ok {
			if loc, ok := strings.CutSuffix(rest, ".md"); ok {
				return loc
			}
		}
	}
	return "en"
}

func newVerify(stdio Stdio) *cobra.Command {
	return &cobra.Command{
		Use:   "verify [DIR]",
		Short: "Check every archived version against its recorded hashes and tags",
		Long: `Verify recomputes everything it can: the object name of every commit, tree,
file and tag it reads, the SHA-256 of every archived file against its
version's record, and the chain of records (each names the previous one's
SHA-256); and it checks that every tag points at its version. An edited or
swapped file, an altered record, a moved or deleted tag, a missing version
or a rewritten history is each reported, naming the version. It exits 1
when anything is wrong.`,
		Args: args(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			arch, id, err := openArchive(dirArg(a))
			if err != nil {
				return err
			}
			tellRecovered(stdio.Err, arch)
			problems, err := arch.Verify()
			if err != nil {
				return archiveError(err)
			}
			if len(problems) > 0 {
				for _, p := range problems {
					fmt.Fprintf(stdio.Err, "%s: %s\n", id, p)
				}
				return inputError{fmt.Errorf("the archive of %s has %d problem%s", id, len(problems), plural(len(problems)))}
			}
			vs, _ := arch.Versions()
			fmt.Fprintf(stdio.Out, "%s: %d version%s verified\n", id, len(vs), plural(len(vs)))
			return nil
		},
	}
}

func newArchive(stdio Stdio) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "archive",
		Short: "Work with the archive of published versions",
	}
	var dir, updated, effective, locale string
	imp := &cobra.Command{
		Use:   "import FILE",
		Short: "Record a version published before policyc was adopted",
		Long: `Import records FILE (Markdown, HTML or PDF, as it was published) as the
next version of the policy in the archive, byte for byte, marked imported.
Versions are appended in order: import the oldest first, before the first
release.`,
		Example: "  policyc archive import old/privacy-2019.pdf --updated 2019-12-13 --effective 2019-12-20",
		Args:    args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			eff, upd, err := versionDates(effective, updated, policy.Date{})
			if err != nil {
				return err
			}
			b, err := os.ReadFile(a[0])
			if err != nil {
				return inputError{err}
			}
			arch, id, err := openArchive(dir)
			if err != nil {
				return err
			}
			defer tellRecovered(stdio.Err, arch)
			if locale == "" {
				p, _ := policy.Load(dir)
				locale = "en"
				if p != nil && len(p.Locales) > 0 {
					locale = string(p.Locales[0])
				}
			}
			format := strings.TrimPrefix(strings.ToLower(filepath.Ext(a[0])), ".")
			if format == "markdown" {
				format = "md"
			} else if format == "htm" {
				format = "html"
			}
			v, err := arch.Import(b, format, locale, upd, eff)
			if err != nil {
				return archiveError(err)
			}
			fmt.Fprintf(stdio.Out, "imported %s as %s version %d (effective %s): tag %s\n", a[0], id, v.Version, v.Effective, versions.TagName(id, v.Version))
			return nil
		},
	}
	imp.Flags().StringVarP(&dir, "dir", "C", ".", "policy `DIR`")
	imp.Flags().StringVar(&updated, "updated", "", "the version's last-updated date (default: the effective date)")
	imp.Flags().StringVar(&effective, "effective", "", "the version's effective date, YYYY-MM-DD (required)")
	imp.Flags().StringVar(&locale, "locale", "", "the file's locale (default: the policy's first)")
	cmd.AddCommand(imp)
	return cmd
}
