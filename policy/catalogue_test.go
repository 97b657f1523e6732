package policy_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/policyc/policyc/internal/cli"
	"github.com/policyc/policyc/policy"
)

var update = flag.Bool("update", false, "rewrite golden files")

// validate runs "policyc validate DIR" as a user would and returns the exit
// code and what it printed on standard error, with DIR removed from paths.
func validate(t *testing.T, dir string) (int, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Main([]string{"validate", dir}, cli.Stdio{In: strings.NewReader(""), Out: &out, Err: &errb})
	if code == cli.ExitOK {
		return code, errb.String() // the problems, none; stdout has the summary
	}
	return code, strings.ReplaceAll(out.String(), dir+string(filepath.Separator), "")
}

// TestInvalidPoliciesAreRejectedWithPositions runs every case in
// testdata/invalid: each txtar holds a policy's files and, under "want", the
// exact output of policyc validate, which must exit 1.
func TestInvalidPoliciesAreRejectedWithPositions(t *testing.T) {
	cases, err := filepath.Glob("testdata/invalid/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 50 {
		t.Fatalf("catalogue has %d cases; it must keep at least 50", len(cases))
	}
	for _, file := range cases {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			var want *txtar.File
			for i, f := range ar.Files {
				if f.Name == "want" {
					want = &ar.Files[i]
					continue
				}
				p := filepath.Join(dir, filepath.FromSlash(f.Name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, f.Data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if want == nil {
				t.Fatal("case has no want section")
			}
			code, got := validate(t, dir)
			if *update {
				want.Data = []byte(got)
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if code != cli.ExitFound {
				t.Errorf("exit code %d, want %d", code, cli.ExitFound)
			}
			if got != string(want.Data) {
				t.Errorf("output differs\n--- got\n%s--- want\n%s", got, want.Data)
			}
		})
	}
}

const minimal = `id: t
title: Test policy
locales: [en]
controller: {legal_name: Acme Ltd., registered_address: 1 Main Street}
contacts:
  channels: [{id: mail, kind: email, value: privacy@acme.example, uses: [privacy]}]
  response_time: 15 days
data_categories: [{id: email, name: E-mail address, sources: [provided]}]
sections: [{id: intro, title: Introduction, file: intro.md}]
`

// TestHostileBytesAreRejectedWithPositions covers inputs that a text
// catalogue cannot hold: binary data, invalid UTF-8 and an over-large file.
func TestHostileBytesAreRejectedWithPositions(t *testing.T) {
	tests := []struct {
		name  string
		files map[string][]byte
		want  string
	}{
		{"binary garbage", map[string][]byte{"policy.yaml": {0x7f, 'E', 'L', 'F', 0, 1, 2, 3}},
			"policy.yaml:1:1: control character U+007F: the file must be text\n1 problem\n"},
		{"NUL after text", map[string][]byte{"policy.yaml": []byte("id: t\ntitle: ab\x00c\n")},
			"policy.yaml:2:10: control character U+0000: the file must be text\n1 problem\n"},
		{"invalid UTF-8", map[string][]byte{"policy.yaml": []byte("id: t\ntitle: caf\xe9\n")},
			"policy.yaml:2:11: invalid UTF-8 (byte 0xe9): the file must be UTF-8 text\n1 problem\n"},
		{"binary section file", map[string][]byte{"policy.yaml": []byte(minimal), "intro.md": []byte("Hello\n\x1b[31mred")},
			"intro.md:2:1: control character U+001B: the file must be text\n1 problem\n"},
		{"over-large file", map[string][]byte{"policy.yaml": append([]byte(minimal+"summary: |\n"), bytes.Repeat([]byte("  aaaaaaaaaaaaaaa\n"), policy.MaxFileSize/18+1)...)},
			"policy.yaml:1:1: file is larger than 4194304 bytes\n1 problem\n"},
		{"over-large section file", map[string][]byte{"policy.yaml": []byte(minimal), "intro.md": bytes.Repeat([]byte("a"), policy.MaxFileSize+1)},
			"intro.md:1:1: file is larger than 4194304 bytes\n1 problem\n"},
		{"byte-order mark is accepted", map[string][]byte{"policy.yaml": []byte("\xef\xbb\xbf" + minimal), "intro.md": []byte("Hello.\n")},
			""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, b := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			code, got := validate(t, dir)
			if got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
			if wantCode := map[bool]int{true: 0, false: 1}[tt.want == ""]; code != wantCode {
				t.Errorf("exit code %d, want %d", code, wantCode)
			}
		})
	}
}

// TestBillionLaughsIsRefusedWithoutExpansion checks that a document whose aliases
// would expand to 10^9 nodes is refused without being expanded.
func TestBillionLaughsIsRefusedWithoutExpansion(t *testing.T) {
	var b strings.Builder
	b.WriteString(minimal + "lol0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= 9; i++ {
		b.WriteString("lol" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "policy.yaml"), []byte(b.String()), 0o644)
	// The tree is refused at its first alias, before anything is decoded,
	// so nothing else is reported and nothing is expanded.
	code, got := validate(t, dir)
	want := "policy.yaml:11:12: YAML aliases (*a0) are not supported: write the value out\n1 problem\n"
	if code != cli.ExitFound || got != want {
		t.Errorf("exit %d, output:\n%s\nwant:\n%s", code, got, want)
	}
}
