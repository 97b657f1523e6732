package cli

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
	"github.com/policyc/policyc/versions"
)

func newTranslations(stdio Stdio, g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "translations",
		Short: "Find translations that fell behind their source, mark reviews, exchange XLIFF",
		Long: `Every translatable text of a policy is a unit: each localised field of the
model and each section body, named by its model path (scope,
sections[introduction].body, data_categories[location].name). The source
locale is source_locale, else the first declared locale. Each release
records, per locale and unit, a fingerprint of the translation and of the
source text it was made or reviewed against. A unit is stale when its
source text changed since, missing when it has no translation, up to date
otherwise. In a policy of several locales, prose written once for every
locale (a plain string, or one section file without {locale}) is missing
in every locale but the source; translations import makes it one text
per locale, keeping the source text as written.`,
		Args: args(cobra.NoArgs),
	}
	cmd.AddCommand(newTranslationsStatus(stdio, g), newTranslationsReview(stdio, g), newTranslationsExport(stdio, g), newTranslationsImport(stdio, g))
	return cmd
}

func newTranslationsStatus(stdio Stdio, g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "status [DIR]",
		Short: "List each locale's stale and missing translations",
		Long: `Status compares the policy in DIR with the latest release's record of its
translations and with the reviews in translations.yaml, and lists, per
locale, the units up to date, stale and missing, with the change to the
source text of each stale unit as a word redline ([-deleted-] {+inserted+}).
Before the first release every translation counts as made against the
source text beside it.

It exits 1 when a unit is stale or missing, 0 when every translation is up
to date, 2 when the policy cannot be read or has a problem other than a
translation not yet made (policyc validate lists them).

--format json prints {"format": "policyc.translations.status/v1",
"policy", "source_locale", "baseline", "stale", "missing", "locales":
[{"locale", "up_to_date", "reviewed", "stale", "missing", "units": [{"key",
"state", "reviewed", "file", "line", "col", "redline"}]}]}
(docs/json/translations-status.schema.json).`,
		Args: args(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			dir, err := g.policyDir(a)
			if err != nil {
				return err
			}
			p, err := policy.Load(dir)
			var list policy.ErrorList
			switch {
			case p == nil || (err != nil && !errors.As(err, &list)):
				return err
			case err != nil && !list.OnlyUntranslated():
				// Any other problem makes the status unreliable (a source
				// locale not declared, a text that did not load): bad input.
				return relativeTo(dir, list)
			case err != nil:
				// A missing translation is itself a validation problem:
				// report the units as far as the policy could be read.
				fmt.Fprintf(stdio.Err, "policyc: the policy has %d problem%s (see policyc validate), each a translation not yet made\n", len(list), plural(len(list)))
			}
			rep, err := translationStatus(dir, p)
			if err != nil {
				return err
			}
			if format == "json" {
				if err := writeJSON(stdio.Out, rep); err != nil {
					return err
				}
			} else {
				rep.writeText(stdio.Out)
			}
			if rep.Stale+rep.Missing > 0 {
				return found{}
			}
			return nil
		},
	}
	formatFlag(cmd, &format, "text", "json")
	return cmd
}

type statusJSON struct {
	Format       string       `json:"format"`
	Policy       string       `json:"policy"`
	SourceLocale string       `json:"source_locale"`
	Baseline     int          `json:"baseline"` // the version whose record was compared with; 0: none
	Stale        int          `json:"stale"`
	Missing      int          `json:"missing"`
	Locales      []localeJSON `json:"locales"`
}

type localeJSON struct {
	Locale   string     `json:"locale"`
	UpToDate int        `json:"up_to_date"`
	Reviewed int        `json:"reviewed"`
	Stale    int        `json:"stale"`
	Missing  int        `json:"missing"`
	Units    []unitJSON `json:"units"`
}

type unitJSON struct {
	Key      string           `json:"key"`
	State    policy.UnitState `json:"state"`
	Reviewed bool             `json:"reviewed"`
	File     string           `json:"file"`
	Line     int              `json:"line"`
	Col      int              `json:"col"`
	Redline  []render.Segment `json:"redline,omitempty"`
}

// translationBaseline is the record of the latest release that has a model
// (nil, 0 when there is none). A version released before policyc kept the
// record stands for its own: its translations count as made against the
// source text beside them.
func translationBaseline(arch *versions.Archive) (*policy.TranslationRecord, int, error) {
	if arch == nil {
		return nil, 0, nil
	}
	vs, err := arch.Versions()
	if err != nil {
		return nil, 0, err
	}
	for _, v := range vs {
		if v.Imported {
			continue
		}
		if v.Translations != nil {
			return v.Translations, v.Version, nil
		}
		old, err := arch.Model(v)
		if err != nil {
			return nil, 0, err
		}
		_, rec := policy.TranslationStatus(old, nil)
		return &rec, v.Version, nil
	}
	return nil, 0, nil
}

