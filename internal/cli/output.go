package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/policyc/policyc/site"
)

// writeOutput writes a file the user asked for with -o, creating its
// directory, through a temporary file and a rename. Its error names the
// file the user gave, never the temporary one beside it.
func writeOutput(path string, data []byte) error {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("cannot create the directory of %s: %w", path, cause(err))
		}
	}
	if err := site.WriteFileAtomic(path, data, 0o644); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, cause(err))
	}
	return nil
}

// cause is what went wrong with a file operation, without the path the
// operation used (a temporary file's, or a parent directory's).
func cause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
