package site_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/policyc/policyc/internal/cli"
	"github.com/policyc/policyc/site"
)

// buildEnv names the environment variable under which this test binary,
// started again, runs one site build (its options as JSON) and exits.
const buildEnv = "POLICYC_TEST_SITE_BUILD"

// killEnv names a step of the build's commit at which that process ends
// as if killed (site.KillAt).
const killEnv = "POLICYC_TEST_SITE_KILL_AT"

// cliEnv names the environment variable under which this test binary,
// started again, runs policyc with the given arguments (as JSON) and exits.
const cliEnv = "POLICYC_TEST_CLI"

func TestMain(m *testing.M) {
	if spec := os.Getenv(cliEnv); spec != "" {
		var args []string
		if err := json.Unmarshal([]byte(spec), &args); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		os.Exit(cli.Main(args, cli.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}))
	}
	if spec := os.Getenv(buildEnv); spec != "" {
		var o site.Options
		if err := json.Unmarshal([]byte(spec), &o); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if step := os.Getenv(killEnv); step != "" {
			site.KillAt(step)
		}
		if _, err := site.Build(o); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// buildProcess is a site build in a process of its own.
func buildProcess(t *testing.T, o site.Options) *exec.Cmd {
	t.Helper()
	spec, _ := json.Marshal(o)
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), buildEnv+"="+string(spec))
	return cmd
}

// sameAsFresh checks a site against a fresh build's files and
// directories, and that no temporary file is left under dirs.
func sameAsFresh(t *testing.T, what, out string, want map[string][]byte, wantDirs string, under ...string) {
	t.Helper()
	if stray := strayTemps(under...); len(stray) > 0 {
		t.Errorf("%s, the next build left %q", what, stray)
	}
	got := files(t, out)
	for name, data := range want {
		if !bytes.Equal(got[name], data) {
			t.Errorf("%s: %s differs from a fresh build", what, name)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: %s is not in a fresh build", what, name)
		}
	}
	if d := dirs(t, out); d != wantDirs {
		t.Errorf("%s: directories\n%s\na fresh build has\n%s", what, d, wantDirs)
	}
}

func runBuildProcess(t *testing.T, o site.Options) {
	t.Helper()
	if out, err := buildProcess(t, o).CombinedOutput(); err != nil {
		t.Fatalf("site build %+v: %v\n%s", o, err, out)
	}
}

// TestKilledSiteBuildNeedsNoManualStep kills site builds at random
// points — first builds, rebuilds with pages missing, builds of other
// options (with the draft, without the PDFs) — and after each runs the
// next build, which must succeed with no manual step, leave no temporary
// file in the site, beside it or in the build state, and give byte for
// byte the site a fresh build gives.
func TestKilledSiteBuildNeedsNoManualStep(t *testing.T) {
	if testing.Short() {
		t.Skip("kills ten site builds: full suite only")
	}
	repo, pdir := setup(t)
	root := t.TempDir()
	parent := filepath.Join(root, "parent")
	out := filepath.Join(parent, "public")
	state := filepath.Join(repo, ".git", "policyc", "site")

	fresh := filepath.Join(root, "fresh")
	start := time.Now()
	runBuildProcess(t, site.Options{Dir: pdir, Out: fresh})
	whole := time.Since(start)
	want, wantDirs := files(t, fresh), dirs(t, fresh)

	seed := uint64(time.Now().UnixNano())
	if s, err := strconv.ParseUint(os.Getenv("POLICYC_TEST_SEED"), 10, 64); err == nil {
		seed = s
	}
	t.Logf("a whole build takes %v; seed %d (POLICYC_TEST_SEED repeats the run)", whole, seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	variants := []site.Options{
		{Dir: pdir, Out: out},
		{Dir: pdir, Out: out, Draft: true},
		{Dir: pdir, Out: out, Without: []string{"pdf"}},
	}
	kills := 0
	for attempt := 0; kills < 10; attempt++ {
		if attempt == 60 {
			t.Fatalf("only %d of 60 builds were killed before they ended", kills)
		}
		switch rng.IntN(3) {
		case 0: // no site yet
			os.RemoveAll(out)
		case 1: // some pages removed by hand
			if names := slices.Sorted(maps.Keys(files(t, out))); len(names) > 0 {
				for range 5 {
					os.Remove(filepath.Join(out, names[rng.IntN(len(names))]))
				}
			}
		}
		o := variants[rng.IntN(len(variants))]
		cmd := buildProcess(t, o)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		delay := time.Duration(rng.Int64N(int64(whole)))
		time.Sleep(delay)
		cmd.Process.Kill()
		cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			kills++
		} else {
			t.Logf("the build (draft %v, without %v) ended before it was killed at %v", o.Draft, o.Without, delay)
			continue
		}

		runBuildProcess(t, site.Options{Dir: pdir, Out: out})
		sameAsFresh(t, fmt.Sprintf("after a build killed at %v (draft %v, without %v)", delay, o.Draft, o.Without), out, want, wantDirs, parent, state)
		if t.Failed() {
			return
		}
	}
	t.Logf("%d builds killed", kills)
}

// TestSiteBuildKilledAtEachCommitStep ends builds at each step of their
// commit — a first build and a rebuild, each publishing the draft, which
// the next build does not — and checks that the next build gives the
// site a fresh build gives: files the killed build put in place are known
// to be the site's, and removed.
func TestSiteBuildKilledAtEachCommitStep(t *testing.T) {
	if testing.Short() {
		t.Skip("kills six site builds: full suite only")
	}
	repo, pdir := setup(t)
	root := t.TempDir()
	state := filepath.Join(repo, ".git", "policyc", "site")
	fresh := filepath.Join(root, "fresh")
	runBuildProcess(t, site.Options{Dir: pdir, Out: fresh})
	want, wantDirs := files(t, fresh), dirs(t, fresh)
	for _, first := range []bool{true, false} {
		for _, step := range []string{"recorded", "placed", "moved"} {
			if step == "moved" && !first {
				continue // a rebuild has no directory to move
			}
			parent := filepath.Join(root, fmt.Sprintf("%s-%v", step, first))
			out := filepath.Join(parent, "public")
			if !first {
				runBuildProcess(t, site.Options{Dir: pdir, Out: out})
			}
			cmd := buildProcess(t, site.Options{Dir: pdir, Out: out, Draft: true})
			cmd.Env = append(cmd.Env, killEnv+"="+step)
			err := cmd.Run()
			if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
				t.Fatalf("the build was not killed at %s: %v", step, err)
			}
			runBuildProcess(t, site.Options{Dir: pdir, Out: out})
			what := fmt.Sprintf("after a build with the draft killed at %q (first build %v)", step, first)
			sameAsFresh(t, what, out, want, wantDirs, parent, state)
		}
	}
}