// archiveFor opens the policy's archive, or returns nil outside a git
// repository: a policy never released has no record to compare with.
func archiveFor(dir string, p *policy.Policy) (*versions.Archive, error) {
	arch, err := versions.Open(dir, string(p.ID))
	if errors.Is(err, versions.ErrNoRepository) {
		return nil, nil
	}
	return arch, err
}

func translationStatus(dir string, p *policy.Policy) (statusJSON, error) {
	rep := statusJSON{Format: "policyc.translations.status/v1", Policy: string(p.ID), SourceLocale: string(p.SourceLanguage()), Locales: []localeJSON{}}
	arch, err := archiveFor(dir, p)
	if err != nil {
		return rep, err
	}
	base, n, err := translationBaseline(arch)
	if err != nil {
		return rep, err
	}
	rep.Baseline = n
	sts, _ := policy.TranslationStatus(p, base)
	basis := basisTexts(arch, sts)
	for _, loc := range p.Locales {
		if loc == p.SourceLanguage() {
			continue
		}
		l := localeJSON{Locale: string(loc), Units: []unitJSON{}}
		for _, s := range sts {
			if s.Locale != loc {
				continue
			}
			u := unitJSON{Key: string(s.Key), State: s.State, Reviewed: s.Reviewed, File: shownPath(dir, s.Pos.File), Line: s.Pos.Line, Col: s.Pos.Col}
			switch s.State {
			case policy.UpToDate:
				l.UpToDate++
				if s.Reviewed {
					l.Reviewed++
				}
			case policy.Stale:
				l.Stale++
				if old, ok := basis[s.Basis]; ok {
					u.Redline = render.WordDiff(old, s.Source)
				}
			case policy.Missing:
				l.Missing++
			}
			l.Units = append(l.Units, u)
		}
		rep.Stale += l.Stale
		rep.Missing += l.Missing
		rep.Locales = append(rep.Locales, l)
	}
	return rep, nil
}

func shownPath(dir, file string) string {
	if file == "" || dir == "." {
		return file
	}
	return filepath.Join(dir, file)
}

// basisTexts finds, in the archived versions, the source texts the stale
// units were translated from, by fingerprint, for the redline.
func basisTexts(arch *versions.Archive, sts []policy.UnitStatus) map[string]string {
	want := map[string]bool{}
	for _, s := range sts {
		if s.State == policy.Stale {
			want[s.Basis] = true
		}
	}
	found := map[string]string{}
	if arch == nil || len(want) == 0 {
		return found
	}
	vs, err := arch.Versions()
	if err != nil {
		return found // the redline is a help; status stands without it
	}
	for _, v := range vs {
		if v.Imported || len(found) == len(want) {
			continue
		}
		old, err := arch.Model(v)
		if err != nil {
			continue
		}
		src := string(old.SourceLanguage())
		for _, u := range policy.TranslationUnits(old) {
			fp := policy.Fingerprint(u.Text.Get(src))
			if want[fp] {
				found[fp] = u.Text.Get(src)
			}
		}
	}
	return found
}

func (rep statusJSON) writeText(w io.Writer) {
	if len(rep.Locales) == 0 {
		fmt.Fprintf(w, "%s: one locale (%s): nothing to translate\n", rep.Policy, rep.SourceLocale)
		return
	}
	for _, l := range rep.Locales {
		reviewed := ""
		if l.Reviewed > 0 {
			reviewed = fmt.Sprintf(" (%d reviewed)", l.Reviewed)
		}
		fmt.Fprintf(w, "%s: %d up to date%s, %d stale, %d missing (source %s)\n", l.Locale, l.UpToDate, reviewed, l.Stale, l.Missing, rep.SourceLocale)
		for _, u := range l.Units {
			if u.State == policy.UpToDate {
				continue
			}
			fmt.Fprintf(w, "  %s: %s %s\n", policy.Pos{File: u.File, Line: u.Line, Col: u.Col}, u.State, u.Key)
			if len(u.Redline) > 0 {
				fmt.Fprintf(w, "    source changed: %s\n", textRedline(u.Redline))
			}
		}
	}
}

// textRedline writes a word redline as git's word diff does, with long
// unchanged runs shortened to their ends.
func textRedline(segs []render.Segment) string {
	const keep = 30
	var b strings.Builder
	for i, s := range segs {
		t := strings.Join(strings.Fields(s.Text), " ")
		if r := []rune(t); s.Op == render.Equal && len(r) > 2*keep+5 {
			switch {
			case i == 0:
				t = "…" + string(r[len(r)-keep:])
			case i == len(segs)-1:
				t = string(r[:keep]) + "…"
			default:
				t = string(r[:keep]) + " … " + string(r[len(r)-keep:])
			}
		}
		switch s.Op {
		case render.Insert:
			t = "{+" + t + "+}"
		case render.Delete:
			t = "[-" + t + "-]"
		}
		if i > 0 && strings.TrimLeft(s.Text, " \n") != s.Text {
			t = " " + t
		}
		if i < len(segs)-1 && strings.TrimRight(s.Text, " \n") != s.Text {
			t += " "
		}
		b.WriteString(t)
	}
	return b.String()
}

