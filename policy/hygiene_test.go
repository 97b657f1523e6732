package policy_test

import (
	"encoding/json"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/policyc/policyc/policy"
)

// within runs f, failing the test if it does not return within a generous
// bound: reading a FIFO, or a loop of two billion steps, would never end.
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatalf("%s still running after 20 s", what)
	}
}

func TestNonRegularFilesAreRefusedWithoutBeingOpened(t *testing.T) {
	const includes = `purposes: purposes.yaml
`
	mkfifo := func(t *testing.T, p string) {
		if err := syscall.Mkfifo(p, 0o644); err != nil {
			t.Skipf("cannot make a FIFO here: %v", err)
		}
	}
	socket := func(t *testing.T, p string) {
		l, err := net.Listen("unix", p)
		if err != nil {
			t.Skipf("cannot make a socket here: %v", err)
		}
		t.Cleanup(func() { l.Close() })
	}
	device := func(t *testing.T, p string) {
		// The character device /dev/zero: reading it never ends.
		if err := syscall.Mknod(p, syscall.S_IFCHR|0o644, 1<<8|5); err != nil {
			t.Skipf("cannot make a device here: %v", err)
		}
	}
	tests := []struct {
		name string
		yaml string
		make func(*testing.T, string)
		file string
		want string
	}{
		{"FIFO as section file", minimal, mkfifo, "intro.md",
			"policy.yaml:9:51: section file \"intro.md\" is not a regular file\n1 problem\n"},
		{"socket as section file", minimal, socket, "intro.md",
			"policy.yaml:9:51: section file \"intro.md\" is not a regular file\n1 problem\n"},
		{"device as section file", minimal, device, "intro.md",
			"policy.yaml:9:51: section file \"intro.md\" is not a regular file\n1 problem\n"},
		{"FIFO as included list", minimal + includes, mkfifo, "purposes.yaml",
			"policy.yaml:10:11: file \"purposes.yaml\" is not a regular file\n1 problem\n"},
		{"FIFO as policy.yaml", "", mkfifo, "policy.yaml",
			"policy.yaml:1:1: file \"policy.yaml\" is not a regular file\n1 problem\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.yaml != "" {
				os.WriteFile(filepath.Join(dir, "policy.yaml"), []byte(tt.yaml), 0o644)
				os.WriteFile(filepath.Join(dir, "intro.md"), []byte("Hello.\n"), 0o644)
			}
			p := filepath.Join(dir, tt.file)
			os.Remove(p)
			tt.make(t, p)
			var code int
			var got string
			within(t, "validate", func() { code, got = validate(t, dir) })
			if code != 1 || got != tt.want {
				t.Errorf("exit %d, output:\n%s\nwant exit 1 and:\n%s", code, got, tt.want)
			}
		})
	}
	t.Run("FIFO as policy.yaml, read for its id", func(t *testing.T) {
		dir := t.TempDir()
		mkfifo(t, filepath.Join(dir, "policy.yaml"))
		var err error
		within(t, "ReadID", func() { _, err = policy.ReadID(dir) })
		if err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("ReadID: %v, want a refusal", err)
		}
	})
}

// TestErrorsAboutPolicyYAMLItselfStandAtItsStart checks that what is wrong
// with the main file as a whole is reported at policy.yaml:1:1, never "-".
func TestErrorsAboutPolicyYAMLItselfStandAtItsStart(t *testing.T) {
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "policy.yaml"), []byte(minimal), 0o644)
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
	}{
		{"a directory", func(t *testing.T, dir string) { os.Mkdir(filepath.Join(dir, "policy.yaml"), 0o755) }},
		{"a link out of the directory", func(t *testing.T, dir string) {
			if err := os.Symlink(filepath.Join(outside, "policy.yaml"), filepath.Join(dir, "policy.yaml")); err != nil {
				t.Skip(err)
			}
		}},
		{"a FIFO", func(t *testing.T, dir string) {
			if err := syscall.Mkfifo(filepath.Join(dir, "policy.yaml"), 0o644); err != nil {
				t.Skip(err)
			}
		}},
		{"empty", func(t *testing.T, dir string) { os.WriteFile(filepath.Join(dir, "policy.yaml"), nil, 0o644) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tt.setup(t, dir)
			_, err := policy.Load(dir)
			checkAtStartOfMain(t, err)
		})
	}
	t.Run("missing from the files given", func(t *testing.T) {
		_, err := policy.LoadFS(fstest.MapFS{"intro.md": {Data: []byte("Hello.\n")}})
		checkAtStartOfMain(t, err)
	})
}

func checkAtStartOfMain(t *testing.T, err error) {
	t.Helper()
	var list policy.ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		t.Fatalf("error %v, want a list of positioned problems", err)
	}
	for _, e := range list {
		if e.Pos != (policy.Pos{File: "policy.yaml", Line: 1, Col: 1}) {
			t.Errorf("%q is not at policy.yaml:1:1", e.Error())
		}
	}
}

// TestLineEndingsAreNormalisedToLF loads a policy written with CRLF (and a
// section with old Mac CR line endings): no value of the model holds a CR,
// and positions in those files count lines as an editor does.
func TestLineEndingsAreNormalisedToLF(t *testing.T) {
	crlf := func(s string) []byte { return []byte(strings.ReplaceAll(s, "\n", "\r\n")) }
	yaml := minimal + `summary: |
  First line.
  Second line.
scope: "one
  two"
sections:
  - {id: intro, title: Introduction, file: intro.md}
  - {id: more, title: More, file: more.md}
`
	yaml = strings.Replace(yaml, "sections: [{id: intro, title: Introduction, file: intro.md}]\n", "", 1)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "policy.yaml"), crlf(yaml), 0o644)
	os.WriteFile(filepath.Join(dir, "intro.md"), crlf("# Intro\n\nWe collect {{ category \"email\" }}.\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "more.md"), []byte("One.\rTwo.\r"), 0o644)
	p, err := policy.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.Sections[0].Body.Get("en"), "# Intro\n\nWe collect {{ category \"email\" }}.\n"; got != want {
		t.Errorf("section body %q, want %q", got, want)
	}
	if got, want := p.Sections[1].Body.Get("en"), "One.\nTwo.\n"; got != want {
		t.Errorf("CR section body %q, want %q", got, want)
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), `\r`) {
		t.Errorf("the model holds a CR: %s", b)
	}
	// A problem in a CRLF section file is on the line an editor shows.
	os.WriteFile(filepath.Join(dir, "intro.md"), crlf("# Intro\n\nWe collect {{ category \"emial\" }}.\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "more.md"), []byte("One.\rTwo {{ sdk_tabel }}.\r"), 0o644)
	code, got := validate(t, dir)
	want := "intro.md:3:15: unknown data category \"emial\"; did you mean \"email\"?\n" +
		"more.md:2:8: unknown fact function \"sdk_tabel\"; did you mean \"sdk_table\"?\n2 problems\n"
	if code != 1 || got != want {
		t.Errorf("exit %d, output:\n%s\nwant:\n%s", code, got, want)
	}
}
