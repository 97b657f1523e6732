package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/policyc/policyc/examples"
	"github.com/policyc/policyc/policy"
)

// schemaFile is the schema init writes beside a new policy.
const schemaFile = "policy.schema.json"

func newInit(stdio Stdio) *cobra.Command {
	var example string
	names := examples.Names()
	cmd := &cobra.Command{
		Use:   "init DIR",
		Short: "Create a working policy from a realistic example",
		Long: fmt.Sprintf(`Init writes a complete, valid example policy into DIR, which must not exist
or must be empty, together with the JSON Schema for editor completion. Edit
it into your own. Examples: %s.`, strings.Join(names, ", ")),
		Args:        args(cobra.ExactArgs(1)),
		Annotations: map[string]string{readsPolicy: "no"},
		RunE: func(cmd *cobra.Command, a []string) error {
			if !slices.Contains(names, example) {
				return usageError{fmt.Errorf("unknown example %q (want one of: %s)", example, strings.Join(names, ", "))}
			}
			dir := a[0]
			if err := scaffold(dir, example); err != nil {
				return err
			}
			fmt.Fprintf(stdio.Out, "created %s from the %s example; check it with: policyc validate %s\n", dir, example, dir)
			return nil
		},
	}
	cmd.Flags().StringVar(&example, "example", "website", "example to start from: "+strings.Join(names, ", "))
	return cmd
}

// scaffold writes the example into a temporary directory beside dir and
// renames it into place, so dir appears complete or not at all.
func scaffold(dir, example string) error {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s exists and is not empty: choose a new directory", dir)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	parent := filepath.Dir(filepath.Clean(dir))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp) // after a successful rename there is nothing left here
	src, err := examples.FS(example)
	if err != nil {
		return err
	}
	err = fs.WalkDir(src, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(tmp, filepath.FromSlash(name))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := fs.ReadFile(src, name)
		if err != nil {
			return err
		}
		b = examples.PointSchema(b, schemaFile)
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, schemaFile), policy.Schema(), 0o644); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	// os.Rename does not replace a directory, even an empty one; Remove
	// succeeds only when it is empty, which was checked above.
	if err := os.Remove(dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return os.Rename(tmp, dir)
}