func newTranslationsReview(stdio Stdio, g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "review LOCALE KEY...",
		Short: "Mark translations as checked against their current source text",
		Long: `Review records that the translations of the named units in LOCALE were
checked against their current source text and need no change: they count
as up to date until the source text changes again. The record is kept in
translations.yaml in the policy directory (with each unit's source
fingerprint), which is part of the policy's source: commit it, and every
release archives it. The keys are those translations status lists.`,
		Example: "  policyc translations review zh-CN scope sections[introduction].body",
		Args:    args(cobra.MinimumNArgs(2)),
		RunE: func(cmd *cobra.Command, a []string) error {
			dir, err := g.policyDir(nil)
			if err != nil {
				return err
			}
			p, err := loadTranslatable(dir, stdio)
			if err != nil {
				return err
			}
			loc := policy.Locale(a[0])
			switch {
			case !slices.Contains(p.Locales, loc):
				return usageError{fmt.Errorf("locale %q is not declared in locales (%v)", loc, p.Locales)}
			case loc == p.SourceLanguage():
				return usageError{fmt.Errorf("locale %q is the source locale: it has no translations to review", loc)}
			}
			units := policy.TranslationUnits(p)
			reviews := p.Reviews
			for _, k := range a[1:] {
				u, ok := policy.UnitByKey(units, policy.UnitKey(k))
				if !ok {
					return usageError{fmt.Errorf("unknown translation unit %q%s (policyc translations status lists them)", k, policy.SuggestUnit(units, policy.UnitKey(k)))}
				}
				if u.Missing(loc) {
					return fmt.Errorf("%s has no %s translation to review", k, loc)
				}
				reviews.Mark(loc, u.Key, policy.Fingerprint(u.Text.Get(string(p.SourceLanguage()))))
			}
			name := filepath.Join(dir, policy.ReviewsFile)
			if err := writeFileAtomic(name, reviews.Marshal()); err != nil {
				return err
			}
			fmt.Fprintf(stdio.Out, "marked %d unit%s reviewed in %s: %s\n", len(a)-1, plural(len(a)-1), loc, name)
			return nil
		},
	}
	return cmd
}

// writeFileAtomic replaces name with b, or leaves it as it was.
func writeFileAtomic(name string, b []byte) error {
	return writeAll(filepath.Dir(name), map[string][]byte{filepath.Base(name): b})
}

// releaseTranslations is the translation record of a release, and the
// locales it is allowed to publish stale: a stale unit in any other locale
// refuses the release.
func releaseTranslations(dir string, p *policy.Policy, arch *versions.Archive, allow []string) (*policy.TranslationRecord, []string, error) {
	for _, l := range allow {
		switch loc := policy.Locale(l); {
		case !slices.Contains(p.Locales, loc):
			return nil, nil, usageError{fmt.Errorf("--allow-stale %s: locale %q is not declared in locales (%v)", l, l, p.Locales)}
		case loc == p.SourceLanguage():
			return nil, nil, usageError{fmt.Errorf("--allow-stale %s: the source locale has no translations", l)}
		}
	}
	if len(p.Locales) < 2 {
		return nil, nil, nil
	}
	base, _, err := translationBaseline(arch)
	if err != nil {
		return nil, nil, err
	}
	sts, rec := policy.TranslationStatus(p, base)
	var stale policy.ErrorList
	var used []string
	for _, s := range sts {
		if s.State != policy.Stale {
			continue
		}
		if slices.Contains(allow, string(s.Locale)) {
			if !slices.Contains(used, string(s.Locale)) {
				used = append(used, string(s.Locale))
			}
			continue
		}
		stale = append(stale, &policy.Error{Pos: policy.Pos{File: shownPath(dir, s.Pos.File), Line: s.Pos.Line, Col: s.Pos.Col},
			Msg: fmt.Sprintf("%s translation of %s is stale: its source text changed since it was made or reviewed (update it, mark it with policyc translations review, or release with --allow-stale %s)", s.Locale, s.Key, s.Locale)})
	}
	if len(stale) > 0 {
		return nil, nil, stale
	}
	slices.Sort(used)
	return &rec, used, nil
}

// lintTranslations is the record lint compares translations with: the
// latest release's, when the policy has translations and an archive that
// can be read. Lint checks the policy, not the archive (verify does): an
// archive it cannot read leaves the translations unchecked.
func lintTranslations(dir string, p *policy.Policy) (*policy.TranslationRecord, error) {
	if len(p.Locales) < 2 {
		return nil, nil
	}
	arch, err := archiveFor(dir, p)
	if err != nil {
		return nil, nil
	}
	base, _, err := translationBaseline(arch)
	if err != nil {
		return nil, nil
	}
	return base, nil
}
