package site_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/policyc/policyc/site"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// waitFor polls until the server has built more than gen times (bounded).
func waitFor(t *testing.T, s *site.Server, gen int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for s.Generation() <= gen {
		if time.Now().After(deadline) {
			t.Fatal("no rebuild within 20 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestPreviewRebuildsOnChangeAndReloads(t *testing.T) {
	_, pdir := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := &site.Server{Dir: pdir, Addr: "127.0.0.1:0"}
	addr, err := s.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + addr
	if code, body := get(t, base+"/"); code != 200 || !strings.Contains(body, "EventSource") {
		t.Fatalf("landing page: %d", code)
	}
	// Listen for the reload event.
	events := make(chan string, 4)
	resp, err := http.Get(base + "/_policyc/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "data:") {
				events <- sc.Text()
			}
		}
	}()
	// Save as many editors do: a new file renamed over the old one.
	gen := s.Generation()
	file := filepath.Join(pdir, "sections", "introduction.en.md")
	tmp := file + ".swp"
	os.WriteFile(tmp, []byte("Welcome to the preview of {{ short_name }}.\n"), 0o644)
	if err := os.Rename(tmp, file); err != nil {
		t.Fatal(err)
	}
	waitFor(t, s, gen)
	if _, body := get(t, base+"/draft/policy.en.html"); !strings.Contains(body, "Welcome to the preview of BeaconDev.") {
		t.Error("the draft does not show the edit")
	}
	if _, body := get(t, base+"/draft/compare.html"); !strings.Contains(body, "<ins>") {
		t.Error("the draft comparison does not show the edit")
	}
	select {
	case e := <-events:
		if e != "data: rebuilt" {
			t.Errorf("event %q", e)
		}
	case <-time.After(10 * time.Second):
		t.Error("no reload event")
	}
	// A broken policy shows its problems, positioned.
	gen = s.Generation()
	os.WriteFile(filepath.Join(pdir, "policy.yaml"), []byte("id: beacondev-privacy\ntitel: x\n"), 0o644)
	waitFor(t, s, gen)
	if code, body := get(t, base+"/draft/policy.en.html"); code != 500 || !strings.Contains(body, "policy.yaml:2:1: unknown field &#34;titel&#34;") {
		t.Errorf("broken policy: %d %.300s", code, body)
	}
}

// syncBuffer is a log that a test reads while the server writes it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// preview starts a preview of a policy with no release (its draft only),
// with TMPDIR set to a directory of the test's, which it returns.
func preview(t *testing.T) (s *site.Server, base, pdir, tmp string, log *syncBuffer) {
	t.Helper()
	_, pdir = exampleRepo(t, "sdk-provider")
	tmp = t.TempDir()
	t.Setenv("TMPDIR", tmp)
	ctx, cancel := context.WithCancel(context.Background())
	log = &syncBuffer{}
	s = &site.Server{Dir: pdir, Addr: "127.0.0.1:0", Log: log}
	addr, err := s.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); s.Wait() })
	return s, "http://" + addr, pdir, tmp, log
}

