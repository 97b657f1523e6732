package versions

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The release child: when these are set, TestReleaseChildProcess releases
// in the repository named and, with dieAtEnv, kills itself with SIGKILL at
// that step of the release (counted from 1), as a crash or kill -9 would.
const (
	childDirEnv     = "POLICYC_TEST_RELEASE_DIR"
	childContentEnv = "POLICYC_TEST_RELEASE_CONTENT"
	dieAtEnv        = "POLICYC_TEST_DIE_AT_STEP"
	childFilesEnv   = "POLICYC_TEST_RELEASE_FILES"
)

func TestReleaseChildProcess(t *testing.T) {
	dir := os.Getenv(childDirEnv)
	if dir == "" {
		t.Skip("run as a child process by the interruption tests")
	}
	a, err := Open(dir, "p")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	dieAt, _ := strconv.Atoi(os.Getenv(dieAtEnv))
	step := 0
	a.st.fault = func(name string) error {
		step++
		if step == dieAt {
			fmt.Printf("dying at %s\n", name)
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {} // the signal is on its way
		}
		return nil
	}
	content := os.Getenv(childContentEnv)
	contents := files(content)
	if n, _ := strconv.Atoi(os.Getenv(childFilesEnv)); n > 0 {
		contents = manyFiles(content, n)
	}
	fmt.Println("ready")
	if _, err := a.Release(ReleaseOptions{Updated: date("2026-01-01"), Effective: date("2026-01-01"), Contents: contents}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	fmt.Println("released")
	os.Exit(0)
}

// manyFiles is a version large enough that a kill at a random moment
// lands anywhere in its writing.
func manyFiles(content string, n int) func(int) (Contents, error) {
	return func(v int) (Contents, error) {
		c, _ := files(content)(v)
		for i := range n {
			c.Files[fmt.Sprintf("rendered/part%03d.en.md", i)] = []byte(strings.Repeat(fmt.Sprintf("%s %d %d\n", content, v, i), 200))
		}
		return c, nil
	}
}

// releaseChild starts a release in a child process; dieAt 0 lets it finish.
func releaseChild(t *testing.T, dir, content string, dieAt, nfiles int) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestReleaseChildProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), childDirEnv+"="+dir, childContentEnv+"="+content,
		dieAtEnv+"="+strconv.Itoa(dieAt), childFilesEnv+"="+strconv.Itoa(nfiles))
	return cmd
}

// checkWholeOrAbsent is what the next command must find after a release of
// version want was killed: the archive opens with no manual step, verify
// is clean, git fsck --strict is clean, and version want is there wholly
// (on the archive ref, tagged, every file matching its record) or not at
// all (no ref, no tag).
func checkWholeOrAbsent(t *testing.T, dir string, want int, where string) (present bool, notes []string) {
	t.Helper()
	a, err := Open(dir, "p")
	if err != nil {
		t.Fatalf("%s: the next command cannot open the archive: %v", where, err)
	}
	notes = a.Recovered()
	vs, err := a.Versions()
	if err != nil {
		t.Fatalf("%s: log: %v", where, err)
	}
	if problems, err := a.Verify(); err != nil || len(problems) > 0 {
		t.Fatalf("%s: verify: %v %v", where, problems, err)
	}
	gitCmd(t, dir, "fsck", "--strict", "--no-dangling")
	tags := gitCmd(t, dir, "for-each-ref", "--format=%(refname)", "refs/tags/policyc/p/")
	tagged := strings.Contains(tags, fmt.Sprintf("/v%d\n", want))
	switch {
	case len(vs) == want && tagged:
		present = true
	case len(vs) == want-1 && !tagged:
	default:
		t.Fatalf("%s: %d versions, tag of version %d present: %v; want version %d wholly present or absent", where, len(vs), want, tagged, want)
	}
	filepath.WalkDir(filepath.Join(dir, ".git", "refs"), func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".lock") {
			t.Fatalf("%s: a ref lock is left after the next command: %s", where, p)
		}
		return nil
	})
	return present, notes
}

