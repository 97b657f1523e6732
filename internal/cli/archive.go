package cli

import (
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
// archive opens the archive of the policy a command names (see targets).
func (g *globals) archive(a []string) (*versions.Archive, string, error) {
	dir, err := g.policyDir(a)
	if err != nil {
		return nil, "", err
	}
	return openArchive(dir)
}

func openArchive(dir string) (*versions.Archive, string, error) {
	id, err := policy.ReadID(dir)
	if err != nil {
		return nil, "", err
	}
	a, err := versions.Open(dir, string(id))
	if err != nil {
		return nil, "", err
	}
	return a, string(id), nil
}

// tellRecovered says what opening the archive did to settle an interrupted
// release (a lock taken over, a release finished or rolled back).
func tellRecovered(w io.Writer, a *versions.Archive) {
	for _, n := range a.Recovered() {
		fmt.Fprintf(w, "policyc: %s\n", n)
	}
}

func newRelease(stdio Stdio, g *globals) *cobra.Command {
	var effective, updated, shortNotice, format string
	var allowStale []string
	var allowDirty bool
	var approvedBy []string
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
given, which is recorded. A refused release exits 2 and records nothing.

The release's dates have one source, the model: effective and updated in
policy.yaml. --effective and --updated may repeat them, or give them when
policy.yaml has none (they are then recorded with the version, in
policyc.json, and printed in its documents); a flag that disagrees with
policy.yaml is refused, naming the line to change.

Each version records the policyc build that made it (policyc --version),
the commit of the repository holding the policy directory and whether the
directory was clean, and who approved it (--approved-by, repeatable). A
policy directory with uncommitted changes or untracked files is refused,
naming them, unless --allow-dirty is given, which is recorded.

Each version records, per locale and translation unit, fingerprints of the
translation and of the source text it was made or reviewed against (see
policyc translations). A release with a stale translation is refused unless
--allow-stale names its locale; the locales so allowed are recorded, and
their pages say the translation may not reflect the latest changes.

--format json prints {"format": "policyc.release/v1", "policy", "version",
"tag", "commit", "updated", "effective", "level", "files", "policyc",
"source_commit", "source_clean", "approved_by"}
(docs/json/release.schema.json).`,
		Example: "  policyc release --effective 2026-06-01\n  policyc release policy/ --effective 2026-06-01 --updated 2026-05-01",
		Args:    args(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			dir, err := g.policyDir(a)
			if err != nil {
				return err
			}
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
			eff, upd, err := releaseDates(effective, updated, p, dir)
			if err != nil {
				return err
			}
			arch, err := versions.Open(dir, string(p.ID))
			if err != nil {
				return err
			}
			defer tellRecovered(stdio.Err, arch)
			src, err := arch.SourceState(dir)
			if err != nil {
				return err
			}
			if !src.Clean() && !allowDirty {
				changed := make([]string, len(src.Changed))
				for i, c := range src.Changed {
					changed[i] = filepath.Join(dir, filepath.FromSlash(c))
				}
				return fmt.Errorf("the policy directory %s has changes that are not committed: %s; commit them, so that the version can be traced to a commit, or give --allow-dirty (recorded with the version)",
					dir, strings.Join(changed, ", "))
			}
			for _, name := range approvedBy {
				if strings.TrimSpace(name) == "" {
					return usageError{errors.New("--approved-by needs a name")}
				}
			}
			v, err := arch.Release(versions.ReleaseOptions{Updated: upd, Effective: eff,
				Source: &src, Policyc: version(), ApprovedBy: approvedBy,
				Contents: func(n int) (versions.Contents, error) {
					c := versions.Contents{}
					meta := render.Meta{Version: strconv.Itoa(n), Updated: upd, Effective: eff}
					var change map[string][]byte // the verdict and notice pack, assessed before rendering
					if n > 1 {
						prev, err := arch.Version(n - 1)
						if err != nil {
							return c, err
						}
						if !prev.Imported { // an imported version has no model to compare
							old, err := arch.Model(prev)
							if err != nil {
								return c, err
							}
							cs, err := versions.AssessChange(versions.ChangeOptions{Old: old, New: p, From: "v" + strconv.Itoa(n-1), To: "v" + strconv.Itoa(n),
								Meta: meta, Release: true, ShortNoticeReason: shortNotice, Renderer: r})
							if err != nil {
								return c, err
							}
							c.Level, c.ShortNoticeReason = cs.Assessment.Level.String(), shortNotice
							change = cs.Files
							change["verdict.json"] = cs.Verdict
						}
					}
					files, err := versions.PolicyFiles(p, r, meta)
					if err != nil {
						return c, err
					}
					maps.Copy(files, change)
					c.Files = files
					c.Translations, c.AllowStale, err = releaseTranslations(dir, p, arch, allowStale)
					return c, err
				}})
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSON(stdio.Out, releaseJSON{Format: "policyc.release/v1", Policy: string(p.ID), Version: v.Version,
					Tag: versions.TagName(string(p.ID), v.Version), Commit: v.Commit.String(), Updated: v.Updated, Effective: v.Effective,
					Level: v.Level, Files: len(v.Files), provenanceJSON: provenanceOf(v)})
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
	formatFlag(cmd, &format, "text", "json")
	cmd.Flags().StringVar(&effective, "effective", "", "effective date of the version, YYYY-MM-DD (default: the model's effective date; required without one)")
	cmd.Flags().StringVar(&updated, "updated", "", "last-updated date printed in it, when the update is announced (default: the model's, else the effective date)")
	cmd.Flags().StringArrayVar(&allowStale, "allow-stale", nil, "release with stale translations in this `locale` (repeatable); recorded, and said on its pages")
	cmd.Flags().BoolVar(&allowDirty, "allow-dirty", false, "release a policy directory with uncommitted changes (recorded with the version)")
	cmd.Flags().StringArrayVar(&approvedBy, "approved-by", nil, "record that `NAME` signed the release off (repeatable)")
	cmd.Flags().StringVar(&shortNotice, "short-notice-reason", "", "release a significant change with less notice than the policy's notice period, for this recorded `reason`")
	return cmd
}

type releaseJSON struct {
	Format    string `json:"format"`
	Policy    string `json:"policy"`
	Version   int    `json:"version"`
	Tag       string `json:"tag"`
	Commit    string `json:"commit"`
	Updated   string `json:"updated"`
	Effective string `json:"effective"`
	Level     string `json:"level"`
	Files     int    `json:"files"`
	provenanceJSON
}

// provenanceJSON is what a version records of how it was made; a version
// made before it was recorded, or imported, has none of it.
type provenanceJSON struct {
	Policyc      string   `json:"policyc,omitempty"`
	SourceCommit string   `json:"source_commit,omitempty"`
	SourceClean  *bool    `json:"source_clean,omitempty"`
	ApprovedBy   []string `json:"approved_by,omitempty"`
}

func provenanceOf(v versions.Version) provenanceJSON {
	return provenanceJSON{v.Policyc, v.SourceCommit, v.SourceClean, v.ApprovedBy}
}

// releaseDates are a release's dates, from one source: the model's
// effective and updated dates, which --effective and --updated may repeat
// or, where the model has none, supply. A flag that disagrees with the
// model is refused, naming the line to change, so that a redline never
// compares a date the model says with one a flag said.
func releaseDates(effective, updated string, p *policy.Policy, dir string) (eff, upd policy.Date, err error) {
	pick := func(flag, value, field string, model policy.Date) (policy.Date, error) {
		if value == "" {
			return model, nil
		}
		d, err := policy.ParseDate(value)
		if err != nil {
			return d, usageError{fmt.Errorf("--%s: %w", flag, err)}
		}
		if !model.IsZero() && d.String() != model.String() {
			pos := p.FieldPos(field)
			if pos.File != "" && dir != "." {
				pos.File = filepath.Join(dir, pos.File)
			}
			return d, fmt.Errorf("%s: --%s %s disagrees with the model's %s date %s: the model is the one source of the release's dates, so change %s in policy.yaml, or drop --%s",
				pos, flag, d, field, model, field, flag)
		}
		return d, nil
	}
	if eff, err = pick("effective", effective, "effective", p.Effective); err != nil {
		return eff, upd, err
	}
	if upd, err = pick("updated", updated, "updated", p.Updated); err != nil {
		return eff, upd, err
	}
	if eff.IsZero() {
		return eff, upd, usageError{errors.New("--effective DATE is required: policy.yaml has no effective date")}
	}
	if upd.IsZero() {
		upd = eff
	}
	if eff.Before(upd) {
		return eff, upd, fmt.Errorf("effective date %s is before the updated date %s", eff, upd)
	}
	return eff, upd, nil
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
		return eff, upd, fmt.Errorf("effective date %s is before the updated date %s", eff, upd)
	}
	return eff, upd, nil
}

func newLog(stdio Stdio, g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "log [DIR]",
		Short: "List the archived versions, newest first",
		Long: `Log lists the archived versions of the policy, newest first, with who
approved each and whether it was released with uncommitted changes.

--format json prints {"format": "policyc.log/v1", "policy", "versions":
[{"version", "tag", "commit", "updated", "effective", "imported", "level",
"policyc", "source_commit", "source_clean", "approved_by"}]}
(docs/json/log.schema.json).`,
		Args: args(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			arch, id, err := g.archive(a)
			if err != nil {
				return err
			}
			tellRecovered(stdio.Err, arch)
			vs, err := arch.Versions()
			if err != nil {
				return err
			}
			if format == "json" {
				out := logJSON{Format: "policyc.log/v1", Policy: id, Versions: []logEntryJSON{}}
				for _, v := range vs {
					out.Versions = append(out.Versions, logEntryJSON{v.Version, versions.TagName(id, v.Version), v.Commit.String(), v.Updated, v.Effective, v.Imported, v.Level, provenanceOf(v)})
				}
				return writeJSON(stdio.Out, out)
			}
			if len(vs) == 0 {
				fmt.Fprintf(stdio.Out, "%s has no archived versions yet (policyc release --effective DATE)\n", id)
			}
			for _, v := range vs {
				imported := ""
				if v.Imported {
					imported = "  imported"
				}
				if v.SourceClean != nil && !*v.SourceClean {
					imported += "  uncommitted changes"
				}
				if len(v.ApprovedBy) > 0 {
					imported += "  approved by " + strings.Join(v.ApprovedBy, ", ")
				}
				fmt.Fprintf(stdio.Out, "v%-4d effective %s  updated %s  %s%s\n", v.Version, v.Effective, v.Updated, v.Commit.String()[:12], imported)
			}
			return nil
		},
	}
	formatFlag(cmd, &format, "text", "json")
	return cmd
}

type logJSON struct {
	Format   string         `json:"format"`
	Policy   string         `json:"policy"`
	Versions []logEntryJSON `json:"versions"`
}

type logEntryJSON struct {
	Version   int    `json:"version"`
	Tag       string `json:"tag"`
	Commit    string `json:"commit"`
	Updated   string `json:"updated"`
	Effective string `json:"effective"`
	Imported  bool   `json:"imported"`
	Level     string `json:"level"`
	provenanceJSON
}

// showFormats are the formats a release archives.
var showFormats = []string{"md", "html", "pdf", "docx", "json"}

func newShow(stdio Stdio, g *globals) *cobra.Command {
	var format, locale, document, output string
	var info bool
	cmd := &cobra.Command{
		Use:   "show VERSION [DIR]",
		Short: "Print a version's published file exactly as archived",
		Long: `Show writes one archived file of a version — the policy, or another document
with --document, in a locale and format — byte for byte as it was released.
VERSION is a number (3), v3 or the tag name.

--info prints what is recorded about the version instead: its dates, its
verdict, the policyc build that made it, the commit of the policy
directory and whether it was clean, and who approved it.`,
		Args:              args(cobra.RangeArgs(1, 2)),
		ValidArgsFunction: completeVersions(g, 1),
		RunE: func(cmd *cobra.Command, a []string) error {
			if err := checkFormat(format, showFormats...); err != nil {
				return err
			}
			n, err := versions.ParseVersion(a[0])
			if err != nil {
				return usageError{err}
			}
			dir, err := g.policyDir(a[1:])
			if err != nil {
				return err
			}
			arch, id, err := openArchive(dir)
			if err != nil {
				return err
			}
			tellRecovered(stdio.Err, arch)
			v, err := arch.Version(n)
			if err != nil {
				return err
			}
			if info {
				if output != "" || cmd.Flags().Changed("format") || cmd.Flags().Changed("locale") || cmd.Flags().Changed("document") {
					return usageError{errors.New("--info prints the version's record: -o, --format, --locale and --document do not apply")}
				}
				writeInfo(stdio.Out, v, id)
				return nil
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
				return err
			}
			if output != "" {
				return writeOutput(output, b)
			}
			_, err = stdio.Out.Write(b)
			return err
		},
	}
	formatFlag(cmd, &format, showFormats...)
	cmd.Flags().StringVar(&locale, "locale", "", "locale (default: the version's first)")
	cmd.Flags().StringVar(&document, "document", "policy", "document id, for separate documents such as children's rules")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to `FILE`")
	cmd.Flags().BoolVar(&info, "info", false, "print what is recorded about the version instead of a file")
	cmd.RegisterFlagCompletionFunc("locale", completeLocales(g))
	return cmd
}

// writeInfo prints a version's record, one fact a line; a fact the version
// does not record (it predates it, or was imported) is left out.
func writeInfo(w io.Writer, v versions.Version, id string) {
	line := func(name, value string) {
		if value != "" {
			fmt.Fprintf(w, "%-13s %s\n", name+":", value)
		}
	}
	line("version", strconv.Itoa(v.Version))
	line("tag", versions.TagName(id, v.Version))
	line("commit", v.Commit.String())
	line("updated", v.Updated)
	line("effective", v.Effective)
	if v.Imported {
		line("imported", "yes, as published before policyc")
	}
	line("level", v.Level)
	line("short notice", v.ShortNoticeReason)
	source := v.SourceCommit
	if v.SourceClean != nil {
		if *v.SourceClean {
			source += " (clean)"
		} else {
			source += " (with uncommitted changes: released with --allow-dirty)"
		}
	}
	line("source", strings.TrimSpace(source))
	line("policyc", v.Policyc)
	line("approved by", strings.Join(v.ApprovedBy, ", "))
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

func newVerify(stdio Stdio, g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "verify [DIR]",
		Short: "Check every archived version against its recorded hashes and tags",
		Long: `Verify recomputes everything it can: the object name of every commit, tree,
file and tag it reads, the SHA-256 of every archived file against its
version's record, and the chain of records (each names the previous one's
SHA-256); and it checks that every tag points at its version. An edited or
swapped file, an altered record, a moved or deleted tag, a missing version
or a rewritten history is each reported on standard output, naming the
version. It exits 1 when anything is wrong, 2 when there is no archive to
verify.

--format json prints {"format": "policyc.verify/v1", "policy", "versions",
"ok", "problems": [{"version", "message"}]} (docs/json/verify.schema.json).`,
		Args: args(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			arch, id, err := g.archive(a)
			if err != nil {
				return err
			}
			tellRecovered(stdio.Err, arch)
			problems, err := arch.Verify()
			if err != nil {
				// The archive opened but cannot be read through: that is
				// damage, verify's answer, not a failure to give one.
				problems = append(problems, versions.Problem{Msg: "the archive cannot be read: " + err.Error()})
			}
			vs, _ := arch.Versions() // an error here is the one reported above

			if format == "json" {
				out := verifyJSON{Format: "policyc.verify/v1", Policy: id, Versions: len(vs), OK: len(problems) == 0, Problems: []verifyProblemJSON{}}
				for _, p := range problems {
					out.Problems = append(out.Problems, verifyProblemJSON{p.Version, p.Msg})
				}
				if err := writeJSON(stdio.Out, out); err != nil {
					return err
				}
			} else {
				for _, p := range problems {
					fmt.Fprintf(stdio.Out, "%s: %s\n", id, p)
				}
			}
			if len(problems) > 0 {
				if format == "text" {
					fmt.Fprintf(stdio.Out, "%s: %d problem%s\n", id, len(problems), plural(len(problems)))
				}
				return found{}
			}
			if format == "text" {
				fmt.Fprintf(stdio.Out, "%s: %d version%s verified\n", id, len(vs), plural(len(vs)))
			}
			return nil
		},
	}
	formatFlag(cmd, &format, "text", "json")
	return cmd
}

type verifyJSON struct {
	Format   string              `json:"format"`
	Policy   string              `json:"policy"`
	Versions int                 `json:"versions"`
	OK       bool                `json:"ok"`
	Problems []verifyProblemJSON `json:"problems"`
}

type verifyProblemJSON struct {
	Version int    `json:"version"`
	Message string `json:"message"`
}

func newArchive(stdio Stdio, g *globals) *cobra.Command {
	cmd := group("archive", "Work with the archive of published versions")
	var updated, effective, locale, format string
	imp := &cobra.Command{
		Use:   "import FILE",
		Short: "Record a version published before policyc was adopted",
		Long: `Import records FILE (Markdown, HTML or PDF, as it was published) as the
next version of the policy in the archive, byte for byte, marked imported.
Versions are appended in order: import the oldest first, before the first
release. An imported version has no model, but it compares with any other
(policyc diff, the site): its text, with the verdict "not assessed
structurally"; the site shows it as a page.

--format json prints what release --format json prints
(docs/json/release.schema.json), with an empty level.`,
		Example: "  policyc archive import old/privacy-2019.pdf --updated 2019-12-13 --effective 2019-12-20",
		Args:    args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			eff, upd, err := versionDates(effective, updated, policy.Date{})
			if err != nil {
				return err
			}
			dir, err := g.policyDir(nil)
			if err != nil {
				return err
			}
			b, err := os.ReadFile(a[0])
			if err != nil {
				return err
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
			kind := strings.TrimPrefix(strings.ToLower(filepath.Ext(a[0])), ".")
			if kind == "markdown" {
				kind = "md"
			} else if kind == "htm" {
				kind = "html"
			}
			v, err := arch.Import(b, kind, locale, upd, eff)
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSON(stdio.Out, releaseJSON{Format: "policyc.release/v1", Policy: id, Version: v.Version,
					Tag: versions.TagName(id, v.Version), Commit: v.Commit.String(), Updated: v.Updated, Effective: v.Effective, Files: len(v.Files)})
			}
			fmt.Fprintf(stdio.Out, "imported %s as %s version %d (effective %s): tag %s\n", a[0], id, v.Version, v.Effective, versions.TagName(id, v.Version))
			return nil
		},
	}
	imp.Flags().StringVar(&updated, "updated", "", "the version's last-updated date (default: the effective date)")
	imp.Flags().StringVar(&effective, "effective", "", "the version's effective date, YYYY-MM-DD (required)")
	imp.Flags().StringVar(&locale, "locale", "", "the file's locale (default: the policy's first)")
	formatFlag(imp, &format, "text", "json")
	cmd.AddCommand(imp)
	return cmd
}
