package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing/fstest"

	"github.com/spf13/cobra"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
)

// maxXLIFF bounds the size of an XLIFF file read for import.
const maxXLIFF = 16 << 20

func newTranslationsExport(stdio Stdio, g *globals) *cobra.Command {
	var locale, out string
	var all bool
	cmd := &cobra.Command{
		Use:   "export [DIR] --locale LOCALE [-o FILE]",
		Short: "Write a locale's stale and missing units as XLIFF 2.0",
		Long: `Export writes the stale and missing translation units of LOCALE (every
unit with --all) as an XLIFF 2.0 document (OASIS XLIFF Version 2.0, core),
which translation tools read: each unit has the source text, the current
translation as its target, the source change as a note (a word redline),
and the fingerprints import checks. Prose expressions ({{ … }}) are
placeholders (<ph>) and Markdown links paired codes (<pc>) whose
destination is protected.`,
		Example: "  policyc translations export --locale zh-CN -o zh.xlf",
		Args:    args(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			dir, err := g.policyDir(a)
			if err != nil {
				return err
			}
			p, err := loadTranslatable(dir, stdio)
			if err != nil {
				return err
			}
			loc := policy.Locale(locale)
			if !slices.Contains(p.Locales, loc) || loc == p.SourceLanguage() {
				return usageError{fmt.Errorf("--locale %q: want a declared locale other than the source locale %s (%v)", locale, p.SourceLanguage(), p.Locales)}
			}
			arch, err := archiveFor(dir, p)
			if err != nil {
				return err
			}
			base, _, err := translationBaseline(arch)
			if err != nil {
				return err
			}
			sts, _ := policy.TranslationStatus(p, base)
			basis := basisTexts(arch, sts)
			units := policy.TranslationUnits(p)
			var xs []policy.ExportUnit
			for _, s := range sts {
				if s.Locale != loc || (s.State == policy.UpToDate && !all) {
					continue
				}
				u, _ := policy.UnitByKey(units, s.Key)
				x := policy.ExportUnit{UnitStatus: s, Target: u.Text.Get(string(loc))}
				if old, ok := basis[s.Basis]; ok && s.State == policy.Stale {
					x.Change = textRedline(render.WordDiff(old, s.Source))
				}
				xs = append(xs, x)
			}
			b := policy.ExportXLIFF(p, loc, xs)
			if out == "" || out == "-" {
				_, err := stdio.Out.Write(b)
				return err
			}
			if err := writeFileAtomic(out, b); err != nil {
				return err
			}
			fmt.Fprintf(stdio.Out, "exported %d unit%s of %s to %s\n", len(xs), plural(len(xs)), loc, out)
			return nil
		},
	}
	cmd.Flags().StringVar(&locale, "locale", "", "the `locale` to translate into (required)")
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to `file` (default: standard output)")
	cmd.Flags().BoolVar(&all, "all", false, "export every unit, up to date ones too")
	_ = cmd.MarkFlagRequired("locale")
	return cmd
}

func newTranslationsImport(stdio Stdio, g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Write the targets of an XLIFF 2.0 file back into the policy",
		Long: `Import reads an XLIFF 2.0 file made by translations export and writes each
target into the file and field it came from: a section file's content is
replaced, a text in YAML is replaced in place (re-quoted as needed) and
every other byte is kept. A translation the policy lacks is added: a
localised text gets the locale's entry beside the others, in their style;
a section body goes to the file the section names for the locale (or the
source locale's file name with the locale in its place, added to the
section's file field). An empty target (a segment not yet translated)
leaves its text as it is. A policy whose only problems are such missing
translations can be exported and imported. It refuses, with positions
and writing nothing, a file whose keys or source fingerprints do not
match the policy, whose inline codes were altered, which is not
well-formed XML or not UTF-8, or which has a document type declaration
(entities). The policy must still load and validate with the targets in
place (but for translations still missing).`,
		Example: "  policyc translations import zh.xlf -C policy/",
		Args:    args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			dir, err := g.policyDir(nil)
			if err != nil {
				return err
			}
			p, err := loadTranslatable(dir, stdio)
			if err != nil {
				return err
			}
			f, err := os.Open(a[0])
			if err != nil {
				return err
			}
			b, err := io.ReadAll(io.LimitReader(f, maxXLIFF+1))
			f.Close()
			if err != nil {
				return err
			}
			if len(b) > maxXLIFF {
				return fmt.Errorf("%s is larger than %d bytes", a[0], maxXLIFF)
			}
			ts, err := policy.ReadXLIFF(p, a[0], b)
			if err != nil {
				return err
			}
			root, err := os.OpenRoot(dir)
			if err != nil {
				return err
			}
			defer root.Close()
			files, err := policy.ApplyTranslations(p, root.FS(), ts)
			var list policy.ErrorList
			if errors.As(err, &list) {
				// Positions in the XLIFF file stand as the user named it;
				// those in the policy's files, relative to its directory.
				var inPolicy, inXLIFF policy.ErrorList
				for _, e := range list {
					if e.Pos.File == a[0] {
						inXLIFF = append(inXLIFF, e)
					} else {
						inPolicy = append(inPolicy, e)
					}
				}
				return append(inXLIFF, relativeTo(dir, inPolicy)...)
			} else if err != nil {
				return err
			}
			if err := checkImported(p, root.FS(), files, ts); err != nil {
				return err
			}
			if err := writeAll(dir, files); err != nil {
				return err
			}
			n := 0
			for _, t := range ts {
				if t.Empty {
					fmt.Fprintf(stdio.Err, "policyc: %s: %s: the target is empty (not yet translated): left as it is\n", t.Pos, t.Key)
				} else {
					n++
				}
			}
			fmt.Fprintf(stdio.Out, "imported %d unit%s: %d file%s changed\n", n, plural(n), len(files), plural(len(files)))
			return nil
		},
	}
	return cmd
}

