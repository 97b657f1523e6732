package rawfile

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestRoundTripAndRefusals(t *testing.T) {
	dir := t.TempDir()
	for _, size := range []int{0, 1, 4095, 4096, 1 << 20} {
		data := bytes.Repeat([]byte{byte(size)}, size)
		name := filepath.Join(dir, "f")
		mtime, err := WriteNew(name, data, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		if st, err := os.Stat(name); err != nil || st.ModTime().UnixNano() != mtime {
			t.Fatalf("modification time %d, the file says %v", mtime, st.ModTime())
		}
		got, err := ReadFile(name)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("%d bytes read back as %d (%v)", size, len(got), err)
		}
		if _, err := WriteNew(name, []byte("x"), 0o644); !errors.Is(err, fs.ErrExist) {
			t.Fatalf("writing over an existing file: %v", err)
		}
		if again, _ := os.ReadFile(name); !bytes.Equal(again, data) {
			t.Fatal("a refused write changed the file")
		}
		os.Remove(name)
	}
	if _, err := ReadFile(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("reading a missing file: %v", err)
	}
	if _, err := WriteNew(filepath.Join(dir, "no", "such", "dir"), nil, 0o644); err == nil {
		t.Fatal("created a file in a missing directory")
	}
}

// TestReadFileIntoReusesTheBuffer reads files of several sizes through one
// buffer: the contents are exact whatever the buffer held, a large enough
// buffer is used, and a small one is replaced.
func TestReadFileIntoReusesTheBuffer(t *testing.T) {
	dir := t.TempDir()
	buf := bytes.Repeat([]byte{0xff}, 100)
	for _, size := range []int{0, 10, 99, 100, 5000, 3} {
		data := bytes.Repeat([]byte{byte(size)}, size)
		name := filepath.Join(dir, "f")
		os.Remove(name)
		if _, err := WriteNew(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := ReadFileInto(name, buf)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("%d bytes read back as %d (%v)", size, len(got), err)
		}
		if size < cap(buf) && runtime.GOOS == "linux" && &got[:1][0] != &buf[:1][0] {
			t.Errorf("%d bytes: a buffer of %d was not used", size, cap(buf))
		}
		buf = got
	}
}
