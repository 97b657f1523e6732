package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"policyc": func() {
			os.Exit(Main(os.Args[1:], Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}))
		},
	})
}

// TestScripts runs the behaviours in testdata/script, one file each.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{Dir: "testdata/script"})
}

func run(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = Main(args, Stdio{In: strings.NewReader(""), Out: &out, Err: &errb})
	return code, out.String(), errb.String()
}

// TestExitCodes pins the exit code of each kind of outcome, as README
// documents them.
func TestExitCodes(t *testing.T) {
	examples := filepath.Join("..", "..", "examples")
	bad := t.TempDir()
	os.WriteFile(filepath.Join(bad, "policy.yaml"), []byte("id: x\n"), 0o644)
	nonEmpty := t.TempDir()
	os.WriteFile(filepath.Join(nonEmpty, "notes.txt"), []byte("mine"), 0o644)
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"valid example", []string{"validate", filepath.Join(examples, "website")}, ExitOK},
		{"valid bilingual example", []string{"validate", filepath.Join(examples, "sdk-provider")}, ExitOK},
		{"invalid policy", []string{"validate", bad}, ExitInput},
		{"missing directory", []string{"validate", filepath.Join(bad, "nope")}, ExitInput},
		{"directory without policy.yaml", []string{"validate", t.TempDir()}, ExitInput},
		{"init into a non-empty directory", []string{"init", nonEmpty}, ExitInput},
		{"unknown command", []string{"frobnicate"}, ExitUsage},
		{"unknown flag", []string{"validate", "--frob"}, ExitUsage},
		{"too many arguments", []string{"validate", "a", "b"}, ExitUsage},
		{"bad format", []string{"validate", "--format", "xml", bad}, ExitUsage},
		{"init without a directory", []string{"init"}, ExitUsage},
		{"unknown example", []string{"init", "--example", "bank", filepath.Join(t.TempDir(), "p")}, ExitUsage},
		{"schema", []string{"schema"}, ExitOK},
		{"help", []string{"--help"}, ExitOK},
		{"version", []string{"--version"}, ExitOK},
		{"schema to an unwritable place", []string{"schema", "-o", filepath.Join(bad, "no", "such", "dir", "s.json")}, ExitInternal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(tt.args...)
			if code != tt.want {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, tt.want, stderr)
			}
		})
	}
}

// TestInitLeavesNothingBehindOnFailure checks that a failed init writes no
// part of the policy.
func TestInitLeavesNothingBehindOnFailure(t *testing.T) {
	parent := t.TempDir()
	target := filepath.Join(parent, "p")
	os.WriteFile(target, []byte("a file, not a directory"), 0o644)
	if code, _, _ := run("init", target); code == ExitOK {
		t.Fatal("init over a file succeeded")
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 1 {
		t.Errorf("init left %d entries in the parent, want only the original file", len(entries))
	}
}
