package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/policyc/policyc/render"
)

// fontFlags let users name their own TrueType fonts for PDF output.
type fontFlags struct {
	regular, bold, italic, boldItalic, mono, cjk string
}

func (f *fontFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.regular, "font", "", "PDF: TrueType `FILE` for regular text (default: the bundled Noto Sans)")
	fl.StringVar(&f.bold, "font-bold", "", "PDF: TrueType `FILE` for bold text")
	fl.StringVar(&f.italic, "font-italic", "", "PDF: TrueType `FILE` for italic text")
	fl.StringVar(&f.boldItalic, "font-bold-italic", "", "PDF: TrueType `FILE` for bold italic text")
	fl.StringVar(&f.mono, "font-mono", "", "PDF: TrueType `FILE` for code (default: Go Mono)")
	fl.StringVar(&f.cjk, "font-cjk", "", "PDF: TrueType `FILE` for Chinese, Japanese and Korean text (default: bundled Droid Sans Fallback)")
}

func (f *fontFlags) load() (render.FontSet, error) {
	var fs render.FontSet
	for _, x := range []struct {
		flag, path string
		dst        *[]byte
	}{
		{"--font", f.regular, &fs.Regular}, {"--font-bold", f.bold, &fs.Bold},
		{"--font-italic", f.italic, &fs.Italic}, {"--font-bold-italic", f.boldItalic, &fs.BoldItalic},
		{"--font-mono", f.mono, &fs.Mono}, {"--font-cjk", f.cjk, &fs.CJK},
	} {
		if x.path == "" {
			continue
		}
		b, err := os.ReadFile(x.path)
		if err != nil {
			return fs, fmt.Errorf("%s: %w", x.flag, err)
		}
		if err := render.CheckFont(b); err != nil {
			return fs, fmt.Errorf("%s %s: %w", x.flag, x.path, err)
		}
		*x.dst = b
	}
	return fs, nil
}
