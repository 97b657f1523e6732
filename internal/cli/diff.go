package cli

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
	"github.com/policyc/policyc/versions"
)

// side is one end of a comparison: an archived version or a directory.
type side struct {
	label string
	model *policy.Policy // nil for a version imported as published
	meta  render.Meta
	// The archived version, when the side is one.
	arch *versions.Archive
	v    versions.Version
	// The project directory whose templates (labels) it is read with.
	proj string
}

func newDiff(stdio Stdio, g *globals) *cobra.Command {
	var format, locale, notice, output, author string
	var exitCode, checkNotice, noticeDOCX bool
	cmd := &cobra.Command{
		Use:   "diff [A] [B]",
		Short: "Compare two versions: structural changes, significance, redline",
		Long: `Diff compares two versions of the policy. A and B are archived versions
(3, v3 or a tag) or policy directories; without them it compares the latest
release with the working copy (-C DIR, --policy ID, or the nearest
policy.yaml: see policyc help policy-dir).

Every structural change is listed with its level — editorial, notable,
significant (prominent notification) or reconsent (consent must be sought
again) — and the rule and clause that raised it; wording changes are
editorial and shown in the redline, section by section.

Formats: text (for a terminal; coloured unless NO_COLOR is set or the output
is not a terminal), md (a pull-request comment: verdict first), html (a
standalone redline page), docx (B as a Word document in which every change
against A is a tracked change, by --author and dated with B's update date,
after a first section stating the verdict: Word's "Accept all changes"
gives B, "Reject all changes" A) and json (the verdict, as a release stores
it in verdict.json: docs/json/diff.schema.json).

A version imported as published (policyc archive import) has no model:
compared with anything, its text is compared (an HTML page read as its
headings, paragraphs, lists and tables; a PDF through pdftotext) and the
verdict reads "not assessed structurally: no model", with the redline.

With --exit-code, exit 1 when the change is significant or calls for
reconsent; 0 when it is editorial or notable; 2 when there is nothing to
compare (no policy, no release yet) or nothing to assess: a side without
a model cannot be called significant or not, so --exit-code and
--check-notice refuse it (exit 2, nothing written) rather than let a
script read "not significant".

With --check-notice, a significant or reconsent change must take effect at
least the policy's notice period after its update date, as a release
requires (the newer side's effective and updated dates: its policy.yaml's,
or those recorded with the version); when it does not, the output says so
and diff exits 1, as a CI check of a pull request wants.`,
		Example: "  policyc diff                      # latest release vs the working copy\n  policyc diff v2 v3 --format md\n  policyc diff v3 ../draft --format html > redline.html\n  policyc diff v2 v3 --format docx -o redline.docx",
		Args:    args(cobra.MaximumNArgs(2)),
		RunE: func(cmd *cobra.Command, a []string) (err error) {
			stdio, done := diffOutput(stdio, output)
			defer func() { err = done(err) }()
			if err := checkFormat(format, diffFormats...); err != nil {
				return err
			}
			dir, dirErr := g.policyDir(nil)
			if len(a) < 2 && dirErr != nil {
				return dirErr
			}
			specs := append([]string{}, a...)
			switch len(specs) {
			case 0:
				specs = []string{"latest", dir}
			case 1:
				specs = append(specs, dir)
			}
			from, err := resolveSide(dir, dirErr, specs[0])
			if err != nil {
				return err
			}
			to, err := resolveSide(dir, dirErr, specs[1])
			if err != nil {
				return err
			}
			if from.model == nil || to.model == nil {
				return diffText(stdio, from, to, format, locale, author, exitCode || checkNotice || notice != "")
			}
			if from.model.ID != to.model.ID {
				fmt.Fprintf(stdio.Err, "policyc: warning: comparing two different policies: %s is %q, %s is %q\n", from.label, from.model.ID, to.label, to.model.ID)
			}
			loc := locale
			if loc == "" {
				loc = string(to.model.Locales[0])
			}
			cs, err := versions.AssessChange(versions.ChangeOptions{Old: from.model, New: to.model, From: from.label, To: to.label,
				Meta: to.meta, Locale: loc, Notice: notice != "", RedlineDOCX: noticeDOCX, OldMeta: from.meta})
			if err != nil {
				return err
			}
			as := cs.Assessment
			for _, name := range slices.Sorted(maps.Keys(cs.Files)) {
				if err := writeOutput(filepath.Join(notice, filepath.Base(name)), cs.Files[name]); err != nil {
					return err
				}
			}
			if format == "json" {
				if _, err := stdio.Out.Write(cs.Verdict); err != nil {
					return err
				}
			} else {
				rl, err := redline(from, to, loc)
				if err != nil {
					return err
				}
				words, err := verdictRenderer(to).Wording(from.model, to.model, loc)
				if err != nil {
					return err
				}
				switch format {
				case "text":
					writeDiffText(stdio.Out, from.label, to.label, as, rl, words, useColor(stdio.Out))
				case "md":
					if err := render.DiffMarkdown(stdio.Out, from.label, to.label, as, rl, words); err != nil {
						return err
					}
				case "html":
					if err := render.DiffHTML(stdio.Out, from.label, to.label, loc, as, rl, words); err != nil {
						return err
					}
				case "docx":
					if err := writeDiffDOCX(stdio.Out, from, to, loc, author, as, words); err != nil {
						return err
					}
				}
			}
			if checkNotice {
				if err := checkNoticePeriod(stdio.Out, format, to, as); err != nil {
					return err
				}
			}
			if exitCode && as.Level >= policy.Significant {
				return found{}
			}
			return nil
		},
	}
	formatFlag(cmd, &format, diffFormats...)
	cmd.RegisterFlagCompletionFunc("locale", completeLocales(g))
	cmd.ValidArgsFunction = completeVersions(g, 2)
	cmd.Flags().StringVar(&locale, "locale", "", "locale of the redline (default: the newer version's first)")
	cmd.Flags().BoolVar(&exitCode, "exit-code", false, "exit 1 when the change is significant or calls for reconsent")
	cmd.Flags().BoolVar(&checkNotice, "check-notice", false, "exit 1 when a significant change takes effect sooner than the policy's notice period allows")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to `FILE` instead of standard output")
	cmd.Flags().StringVar(&author, "author", "policyc", "docx: the tracked changes' author")
	cmd.Flags().BoolVar(&noticeDOCX, "notice-docx", false, "with --notice, also write the Word redline of each locale (redline.<locale>.docx)")
	cmd.Flags().StringVar(&notice, "notice", "", "also write the notification pack (summary, e-mail, banner, notice.json) into `DIR`")
	return cmd
}

