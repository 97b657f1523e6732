// Package rawfile reads and creates whole files with plain system calls.
//
// On Linux, opening an os.File registers it with the runtime's network
// poller, which a regular file refuses, at several system calls per file.
// Reading a site's worth of archived objects and writing a site's worth of
// pages, that costs more than the reads and writes themselves; these
// functions open, transfer and close, and nothing else. Elsewhere they are
// the os package's.
package rawfile

import "io/fs"

// ReadFile returns the contents of a file.
func ReadFile(name string) ([]byte, error) { return readFile(name, nil) }

// ReadFileInto returns the contents of a file, read into buf's space when
// it is large enough: a caller reading many files reuses one buffer.
func ReadFileInto(name string, buf []byte) ([]byte, error) { return readFile(name, buf[:0]) }

// WriteNew creates a file that must not exist yet and writes data to it;
// on failure the file is removed. perm is filtered by the umask, as for
// os.WriteFile. It returns the file's modification time as written (in
// nanoseconds since 1970), which renaming it does not change.
func WriteNew(name string, data []byte, perm fs.FileMode) (int64, error) {
	return writeNew(name, data, perm)
}