// TestAReleaseKilledAtEveryJournalStepNeedsNoManualStep kills a release
// process at each step of its journal in turn (each object write, the
// journal, each ref lock and rename, the journal's removal). After each,
// the next command settles it and says so, and a new release succeeds.
func TestAReleaseKilledAtEveryJournalStepNeedsNoManualStep(t *testing.T) {
	dir := newRepo(t)
	rounds := 3
	if testing.Short() {
		rounds = 1
	}
	kills := map[string]bool{}
	for round := range rounds {
		want := round + 1
		for _, k := range killPoints(t, dir, testing.Short()) {
			content := fmt.Sprintf("round %d kill %d", round, k)
			out, err := releaseChild(t, dir, content, k, 0).Output()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("child: %v\n%s%s", err, out, exitStderr(err))
			}
			step := strings.TrimPrefix(strings.TrimSpace(string(out)), "ready\ndying at ")
			kills[step] = true
			where := fmt.Sprintf("killed at step %d (%s) of version %d", k, step, want)
			present, notes := checkWholeOrAbsent(t, dir, want, where)
			journalWritten := k > 1 && (strings.HasPrefix(step, "lock") || strings.HasPrefix(step, "rename") || step == "journal done")
			if journalWritten != present {
				t.Errorf("%s: present %v, but the journal was written: %v", where, present, journalWritten)
			}
			if journalWritten && !strings.Contains(strings.Join(notes, "\n"), fmt.Sprintf("finished the interrupted release of version %d", want)) {
				t.Errorf("%s: the next command did not say it finished the release: %q", where, notes)
			}
			if !present {
				// A new release succeeds with no manual step.
				a, err := Open(dir, "p")
				if err != nil {
					t.Fatal(err)
				}
				if v := release(t, a, content, "2026-01-01"); v.Version != want {
					t.Fatalf("%s: the next release is version %d, want %d", where, v.Version, want)
				}
			}
			// Back to want-1 versions for the next kill point: drop the version
			// with git, as an operator trying again would not need to.
			if want == 1 {
				gitCmd(t, dir, "update-ref", "-d", "refs/policyc/p")
			} else {
				gitCmd(t, dir, "update-ref", "refs/policyc/p", "refs/policyc/p~1")
			}
			gitCmd(t, dir, "tag", "-d", fmt.Sprintf("policyc/p/v%d", want))
		}
		a, err := Open(dir, "p")
		if err != nil {
			t.Fatal(err)
		}
		release(t, a, fmt.Sprintf("round %d done", round), "2026-01-01")
	}
	for _, s := range []string{"blob", "tree", "commit", "tag", "journal",
		"lock refs/policyc/p", "lock refs/tags/policyc/p/v1", "rename refs/policyc/p", "rename refs/tags/policyc/p/v1", "journal done"} {
		if !kills[s] {
			t.Errorf("no kill at step %q (killed at %v)", s, kills)
		}
	}
	t.Logf("%d distinct steps killed at", len(kills))
}

// killPoints lists the steps of the next release (counted from 1), found by
// releasing in a copy of the repository: every one, or the first of each
// kind (one blob, one tree, ...) when few is set.
func killPoints(t *testing.T, dir string, few bool) []int {
	t.Helper()
	cp := t.TempDir()
	copyDir(t, dir, cp)
	a, err := Open(cp, "p")
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	a.st.fault = func(name string) error {
		steps = append(steps, name)
		return nil
	}
	release(t, a, "counting steps", "2026-01-01")
	var out []int
	seen := map[string]bool{}
	for i, name := range steps {
		kind := strings.TrimRight(name, "0123456789")
		if !few || !seen[kind] {
			out = append(out, i+1)
		}
		seen[kind] = true
	}
	return out
}

func exitStderr(err error) string {
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return string(exit.Stderr)
	}
	return ""
}

