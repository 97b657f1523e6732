package cli

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/policyc/policyc/site"

	"github.com/policyc/policyc/templates"
)

func newTemplates(stdio Stdio) *cobra.Command {
	cmd := group("templates", "Work with the templates policyc renders with")
	var force bool
	export := &cobra.Command{
		Use:   "export DIR",
		Short: "Copy the default templates into DIR for editing",
		Long: `Export writes the default templates (Markdown blocks, the HTML page and
stylesheet, and the labels for each locale) into DIR. Put the ones you
change in your policy directory's templates/ folder, keeping their relative
paths: each file there replaces the default of the same path, and the others
keep their defaults. Files that exist in DIR are kept, and listed, unless
--force is given, which overwrites them.`,
		Args:        args(cobra.ExactArgs(1)),
		Annotations: map[string]string{readsPolicy: "no"},
		RunE: func(cmd *cobra.Command, a []string) error {
			dir := a[0]
			n, kept := 0, 0
			for _, name := range templates.Names() {
				b, err := fs.ReadFile(templates.Defaults(), name)
				if err != nil {
					return err
				}
				target := filepath.Join(dir, filepath.FromSlash(name))
				if _, err := os.Stat(target); err == nil && !force {
					fmt.Fprintf(stdio.Out, "kept %s (it exists; --force overwrites it)\n", target)
					kept++
					continue
				}
				if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
					return err
				}
				if err := site.WriteFileAtomic(target, b, 0o644); err != nil {
					return err
				}
				n++
			}
			fmt.Fprintf(stdio.Out, "wrote %d templates to %s, kept %d\n", n, dir, kept)
			return nil
		},
	}
	export.Flags().BoolVar(&force, "force", false, "overwrite existing files")
	cmd.AddCommand(export)
	return cmd
}
