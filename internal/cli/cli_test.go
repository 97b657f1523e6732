package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/spf13/cobra"
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
	testscript.Run(t, testscript.Params{Dir: "testdata/script", Cmds: map[string]func(*testscript.TestScript, bool, []string){
		"exits":      exitsCmd,
		"jsonschema": jsonSchemaCmd,
		"githubapi":  gitHubAPICmd,
	}})
}

// exitsCmd is the script command "exits CODE PROGRAM [ARGS...]": it runs
// PROGRAM, like exec, and fails unless it exits with CODE, so that a
// script pins the exact exit code, not only success or failure.
func exitsCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: %v", err)
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exits: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("exit code %d, want %d", got, want)
	}
}

func run(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = Main(args, Stdio{In: strings.NewReader(""), Out: &out, Err: &errb})
	return code, out.String(), errb.String()
}

// TestExitCodes pins the exit code of each kind of outcome, as README
// and policyc help exit-codes document them.
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
		{"invalid policy: validate found problems", []string{"validate", bad}, ExitFound},
		{"invalid policy: render cannot", []string{"render", bad}, ExitFailed},
		{"missing directory", []string{"validate", filepath.Join(bad, "nope")}, ExitFailed},
		{"directory without policy.yaml", []string{"validate", t.TempDir()}, ExitFailed},
		{"init into a non-empty directory", []string{"init", nonEmpty}, ExitFailed},
		{"unknown command", []string{"frobnicate"}, ExitFailed},
		{"unknown flag", []string{"validate", "--frob"}, ExitFailed},
		{"too many arguments", []string{"validate", "a", "b"}, ExitFailed},
		{"bad format", []string{"validate", "--format", "xml", bad}, ExitFailed},
		{"init without a directory", []string{"init"}, ExitFailed},
		{"unknown example", []string{"init", "--example", "bank", filepath.Join(t.TempDir(), "p")}, ExitFailed},
		{"schema", []string{"schema"}, ExitOK},
		{"help", []string{"--help"}, ExitOK},
		{"help exit-codes", []string{"help", "exit-codes"}, ExitOK},
		{"version", []string{"--version"}, ExitOK},
		{"schema into a file where a directory should be", []string{"schema", "-o", filepath.Join(bad, "policy.yaml", "s.json")}, ExitFailed},
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

// TestPanicIsABugExit3 checks that a panic in a command is recovered and
// reported as a bug, exit 3, with the panic's message on stderr.
func TestPanicIsABugExit3(t *testing.T) {
	var out, errb bytes.Buffer
	stdio := Stdio{In: strings.NewReader(""), Out: &out, Err: &errb}
	root := newRoot(stdio)
	root.AddCommand(&cobra.Command{Use: "boom", RunE: func(*cobra.Command, []string) error {
		var m map[string]int
		m["x"] = 1 // a nil map: a runtime panic
		return nil
	}})
	code := execute(context.Background(), root, []string{"boom"}, stdio)
	if code != ExitBug {
		t.Errorf("exit code %d, want %d", code, ExitBug)
	}
	if !strings.Contains(errb.String(), "internal error (a bug in policyc") || !strings.Contains(errb.String(), "nil map") {
		t.Errorf("stderr does not report the bug:\n%s", errb.String())
	}
	if out.Len() != 0 {
		t.Errorf("stdout: %q", out.String())
	}
}