// TestAReleaseKilledAtRandomMomentsNeedsNoManualStep kills release
// processes at 30 random moments during their writing.
func TestAReleaseKilledAtRandomMomentsNeedsNoManualStep(t *testing.T) {
	if testing.Short() {
		t.Skip("kills 30 release processes; runs in the full suite")
	}
	dir := newRepo(t)
	const nfiles = 150
	// How long a release takes once the child is ready, measured.
	timed := func(content string, kill time.Duration) (time.Duration, bool) {
		cmd := releaseChild(t, dir, content, 0, nfiles)
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		r := bufio.NewReader(stdout)
		if line, err := r.ReadString('\n'); err != nil || line != "ready\n" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("child: %q %v", line, err)
		}
		start := time.Now()
		if kill > 0 {
			time.Sleep(kill)
			cmd.Process.Signal(syscall.SIGKILL)
		}
		r.ReadString('\n')
		err := cmd.Wait()
		return time.Since(start), err == nil
	}
	// A release's duration once the child is ready, the fastest of three
	// (the machine may be busy): kills are spread over it.
	var d time.Duration
	for i := range 3 {
		took, ok := timed(fmt.Sprintf("measured %d", i), 0)
		if !ok {
			t.Fatal("an uninterrupted release failed")
		}
		if d == 0 || took < d {
			d = took
		}
	}
	want := 4
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 0))
	t.Logf("a release takes %v once ready; seed %d", d, seed)
	killed := 0
	for i := 0; killed < 30; i++ {
		if i == 100 {
			t.Fatalf("only %d of 100 releases were interrupted", killed)
		}
		delay := time.Duration(rng.Int64N(int64(d))) + time.Microsecond
		_, finished := timed(fmt.Sprintf("kill %d", i), delay)
		where := fmt.Sprintf("kill %d after %v", i, delay)
		present, _ := checkWholeOrAbsent(t, dir, want, where)
		if !finished {
			killed++
		}
		if !present {
			a, err := Open(dir, "p")
			if err != nil {
				t.Fatal(err)
			}
			release(t, a, fmt.Sprintf("after kill %d", i), "2026-01-01")
		}
		want++
	}
	t.Logf("%d releases killed at random moments", killed)
}

// TestAStaleOrEmptyReleaseLockIsTakenOverAndALiveOneIsNot: a lock left by
// a process that no longer runs, or left empty by one killed while
// creating it, is taken over and said so; one whose owner runs is not.
func TestAStaleOrEmptyReleaseLockIsTakenOverAndALiveOneIsNot(t *testing.T) {
	dir := newRepo(t)
	lockPath := filepath.Join(dir, ".git", "policyc", "release-p.lock")
	os.MkdirAll(filepath.Dir(lockPath), 0o755)
	host, _ := os.Hostname()

	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	live := exec.Command("sleep", "30")
	if err := live.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { live.Process.Kill(); live.Wait() }()
	record := func(pid int, start uint64) string {
		b, _ := json.Marshal(owner{PID: pid, Start: start, Host: host, Boot: bootID(), Token: "x"})
		return string(b)
	}
	// A live PID whose start time is not the recorded one is a reused PID.
	for _, tt := range []struct {
		name, lock, note string
	}{
		{"empty", "", "took over the empty lock"},
		{"owner gone", record(dead.Process.Pid, 12345), "which no longer runs"},
		{"pid reused", record(live.Process.Pid, startTime(live.Process.Pid)+1), "which no longer runs"},
		{"garbage", "\x00\x00\x00", "took over the unreadable lock"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := os.WriteFile(lockPath, []byte(tt.lock), 0o644); err != nil {
				t.Fatal(err)
			}
			// And the record of a process killed while taking the lock.
			tmp := lockPath + ".tmp-1-x"
			os.WriteFile(tmp, []byte(record(1, 1)), 0o644)
			a, err := Open(dir, "p")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.Release(ReleaseOptions{Updated: date("2026-01-01"), Effective: date("2026-01-01"), Contents: files(tt.name)}); err != nil {
				t.Fatalf("release after a %s lock: %v", tt.name, err)
			}
			if notes := strings.Join(a.Recovered(), "\n"); !strings.Contains(notes, tt.note) {
				t.Errorf("release said %q, want %q", notes, tt.note)
			}
			for _, p := range []string{lockPath, tmp} {
				if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("%s is still there after the release: %v", p, err)
				}
			}
		})
	}
	t.Run("owner alive", func(t *testing.T) {
		os.WriteFile(lockPath, []byte(record(live.Process.Pid, startTime(live.Process.Pid))), 0o644)
		a, err := Open(dir, "p")
		if err != nil {
			t.Fatal(err)
		}
		_, err = a.Release(ReleaseOptions{Updated: date("2026-01-01"), Effective: date("2026-01-01"), Contents: files("live")})
		if !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), fmt.Sprintf("process %d on %s", live.Process.Pid, host)) {
			t.Errorf("a lock held by a running process: %v", err)
		}
	})
}

