package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const damagePolicy = `id: acme
title: Acme privacy policy
locales: [en]
controller: {legal_name: Acme Ltd., registered_address: %s Main Street}
contacts:
  channels: [{id: mail, kind: email, value: privacy@acme.example, uses: [privacy]}]
  response_time: 15 days
data_categories: [{id: email, name: E-mail address, sources: [provided]}]
sections: [{id: introduction, title: Introduction, body: Hello.}]
`

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// looseObject is the file holding a loose object.
func looseObject(t *testing.T, dir, spec string) string {
	h := git(t, dir, "rev-parse", spec)
	return filepath.Join(dir, ".git", "objects", h[:2], h[2:])
}

// copyObject puts the object file of from under the name of to: the two
// objects are then swapped as far as readers that trust names can tell.
func copyObject(t *testing.T, dir, from, to string) {
	b, err := os.ReadFile(looseObject(t, dir, from))
	if err != nil {
		t.Fatal(err)
	}
	dst := looseObject(t, dir, to)
	os.Chmod(dst, 0o644)
	if err := os.WriteFile(dst, b, 0o444); err != nil {
		t.Fatal(err)
	}
}

// TestArchiveDamageIsReportedNotABug damages an archive of two versions;
// verify and log exit 1 naming the version, show and site build refuse
// the damaged file, naming the version (never exit 3, a bug).
func TestArchiveDamageIsReportedNotABug(t *testing.T) {
	setup := func(t *testing.T) (string, string) {
		dir := t.TempDir()
		p := filepath.Join(dir, "p")
		os.MkdirAll(p, 0o755)
		os.WriteFile(filepath.Join(p, "policy.yaml"), []byte(strings.Replace(damagePolicy, "%s", "1", 1)), 0o644)
		git(t, dir, "init", "-q")
		git(t, dir, "add", "p")
		git(t, dir, "commit", "-qm", "init")
		if code, _, stderr := run("release", p, "--allow-dirty", "--effective", "2026-05-01"); code != ExitOK {
			t.Fatalf("release: %d %s", code, stderr)
		}
		os.WriteFile(filepath.Join(p, "policy.yaml"), []byte(strings.Replace(damagePolicy, "%s", "2", 1)), 0o644)
		if code, _, stderr := run("release", p, "--allow-dirty", "--effective", "2026-06-01"); code != ExitOK {
			t.Fatalf("release: %d %s", code, stderr)
		}
		return dir, p
	}
	tests := []struct {
		name   string
		tamper func(t *testing.T, dir string)
		// what each command's stderr must hold
		verify, read string
	}{
		{"swapped loose objects with consistent SHA-256s", func(t *testing.T, dir string) {
			// Version 2's page and record replaced by version 1's, whose
			// SHA-256s agree with each other.
			copyObject(t, dir, "policyc/acme/v1:rendered/policy.en.html", "policyc/acme/v2:rendered/policy.en.html")
			copyObject(t, dir, "policyc/acme/v1:policyc.json", "policyc/acme/v2:policyc.json")
		}, "version 2: archive commit", "version 2"},
		{"a swapped loose object", func(t *testing.T, dir string) {
			copyObject(t, dir, "policyc/acme/v1:rendered/policy.en.html", "policyc/acme/v2:rendered/policy.en.html")
		}, "version 2: rendered/policy.en.html unreadable", "version 2: rendered/policy.en.html"},
		{"a corrupt archive commit", func(t *testing.T, dir string) {
			copyObject(t, dir, "policyc/acme/v1^{tree}", "refs/policyc/acme")
		}, "(the latest version) is unreadable", "the archive is damaged"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, p := setup(t)
			tt.tamper(t, dir)
			code, stdout, _ := run("verify", p)
			if code != ExitFound || !strings.Contains(stdout, tt.verify) {
				t.Errorf("verify: exit %d, want %d; stdout:\n%s\nwant it to hold %q", code, ExitFound, stdout, tt.verify)
			}
			for _, args := range [][]string{
				{"show", "v2", "-C", p, "--format", "html"},
				{"site", "build", p, "-o", filepath.Join(t.TempDir(), "site")},
				{"log", p},
			} {
				code, stdout, stderr := run(args...)
				if args[0] == "log" && tt.name != "a corrupt archive commit" && !strings.Contains(tt.name, "consistent") {
					continue // log reads only the records, which are intact
				}
				if code != ExitFailed || !strings.Contains(stderr, tt.read) {
					t.Errorf("%s: exit %d; stderr:\n%s\nwant a refusal (exit 2) naming %q", strings.Join(args, " "), code, stderr, tt.read)
				}
				if args[0] == "show" && stdout != "" {
					t.Errorf("show printed the damaged file:\n%.200s", stdout)
				}
			}
		})
	}
}

// TestReleaseSaysWhatItDidToSettleAnInterruptedOne: a release lock left
// empty by a killed release is taken over, and the release says so.
func TestReleaseSaysWhatItDidToSettleAnInterruptedOne(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "p")
	os.MkdirAll(p, 0o755)
	os.WriteFile(filepath.Join(p, "policy.yaml"), []byte(strings.Replace(damagePolicy, "%s", "1", 1)), 0o644)
	git(t, dir, "init", "-q")
	os.MkdirAll(filepath.Join(dir, ".git", "policyc"), 0o755)
	os.WriteFile(filepath.Join(dir, ".git", "policyc", "release-acme.lock"), nil, 0o644)
	code, stdout, stderr := run("release", p, "--allow-dirty", "--effective", "2026-05-01")
	if code != ExitOK || !strings.Contains(stdout, "released acme version 1") {
		t.Fatalf("release: exit %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "policyc: took over the empty lock") {
		t.Errorf("release did not say it took over the empty lock; stderr:\n%s", stderr)
	}
}