var diffFormats = []string{"text", "md", "html", "docx", "json"}

// checkNoticePeriod applies the release's notice gate to the newer side of a
// comparison. A change that fails it is diff's answer (exit 1), written
// after the comparison in text and md; json carries the verdict only, and
// the exit code says the rest.
func checkNoticePeriod(w io.Writer, format string, to side, as policy.Assessment) error {
	if as.Level < policy.Significant {
		return nil
	}
	eff, upd := firstDate(to.meta.Effective, to.model.Effective), firstDate(to.meta.Updated, to.model.Updated)
	if eff.IsZero() {
		return fmt.Errorf("cannot check the notice period: %s has no effective date (set effective in policy.yaml)", to.label)
	}
	if upd.IsZero() {
		upd = eff
	}
	err := versions.NoticeGate(to.model, as, upd, eff, "")
	if err == nil {
		return nil
	}
	switch format {
	case "md":
		fmt.Fprintf(w, "\n> [!CAUTION]\n> **Notice period not met.** %s\n", err)
	case "text":
		fmt.Fprintf(w, "notice period not met: %s\n", err)
	}
	return found{}
}

func firstDate(ds ...policy.Date) policy.Date {
	for _, d := range ds {
		if !d.IsZero() {
			return d
		}
	}
	return policy.Date{}
}

// resolveSide reads one end of a comparison: the directory spec, or a
// version of the archive of the policy in dir (dirErr when there is none).
func resolveSide(dir string, dirErr error, spec string) (side, error) {
	if st, err := os.Stat(spec); err == nil && st.IsDir() {
		p, err := loadPolicy(spec)
		if err != nil {
			return side{}, err
		}
		label := spec
		if spec == "." {
			label = "working copy"
		}
		return side{label: label, model: p, proj: spec}, nil
	}
	n := 0 // the version named, 0 for the latest
	if spec != "latest" {
		var err error
		if n, err = versions.ParseVersion(spec); err != nil {
			return side{}, usageError{fmt.Errorf("%q is neither a directory nor a version", spec)}
		}
	}
	if dirErr != nil {
		return side{}, fmt.Errorf("%s: %w", spec, dirErr)
	}
	arch, _, err := openArchive(dir)
	if err != nil {
		return side{}, err
	}
	var v versions.Version
	if n == 0 {
		vs, err := arch.Versions()
		if err != nil {
			return side{}, err
		}
		if len(vs) == 0 {
			return side{}, errors.New("nothing to compare with: the policy has no released version yet (policyc release --effective DATE)")
		}
		v = vs[0]
	} else if v, err = arch.Version(n); err != nil {
		return side{}, err
	}
	var p *policy.Policy
	if !v.Imported {
		if p, err = arch.Model(v); err != nil {
			return side{}, err
		}
	}
	upd, _ := policy.ParseDate(v.Updated)
	eff, _ := policy.ParseDate(v.Effective)
	return side{label: "v" + strconv.Itoa(v.Version), model: p, arch: arch, v: v, proj: dir,
		meta: render.Meta{Version: strconv.Itoa(v.Version), Updated: upd, Effective: eff}}, nil
}