// TestAReleaseWhoseTagNameIsTakenIsRefusedBeforeAnythingMoves: a tag with
// the next version's name, or a ref in the way of its path, is found
// before any object is written or ref moved.
func TestAReleaseWhoseTagNameIsTakenIsRefusedBeforeAnythingMoves(t *testing.T) {
	for _, tt := range []struct{ name, tag string }{
		{"the tag itself", "policyc/p/v2"},
		{"a tag where its directory goes", "policyc/p"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := newRepo(t)
			a, err := Open(dir, "p")
			if err != nil {
				t.Fatal(err)
			}
			release(t, a, "one", "2026-01-01")
			if tt.tag == "policyc/p" {
				// git refuses to create it beside policyc/p/v1; write it as a
				// hand or another tool might, after removing v1's tag.
				gitCmd(t, dir, "tag", "-d", "policyc/p/v1")
				os.Remove(filepath.Join(dir, ".git", "refs", "tags", "policyc", "p"))
			}
			gitCmd(t, dir, "tag", tt.tag, "HEAD")
			refs := gitCmd(t, dir, "for-each-ref")
			objects := gitCmd(t, dir, "count-objects", "-v")
			_, err = a.Release(ReleaseOptions{Updated: date("2026-02-01"), Effective: date("2026-02-01"), Contents: files("two")})
			if !errors.Is(err, ErrTagTaken) || !strings.Contains(err.Error(), tt.tag) {
				t.Fatalf("got %v, want a refusal naming %s", err, tt.tag)
			}
			if got := gitCmd(t, dir, "for-each-ref"); got != refs {
				t.Errorf("refs changed:\n%s\nwas\n%s", got, refs)
			}
			if got := gitCmd(t, dir, "count-objects", "-v"); got != objects {
				t.Errorf("objects were written:\n%s\nwas\n%s", got, objects)
			}
		})
	}
}

// TestAnInterruptedReleaseThatCannotBeFinishedIsRolledBack: when, after a
// release died with its journal written, its tag name was taken or the
// archive ref moved, the next command rolls it back and says why; the
// archive verifies and the next release succeeds.
func TestAnInterruptedReleaseThatCannotBeFinishedIsRolledBack(t *testing.T) {
	for _, tt := range []struct {
		name   string
		meddle func(t *testing.T, dir string)
		want   string
	}{
		{"tag taken", func(t *testing.T, dir string) {
			gitCmd(t, dir, "tag", "policyc/p/v2", "HEAD")
		}, "rolled back the interrupted release of version 2: the tag policyc/p/v2 was created since"},
		{"archive ref moved", func(t *testing.T, dir string) {
			// Another clone's version 2 was fetched meanwhile.
			other := newRepo(t)
			a, _ := Open(other, "p")
			release(t, a, "one elsewhere", "2026-01-01")
			release(t, a, "two elsewhere", "2026-01-01")
			gitCmd(t, dir, "fetch", "-q", other, "+refs/policyc/p:refs/policyc/p", "+refs/tags/policyc/p/v1:refs/tags/policyc/p/v1", "+refs/tags/policyc/p/v2:refs/tags/policyc/p/v2")
		}, "rolled back the interrupted release of version 2: the archive ref was moved"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := newRepo(t)
			a, err := Open(dir, "p")
			if err != nil {
				t.Fatal(err)
			}
			release(t, a, "one", "2026-01-01")
			// Die right after the journal is written, before any ref is locked.
			var k int
			cp := t.TempDir()
			copyDir(t, dir, cp)
			ca, _ := Open(cp, "p")
			n := 0
			ca.st.fault = func(name string) error {
				n++
				if k == 0 && strings.HasPrefix(name, "lock ") {
					k = n
				}
				return nil
			}
			release(t, ca, "counting", "2026-01-01")
			if k == 0 {
				t.Fatal("no lock step")
			}
			if err := releaseChild(t, dir, "two", k, 0).Run(); err == nil {
				t.Fatal("the release was not killed")
			}
			tt.meddle(t, dir)
			b, err := Open(dir, "p")
			if err != nil {
				t.Fatal(err)
			}
			if notes := strings.Join(b.Recovered(), "\n"); !strings.Contains(notes, tt.want) {
				t.Errorf("the next command said %q, want %q", notes, tt.want)
			}
			if problems, err := b.Verify(); tt.name == "archive ref moved" && (err != nil || len(problems) > 0) {
				t.Errorf("verify: %v %v", problems, err)
			}
			if _, err := os.Stat(filepath.Join(dir, ".git", "policyc", "pending-p.json")); err == nil {
				t.Error("the journal is still there")
			}
			gitCmd(t, dir, "fsck", "--strict", "--no-dangling")
		})
	}
}