// request sends a GET with the given Host header, following no redirect.
func request(t *testing.T, url, host string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	client := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestPreviewAnswersOnlyRequestsAddressedToIt sends requests as a page
// of another site would after its name was made to resolve to 127.0.0.1
// (DNS rebinding): refused, with nothing of the preview in the answer;
// requests addressed to the preview's own address are answered.
func TestPreviewAnswersOnlyRequestsAddressedToIt(t *testing.T) {
	_, base, _, _, log := preview(t)
	port := base[strings.LastIndexByte(base, ':')+1:]
	for _, host := range []string{"127.0.0.1:" + port, "localhost:" + port, "LocalHost:" + port, "[::1]:" + port} {
		if code, body := request(t, base+"/draft/policy.en.html", host); code != 200 || !strings.Contains(body, "BeaconDev") {
			t.Errorf("Host %s: %d", host, code)
		}
	}
	for _, host := range []string{"attacker.example:" + port, "127.0.0.1.nip.io:" + port, "localhost:1" + port, "localhost", "127.0.0.1"} {
		for _, path := range []string{"/draft/policy.en.html", "/_policyc/events", "/"} {
			code, body := request(t, base+path, host)
			if code != http.StatusMisdirectedRequest || strings.Contains(body, "BeaconDev") {
				t.Errorf("Host %q, %s: %d %.80q", host, path, code, body)
			}
		}
	}
	if !strings.Contains(log.String(), `refused a request for "attacker.example:`+port+`"`) {
		t.Errorf("the refusals are not logged:\n%s", log)
	}
}

// TestPreviewErrorPagesShowNoAbsolutePath makes the preview's build fail
// on a path of its temporary directory, and asks for a page under a file:
// the answers name the files by their place in the site, and show no
// absolute path (of the temporary directory, the policy or anything else).
func TestPreviewErrorPagesShowNoAbsolutePath(t *testing.T) {
	s, base, pdir, tmp, log := preview(t)
	noPath := func(what, body string) {
		t.Helper()
		for _, p := range []string{tmp, pdir, filepath.Dir(pdir), os.TempDir()} {
			if strings.Contains(body, p) {
				t.Errorf("%s shows %s:\n%s", what, p, body)
			}
		}
	}
	code, body := get(t, base+"/draft/policy.en.html/x")
	if code != 404 {
		t.Errorf("a page under a file: %d", code)
	}
	noPath("the page under a file", body)

	// The draft's directory in the preview becomes a link: the build
	// refuses to write through it, naming it.
	sites, _ := filepath.Glob(filepath.Join(tmp, "policyc-preview-*", "site"))
	if len(sites) != 1 {
		t.Fatalf("the preview's site is not in TMPDIR: %v", sites)
	}
	draft := filepath.Join(sites[0], "draft")
	if err := os.RemoveAll(draft); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(t.TempDir(), draft); err != nil {
		t.Fatal(err)
	}
	gen := s.Generation()
	edit(t, filepath.Join(pdir, "sections", "introduction.en.md"), "Welcome to", "Welcome, reader, to")
	waitFor(t, s, gen)
	code, body = get(t, base+"/draft/policy.en.html")
	if code != 500 || !strings.Contains(body, "draft is not a directory of the site") {
		t.Errorf("a build that fails on a path of the preview: %d\n%s", code, body)
	}
	noPath("the failed build's page", body)
	noPath("the log", log.String())
}

// TestPreviewLogsEachBuildAndError reads the preview's log: the first
// build, a rebuild naming the file that changed, and a failed rebuild with
// the problems, each with the time it took.
func TestPreviewLogsEachBuildAndError(t *testing.T) {
	s, _, pdir, _, log := preview(t)
	took := `in [0-9.]+(µs|ms|s)`
	if !regexp.MustCompile(`(?m)^policyc: built ` + took + `: [0-9]+ files, [0-9]+ written, 0 unchanged, 0 removed$`).MatchString(log.String()) {
		t.Errorf("the first build is not logged:\n%s", log)
	}
	// Saved as many editors do, through a temporary file renamed over the
	// old one: the log names the file saved, not the temporary one.
	gen := s.Generation()
	file := filepath.Join(pdir, "sections", "introduction.en.md")
	os.WriteFile(file+".swp", []byte("Welcome, reader, to {{ short_name }}.\n"), 0o644)
	if err := os.Rename(file+".swp", file); err != nil {
		t.Fatal(err)
	}
	waitFor(t, s, gen)
	if !regexp.MustCompile(`(?m)^policyc: rebuilt after sections/introduction.en.md changed, ` + took + `: [0-9]+ files, [1-9][0-9]* written, [0-9]+ unchanged, 0 removed$`).MatchString(log.String()) {
		t.Errorf("the rebuild is not logged:\n%s", log)
	}
	gen = s.Generation()
	os.WriteFile(filepath.Join(pdir, "policy.yaml"), []byte("id: beacondev-privacy\ntitel: x\n"), 0o644)
	waitFor(t, s, gen)
	if !regexp.MustCompile(`(?m)^policyc: rebuilt after policy.yaml changed, ` + took + `: the policy does not build:\n(  .*\n)*  policy.yaml:2:1: unknown field "titel"`).MatchString(log.String()) {
		t.Errorf("the failed rebuild is not logged:\n%s", log)
	}
}

// TestPreviewThatCannotStartLeavesNothing starts previews that cannot
// start — the port is taken, the policy directory does not exist, the
// address is not local — and checks that each fails and leaves nothing
// in the temporary directory.
func TestPreviewThatCannotStartLeavesNothing(t *testing.T) {
	_, pdir := exampleRepo(t, "sdk-provider")
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	for _, s := range []*site.Server{
		{Dir: pdir, Addr: taken.Addr().String()},
		{Dir: filepath.Join(pdir, "missing"), Addr: "127.0.0.1:0"},
		{Dir: pdir, Addr: "0.0.0.0:0"},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		if _, err := s.Start(ctx); err == nil {
			t.Errorf("a preview of %s on %s started", s.Dir, s.Addr)
		}
		cancel()
		if entries, _ := os.ReadDir(tmp); len(entries) > 0 {
			t.Errorf("a preview of %s on %s that could not start left %v", s.Dir, s.Addr, entries)
			for _, e := range entries {
				os.RemoveAll(filepath.Join(tmp, e.Name()))
			}
		}
	}
}

// TestPreviewStopsAndRemovesItsFilesOnInterruptAndTerminate runs
// `policyc site serve` in a process of its own, stops it with SIGINT and
// with SIGTERM, and checks that it exits 0 leaving nothing in the
// temporary directory and no build state for the preview in the
// repository.
func TestPreviewStopsAndRemovesItsFilesOnInterruptAndTerminate(t *testing.T) {
	repo, pdir := exampleRepo(t, "sdk-provider")
	addrRE := regexp.MustCompile(`at http://([^/ ]+)/`)
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		tmp := t.TempDir()
		args, _ := json.Marshal([]string{"site", "serve", pdir, "--addr", "127.0.0.1:0"})
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), cliEnv+"="+string(args), "TMPDIR="+tmp)
		var stderr syncBuffer
		cmd.Stderr = &stderr
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(stdout).ReadString('\n')
		m := addrRE.FindStringSubmatch(line)
		if m == nil {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("serve printed %q (%v)\n%s", line, err, stderr.String())
		}
		if code, _ := get(t, "http://"+m[1]+"/draft/policy.en.html"); code != 200 {
			t.Errorf("the preview answers %d", code)
		}
		if entries, _ := os.ReadDir(tmp); len(entries) == 0 {
			t.Error("the preview is not in TMPDIR")
		}
		cmd.Process.Signal(sig)
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("after %v: %v\n%s", sig, err, stderr.String())
			}
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			t.Fatalf("serve did not stop within 30 s of %v", sig)
		}
		if entries, _ := os.ReadDir(tmp); len(entries) > 0 {
			t.Errorf("after %v, the preview left %v in TMPDIR", sig, entries)
		}
		state, _ := filepath.Glob(filepath.Join(repo, ".git", "policyc", "site", "*.json"))
		for _, f := range state {
			if b := filepath.Base(f); b != "cuts.json" && b != "outlines.json" {
				t.Errorf("after %v, the preview left its manifest %s", sig, b)
			}
		}
	}
}