// diffText compares two sides of which one at least has no model: their
// texts, with the verdict "not assessed structurally". A question only a
// structural assessment answers (--exit-code, --check-notice, --notice)
// is refused before anything is written.
func diffText(stdio Stdio, from, to side, format, locale, author string, asked bool) error {
	why := to.label
	if from.model == nil {
		why = from.label
	}
	why += " was imported as published"
	if from.model == nil && to.model == nil {
		why = from.label + " and " + to.label + " were imported as published"
	}
	if asked {
		return fmt.Errorf("cannot tell whether the change is significant (no model: %s); --exit-code, --check-notice and --notice need a model on both sides: compare without them to read the redline", why)
	}
	loc := locale
	for _, s := range []side{to, from} {
		if loc != "" {
			break
		}
		if s.model != nil {
			loc = string(s.model.Locales[0])
		} else if p, _, ok := versions.ImportedFile(s.v, ""); ok {
			loc = strings.TrimPrefix(p[:strings.LastIndexByte(p, '.')], "rendered/policy.")
		}
	}
	rl, err := redline(from, to, loc)
	if err != nil {
		return err
	}
	cs, err := versions.NotAssessed(from.label, to.label, why, len(rl) > 0)
	if err != nil {
		return err
	}
	words, err := verdictRenderer(to).Wording(nil, nil, loc)
	if err != nil {
		return err
	}
	switch format {
	case "json":
		_, err = stdio.Out.Write(cs.Verdict)
	case "text":
		writeDiffText(stdio.Out, from.label, to.label, cs.Assessment, rl, words, useColor(stdio.Out))
	case "md":
		err = render.DiffMarkdown(stdio.Out, from.label, to.label, cs.Assessment, rl, words)
	case "html":
		err = render.DiffHTML(stdio.Out, from.label, to.label, loc, cs.Assessment, rl, words)
	case "docx":
		err = writeDiffDOCX(stdio.Out, from, to, loc, author, cs.Assessment, words)
	}
	return err
}

// verdictRenderer words a comparison with the newer side's project
// labels (its templates/i18n), as its rendered policy is.
func verdictRenderer(to side) *render.Renderer {
	if tfs, ok := templatesDir(to.proj); ok && to.proj != "" {
		return render.New(render.WithTemplates(tfs))
	}
	return render.New()
}

func redline(from, to side, loc string) ([]render.SectionRedline, error) {
	r := render.New()
	compose := func(s side) (*render.Doc, error) { return sideDoc(r, s, loc) }
	a, err := compose(from)
	if err != nil {
		return nil, err
	}
	b, err := compose(to)
	if err != nil {
		return nil, err
	}
	ca, err := render.Cut(a)
	if err != nil {
		return nil, err
	}
	cb, err := render.Cut(b)
	if err != nil {
		return nil, err
	}
	if from.model == nil || to.model == nil {
		ca, cb = render.Align(ca, cb) // a file imported as published is cut its own way
	}
	return ca.Redline(cb), nil
}

func useColor(w io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func writeDiffText(w io.Writer, from, to string, as policy.Assessment, rl []render.SectionRedline, words *render.Wording, color bool) {
	paint := func(code, s string) string {
		if !color {
			return s
		}
		return "\x1b[" + code + "m" + s + "\x1b[0m"
	}
	l := func(key string) string { return render.VerdictLabel(words, key) }
	// The heading's pieces around the verdict, painted apart from them.
	head, tail, _ := strings.Cut(fmt.Sprintf(l("diff.text.heading"), from, to, "\x00"), "\x00")
	switch {
	case as.NotAssessed != "" && len(rl) == 0, as.NotAssessed == "" && len(as.Changes) == 0:
		fmt.Fprintf(w, "%s%s%s\n", head, l("diff.none"), tail)
		return
	case as.NotAssessed != "":
		fmt.Fprintln(w, fmt.Sprintf(l("diff.aside"), head+paint("1", l("level.not_assessed"))+tail, as.NotAssessed))
	default:
		fmt.Fprintln(w, fmt.Sprintf(l("diff.aside"), head+paint("1", strings.ToUpper(l("level."+as.Level.String())))+tail, l("diff.advice."+as.Level.String())))
	}
	for _, g := range render.ByLevel(as) {
		if len(g) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s%s\n", l("level."+g[0].Level.String()), strings.TrimRight(l("colon"), " "))
		for _, v := range g {
			fmt.Fprintf(w, "  %s\n", v.Sentence)
			if len(v.Rules) > 0 && v.Level > policy.Editorial {
				fmt.Fprintf(w, "      %s\n", render.RuleRefs(v))
			}
		}
	}
	if as.ProseChanged && as.NotAssessed == "" {
		fmt.Fprintf(w, "\n%s\n", l("diff.prose.text"))
	}
	for _, s := range rl {
		fmt.Fprintf(w, "\n== %s\n", fmt.Sprintf(l("diff.aside"), s.Title, l("diff.status."+s.Status)))
		for i, seg := range s.Segments {
			switch seg.Op {
			case render.Equal:
				fmt.Fprint(w, render.Excerpt(s.Segments, i))
			case render.Delete:
				fmt.Fprint(w, paint("31", "[-"+seg.Text+"-]"))
			case render.Insert:
				fmt.Fprint(w, paint("32", "{+"+seg.Text+"+}"))
			}
		}
		fmt.Fprintln(w)
	}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