// TestUnclassifiedErrorIsNotABug checks the default of the classification:
// an error no one marked is something policyc could not do (2), never a
// bug (3); a wrapped runtime error and a marked bug are 3.
func TestUnclassifiedErrorIsNotABug(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want int
	}{
		{nil, ExitOK},
		{errors.New("effective date 2026-04-01 is earlier than version 2's (2026-05-01)"), ExitFailed},
		{fmt.Errorf("reading: %w", fs.ErrNotExist), ExitFailed},
		{usageError{errors.New("unknown format")}, ExitFailed},
		{fmt.Errorf("policy acme: %w", found{}), ExitFound},
		{bugError{errors.New("broken invariant")}, ExitBug},
		{fmt.Errorf("render: %w", runtimeError()), ExitBug},
	} {
		if got := exitCode(tt.err); got != tt.want {
			t.Errorf("exitCode(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}

func runtimeError() (err error) {
	defer func() { err = recover().(error) }()
	var a []int
	_ = a[len(a)]
	return nil
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

// jsonSchemaCmd is the script command "jsonschema NAME": the standard
// output of the last command must validate against the documented schema
// docs/json/NAME.schema.json. With !, it must not (a schema that accepts
// anything proves nothing).
func jsonSchemaCmd(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: jsonschema NAME")
	}
	schema, err := compileDocSchema(args[0])
	if err != nil {
		ts.Fatalf("%v", err)
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(ts.ReadFile("stdout")))
	if err != nil {
		ts.Fatalf("stdout is not JSON: %v", err)
	}
	err = schema.Validate(inst)
	switch {
	case err != nil && !neg:
		ts.Fatalf("stdout does not validate against docs/json/%s.schema.json: %v", args[0], err)
	case err == nil && neg:
		ts.Fatalf("stdout validates against docs/json/%s.schema.json", args[0])
	}
}

// compileDocSchema compiles docs/json/NAME.schema.json (and checks it
// against the JSON Schema metaschema on the way).
func compileDocSchema(name string) (*jsonschema.Schema, error) {
	path, err := filepath.Abs(filepath.Join("..", "..", "docs", "json", name+".schema.json"))
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(name+".schema.json", doc); err != nil {
		return nil, err
	}
	return c.Compile(name + ".schema.json")
}

// TestVerifyReportsAnUnreadableArchiveAsDamage corrupts the archive's
// latest commit object: verify reports it on stdout and exits 1 (damage
// found), never 2 or 3.
func TestVerifyReportsAnUnreadableArchiveAsDamage(t *testing.T) {
	dir := t.TempDir()
	git := func(args ...string) string {
		t.Helper()
		return gitIn(t, dir, args...)
	}
	git("init", "-q")
	p := filepath.Join(dir, "p")
	os.MkdirAll(p, 0o755)
	os.WriteFile(filepath.Join(p, "policy.yaml"), []byte(`id: acme
title: Acme privacy policy
locales: [en]
controller: {legal_name: Acme Ltd., registered_address: 1 Main Street}
contacts:
  channels: [{id: mail, kind: email, value: privacy@acme.example, uses: [privacy]}]
  response_time: 15 days
data_categories: [{id: email, name: E-mail address, sources: [provided]}]
sections: [{id: introduction, title: Introduction, body: Hello.}]
`), 0o644)
	if code, _, stderr := run("release", p, "--effective", "2026-05-01", "--allow-dirty"); code != ExitOK {
		t.Fatalf("release: exit %d: %s", code, stderr)
	}
	commit := git("rev-parse", "refs/policyc/acme")
	obj := filepath.Join(dir, ".git", "objects", commit[:2], commit[2:])
	os.Chmod(obj, 0o644)
	if err := os.WriteFile(obj, []byte("not a zlib stream"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run("verify", p)
	if code != ExitFound {
		t.Errorf("exit code %d, want %d; stdout:\n%s\nstderr:\n%s", code, ExitFound, stdout, stderr)
	}
	if !strings.Contains(stdout, "acme: ") || stderr != "" {
		t.Errorf("the damage is not reported on stdout alone; stdout:\n%s\nstderr:\n%s", stdout, stderr)
	}
}

var update = flag.Bool("update", false, "rewrite docs/cli.md")

// TestCLIReferenceIsCurrent checks that docs/cli.md is what the commands
// say of themselves (regenerate with -update).
func TestCLIReferenceIsCurrent(t *testing.T) {
	var b bytes.Buffer
	writeReference(&b)
	path := filepath.Join("..", "..", "docs", "cli.md")
	if *update {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, b.Bytes()) {
		t.Errorf("docs/cli.md is not current: run go test ./internal/cli -run TestCLIReferenceIsCurrent -update")
	}
	for _, want := range []string{"## policyc validate", "## policyc site build", "## policyc help exit-codes", "--policy ID"} {
		if !bytes.Contains(got, []byte(want)) {
			t.Errorf("docs/cli.md lacks %q", want)
		}
	}
}

// TestEveryCommandHasItsExitCodesPinned checks that each command of the
// tree is run by some script with "exits CODE policyc COMMAND", for at
// least one success and one failure, so a new command cannot arrive
// without its exit codes and streams specified.
func TestEveryCommandHasItsExitCodesPinned(t *testing.T) {
	scripts, err := filepath.Glob(filepath.Join("testdata", "script", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, s := range scripts {
		b, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
	}
	text := all.String()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.Hidden || sub.IsAdditionalHelpTopicCommand() {
				continue
			}
			if sub.HasSubCommands() {
				walk(sub)
				continue
			}
			path := strings.TrimPrefix(sub.CommandPath(), "policyc ")
			var codes []string
			for _, line := range strings.Split(text, "\n") {
				if code, rest, ok := strings.Cut(strings.TrimPrefix(line, "exits "), " policyc "); ok && strings.HasPrefix(line, "exits ") && (rest == path || strings.HasPrefix(rest, path+" ")) {
					codes = append(codes, code)
				}
			}
			if path == "site serve" {
				// it runs until interrupted: its success is pinned by
				// TestSiteServeServesAndStopsCleanly
				codes = append(codes, "0")
			}
			switch {
			case sub.Name() == "help" || c.Name() == "completion":
				// cobra's own; completion bash is pinned, the others are alike
			case !slices.Contains(codes, "0") || !slices.ContainsFunc(codes, func(c string) bool { return c != "0" }):
				t.Errorf("policyc %s: the scripts pin exit codes %v; want a success and a failure", path, codes)
			}
		}
	}
	walk(newRoot(Stdio{Out: io.Discard, Err: io.Discard}))
}

// syncBuffer is a buffer a command writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestSiteServeServesAndStopsCleanly starts site serve on a free port,
// fetches the draft it serves, and stops it as Ctrl-C would: exit 0, the
// address on stdout, nothing on stderr.
func TestSiteServeServesAndStopsCleanly(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "p")
	copyTree(t, filepath.Join("..", "..", "examples", "website"), p)
	if out, err := exec.Command("git", "init", "-q", dir).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v %s", err, out)
	}
	var out, errb syncBuffer
	stdio := Stdio{In: strings.NewReader(""), Out: &out, Err: &errb}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() {
		done <- execute(ctx, newRoot(stdio), []string{"site", "serve", p, "--addr", "127.0.0.1:0"}, stdio)
	}()
	var addr string
	for deadline := time.Now().Add(30 * time.Second); addr == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if _, rest, ok := strings.Cut(out.String(), " at http://"); ok {
			addr, _, _ = strings.Cut(rest, "/")
		}
		select {
		case code := <-done:
			t.Fatalf("site serve ended with %d before serving; stderr:\n%s", code, errb.String())
		default:
		}
	}
	if addr == "" {
		cancel()
		t.Fatalf("site serve printed no address; stdout %q, stderr %q", out.String(), errb.String())
	}
	resp, err := http.Get("http://" + addr + "/draft/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /draft/: %s", resp.Status)
	}
	cancel()
	if code := <-done; code != ExitOK {
		t.Errorf("exit code %d, want 0; stderr:\n%s", code, errb.String())
	}
	// The log on stderr says each build and nothing else here.
	for _, line := range strings.Split(strings.TrimSpace(errb.String()), "\n") {
		if !strings.HasPrefix(line, "policyc: built in ") {
			t.Errorf("stderr line %q is not a build's log line; stderr:\n%s", line, errb.String())
		}
	}
}

// TestREADMEStatesTheExitCodeContract checks that README's table and
// policyc help exit-codes say the same thing for each code.
func TestREADMEStatesTheExitCodeContract(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for code, phrase := range map[int]string{
		ExitOK: "done, and nothing to report", ExitFound: "done, and the answer is yes",
		ExitFailed: "could not do it", ExitBug: "a bug in policyc",
	} {
		if !strings.Contains(exitCodesHelp, fmt.Sprintf("\n  %d  %s", code, phrase)) {
			t.Errorf("help exit-codes does not give %d as %q", code, phrase)
		}
		if !strings.Contains(string(readme), fmt.Sprintf("\n| %d | %s", code, phrase)) {
			t.Errorf("README does not give %d as %q", code, phrase)
		}
	}
}