// loadTranslatable loads the policy in dir for the commands that exchange
// translations: a policy whose only problems are translations not yet
// made is read (adding them is what import is for), with a note on
// stderr; any other problem refuses.
func loadTranslatable(dir string, stdio Stdio) (*policy.Policy, error) {
	p, err := policy.Load(dir)
	var list policy.ErrorList
	if err != nil && p != nil && errors.As(err, &list) && list.OnlyUntranslated() {
		fmt.Fprintf(stdio.Err, "policyc: %d translation%s not yet made (policyc translations status lists them)\n", len(list), plural(len(list)))
		return p, nil
	}
	if errors.As(err, &list) {
		return nil, relativeTo(dir, list)
	}
	return p, err
}

// checkImported loads the policy with the new files in place and checks
// it validates (but for translations still not made), the imported
// texts read back as imported and every other text is as it was: a
// rewrite that went wrong is refused, not written.
func checkImported(p *policy.Policy, fsys fs.FS, files map[string][]byte, ts []policy.Translation) error {
	over := overlay{base: fsys, files: fstest.MapFS{}}
	for name, b := range files {
		over.files[name] = &fstest.MapFile{Data: b, Mode: 0o644}
	}
	q, err := policy.LoadFS(over)
	var list policy.ErrorList
	if err != nil && !(errors.As(err, &list) && list.OnlyUntranslated()) {
		return fmt.Errorf("the policy would not validate with the imported texts in place; nothing was written:\n%w", err)
	}
	want := map[string]string{}
	for _, t := range ts {
		if !t.Empty {
			want[string(t.Locale)+"\x00"+string(t.Key)] = t.Text
		}
	}
	before, after := policy.TranslationUnits(p), policy.TranslationUnits(q)
	if len(before) != len(after) {
		return bugError{fmt.Errorf("import changed the translation units (%d, now %d)", len(before), len(after))}
	}
	for i, u := range before {
		for _, loc := range p.Locales {
			exp := u.Text.Get(string(loc))
			if t, ok := want[string(loc)+"\x00"+string(u.Key)]; ok {
				exp = t
			}
			if got := after[i].Text.Get(string(loc)); after[i].Key != u.Key || got != exp {
				return bugError{fmt.Errorf("import would change %s in %s to %q, want %q; nothing was written", u.Key, loc, got, exp)}
			}
		}
	}
	return nil
}

type overlay struct {
	base  fs.FS
	files fstest.MapFS
}

func (o overlay) Open(name string) (fs.File, error) {
	if _, ok := o.files[name]; ok {
		return o.files.Open(name)
	}
	return o.base.Open(name)
}

// writeAll replaces the files (relative to dir): every new content is
// written to a temporary file first, and only then are they renamed into
// place, so a failure to write leaves every file as it was.
func writeAll(dir string, files map[string][]byte) error {
	temps := map[string]string{}
	defer func() {
		for _, t := range temps {
			os.Remove(t)
		}
	}()
	for name, b := range files {
		target := filepath.Join(dir, filepath.FromSlash(name))
		f, err := os.CreateTemp(filepath.Dir(target), ".policyc-*")
		if err != nil {
			return err
		}
		temps[target] = f.Name()
		mode := fs.FileMode(0o644)
		if st, err := os.Stat(target); err == nil {
			mode = st.Mode().Perm()
		}
		_, err = f.Write(b)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Chmod(f.Name(), mode)
		}
		if err != nil {
			return err
		}
	}
	// Renamed in a fixed order; should one rename fail, those already
	// done are undone: the files as they were are put back, the new ones
	// removed.
	type undo struct {
		target  string
		old     []byte
		existed bool
	}
	var done []undo
	for _, target := range slices.Sorted(maps.Keys(temps)) {
		old, rerr := os.ReadFile(target)
		existed := rerr == nil
		if err := os.Rename(temps[target], target); err != nil {
			for _, u := range slices.Backward(done) {
				if u.existed {
					_ = os.WriteFile(u.target, u.old, 0o644)
				} else {
					_ = os.Remove(u.target)
				}
			}
			return err
		}
		delete(temps, target)
		done = append(done, undo{target, old, existed})
	}
	return nil
}
