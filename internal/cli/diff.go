package cli

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
	"github.com/policyc/policyc/site"
	"github.com/policyc/policyc/versions"
)

// side is one end of a comparison: an archived version or a directory.
type side struct {
	label string
	model *policy.Policy
	meta  render.Meta
}

func newDiff(stdio Stdio) *cobra.Command {
	var dir, format, locale, notice string
	var exitCode bool
	cmd := &cobra.Command{
		Use:   "diff [A] [B]",
		Short: "Compare two versions: structural changes, significance, redline",
		Long: `Diff compares two versions of the policy. A and B are archived versions
(3, v3 or a tag) or policy directories; without them it compares the latest
release with the working copy in -C DIR (default: the current directory).

Every structural change is listed with its level — editorial, notable,
significant (prominent notification) or reconsent (consent must be sought
again) — and the rule and clause that raised it; wording changes are
editorial and shown in the redline, section by section.

Formats: text (for a terminal; coloured unless NO_COLOR is set or the output
is not a terminal), md (a pull-request comment: verdict first), html (a
standalone redline page) and json (the verdict; stable).
With --exit-code, exit 1 when the change is significant or calls for reconsent.`,
		Example: "  policyc diff                      # latest release vs the working copy\n  policyc diff v2 v3 --format md\n  policyc diff v3 ../draft --format html > redline.html",
		Args:    args(cobra.MaximumNArgs(2)),
		RunE: func(cmd *cobra.Command, a []string) error {
			if !slices.Contains([]string{"text", "md", "html", "json"}, format) {
				return usageError{fmt.Errorf("unknown format %q (want text, md, html or json)", format)}
			}
			specs := append([]string{}, a...)
			switch len(specs) {
			case 0:
				specs = []string{"latest", dir}
			case 1:
				specs = append(specs, dir)
			}
			from, err := resolveSide(dir, specs[0])
			if err != nil {
				return err
			}
			to, err := resolveSide(dir, specs[1])
			if err != nil {
				return err
			}
			as := policy.Assess(from.model, to.model)
			if notice != "" {
				if as.Level < policy.Significant {
					return inputError{fmt.Errorf("no notification pack: the change is %s, not significant", as.Level)}
				}
				files, err := noticeFiles(from.model, to.model, as, to.meta)
				if err != nil {
					return err
				}
				for name, b := range files {
					path := filepath.Join(notice, filepath.Base(name))
					if err := os.MkdirAll(notice, 0o755); err != nil {
						return err
					}
					if err := site.WriteFileAtomic(path, b, 0o644); err != nil {
						return err
					}
				}
			}
			if format == "json" {
				b, err := policy.VerdictJSON(from.label, to.label, as)
				if err != nil {
					return err
				}
				if _, err := stdio.Out.Write(b); err != nil {
					return err
				}
			} else {
				loc := locale
				if loc == "" {
					loc = string(to.model.Locales[0])
				}
				rl, err := redline(from, to, loc)
				if err != nil {
					return inputError{err}
				}
				switch format {
				case "text":
					writeDiffText(stdio.Out, from.label, to.label, as, rl, useColor(stdio.Out))
				case "md":
					writeDiffMarkdown(stdio.Out, from.label, to.label, as, rl)
				case "html":
					if err := render.DiffHTML(stdio.Out, from.label, to.label, loc, as, rl); err != nil {
						return err
					}
				}
			}
			if exitCode && as.Level >= policy.Significant {
				return significantChange{as.Level}
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&dir, "dir", "C", ".", "policy `DIR` (the working copy, and where the archive is found)")
	cmd.Flags().StringVar(&format, "format", "text", "text, md, html or json")
	cmd.Flags().StringVar(&locale, "locale", "", "locale of the redline (default: the newer version's first)")
	cmd.Flags().BoolVar(&exitCode, "exit-code", false, "exit 1 when the change is significant or calls for reconsent")
	cmd.Flags().StringVar(&notice, "notice", "", "also write the notification pack (summary, e-mail, banner, notice.json) into `DIR`")
	return cmd
}

// significantChange makes diff --exit-code exit 1 without an error message.
type significantChange struct{ level policy.Level }

func (e significantChange) Error() string { return "the change is " + e.level.String() }

func resolveSide(dir, spec string) (side, error) {
	if st, err := os.Stat(spec); err == nil && st.IsDir() {
		p, err := loadPolicy(spec)
		if err != nil {
			return side{}, err
		}
		label := spec
		if spec == "." {
			label = "working copy"
		}
		return side{label: label, model: p}, nil
	}
	arch, _, err := openArchive(dir)
	if err != nil {
		return side{}, err
	}
	var v versions.Version
	if spec == "latest" {
		vs, err := arch.Versions()
		if err != nil {
			return side{}, err
		}
		if len(vs) == 0 {
			return side{}, inputError{errors.New("nothing to compare with: the policy has no released version yet")}
		}
		v = vs[0]
	} else {
		n, err := versions.ParseVersion(spec)
		if err != nil {
			return side{}, usageError{fmt.Errorf("%q is neither a directory nor a version", spec)}
		}
		if v, err = arch.Version(n); err != nil {
			return side{}, archiveError(err)
		}
	}
	p, err := arch.Model(v)
	if err != nil {
		return side{}, inputError{err}
	}
	upd, _ := policy.ParseDate(v.Updated)
	eff, _ := policy.ParseDate(v.Effective)
	return side{label: "v" + strconv.Itoa(v.Version), model: p, meta: render.Meta{Version: strconv.Itoa(v.Version), Updated: upd, Effective: eff}}, nil
}

func redline(from, to side, loc string) ([]render.SectionRedline, error) {
	r := render.New()
	compose := func(s side) (*render.Doc, error) {
		l := loc
		if !slices.Contains(s.model.Locales, policy.Locale(l)) {
			l = string(s.model.Locales[0])
		}
		docs, err := r.Compose(s.model, l, s.meta)
		if err != nil {
			return nil, err
		}
		return docs[0], nil
	}
	a, err := compose(from)
	if err != nil {
		return nil, err
	}
	b, err := compose(to)
	if err != nil {
		return nil, err
	}
	return render.Redline(a, b)
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

func writeDiffText(w io.Writer, from, to string, as policy.Assessment, rl []render.SectionRedline, color bool) {
	paint := func(code, s string) string {
		if !color {
			return s
		}
		return "\x1b[" + code + "m" + s + "\x1b[0m"
	}
	fmt.Fprintf(w, "%s → %s: %s (%s)\n", from, to, paint("1", strings.ToUpper(as.Level.String())), render.LevelAdvice[as.Level])
	if len(as.Changes) == 0 {
		fmt.Fprintln(w, "no changes")
		return
	}
	for _, g := range render.ByLevel(as) {
		if len(g) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s:\n", g[0].Level)
		for _, v := range g {
			fmt.Fprintf(w, "  %s\n", render.ChangeLine(v))
			if len(v.Rules) > 0 && v.Level > policy.Editorial {
				fmt.Fprintf(w, "      %s\n", render.RuleRefs(v))
			}
		}
	}
	if as.ProseChanged {
		fmt.Fprintln(w, "\nWording changed: read the redline below.")
	}
	for _, s := range rl {
		fmt.Fprintf(w, "\n== %s (%s)\n", s.Title, s.Status)
		for i, seg := range s.Segments {
			switch seg.Op {
			case render.Equal:
				fmt.Fprint(w, context(s.Segments, i))
			case render.Delete:
				fmt.Fprint(w, paint("31", "[-"+seg.Text+"-]"))
			case render.Insert:
				fmt.Fprint(w, paint("32", "{+"+seg.Text+"+}"))
			}
		}
		fmt.Fprintln(w)
	}
}

func writeDiffMarkdown(w io.Writer, from, to string, as policy.Assessment, rl []render.SectionRedline) {
	fmt.Fprintf(w, "## Policy change %s → %s: **%s**\n\n%s.\n", from, to, as.Level, capitalize(render.LevelAdvice[as.Level]))
	for _, g := range render.ByLevel(as) {
		if len(g) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n### %s (%d)\n\n| change | rule |\n|---|---|\n", capitalize(g[0].Level.String()), len(g))
		for _, v := range g {
			fmt.Fprintf(w, "| %s | %s |\n", mdCell(render.ChangeLine(v)), mdCell(render.RuleRefs(v)))
		}
	}
	if as.ProseChanged {
		fmt.Fprintln(w, "\nWording changed: the redline follows.")
	}
	if len(rl) > 0 {
		fmt.Fprintln(w, "\n### Redline")
	}
	for _, s := range rl {
		fmt.Fprintf(w, "\n<details><summary>%s (%s)</summary>\n\n%s\n</details>\n", template.HTMLEscapeString(s.Title), s.Status, s.Markdown())
	}
}

func mdCell(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ") }

// noticeFiles renders the notification pack of a change in every locale of
// the newer model, as archive paths: notice/summary.<locale>.md,
// notice/email.<locale>.txt, notice/banner.<locale>.html, notice/notice.json.
func noticeFiles(old, new *policy.Policy, as policy.Assessment, meta render.Meta) (map[string][]byte, error) {
	r := render.New()
	link := string(new.Changes.ArchiveURL)
	if link == "" {
		link = string(new.Controller.Website)
	}
	files := map[string][]byte{}
	var packs []render.NoticePack
	for _, l := range new.Locales {
		pk, err := r.Notice(old, new, as, string(l), meta, link)
		if err != nil {
			return nil, err
		}
		packs = append(packs, pk)
		files["notice/summary."+string(l)+".md"] = []byte(pk.Summary)
		files["notice/email."+string(l)+".txt"] = []byte(pk.Email)
		files["notice/banner."+string(l)+".html"] = []byte(pk.Banner)
	}
	rec, err := render.NoticeJSON(new, as, meta, packs)
	if err != nil {
		return nil, err
	}
	files["notice/notice.json"] = rec
	return files, nil
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// context keeps the ends of a long unchanged stretch, as a reader of a
// diff needs: the words around each change.
func context(segs []render.Segment, i int) string {
	t := segs[i].Text
	const keep = 120
	r := []rune(t)
	if len(r) <= 2*keep+20 {
		return t
	}
	head, tail := "", ""
	if i > 0 {
		head = string(r[:keep])
	}
	if i < len(segs)-1 {
		tail = string(r[len(r)-keep:])
	}
	return head + " … " + tail
}
