package render_test

import (
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/policyc/policyc/internal/checkers"
	"github.com/policyc/policyc/render"
)

// seedText is a seed policy's text (shared/seeds beside the repository, or
// beside the directory of its worktrees): prefix "000" is the first seed,
// "003" the second.
func seedText(t testing.TB, prefix string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for ; ; dir = filepath.Dir(dir) {
		m, _ := filepath.Glob(filepath.Join(dir, "shared", "seeds", prefix+"_*.txt"))
		if len(m) == 1 {
			b, err := os.ReadFile(m[0])
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
		if filepath.Dir(dir) == dir {
			t.Fatalf("seed %s not found in shared/seeds above the repository", prefix)
		}
	}
}

// editWords changes about one word in every n of s, reproducibly (a
// Park-Miller generator picks them): a third are replaced, a third
// deleted, and before a third a word is inserted. Spacing is kept.
func editWords(s string, n int, seed uint64) string {
	vocab := []string{"data", "service", "users", "partners", "information", "device", "consent", "law"}
	x := seed%2147483646 + 1
	rnd := func() uint64 { x = x * 16807 % 2147483647; return x }
	var b strings.Builder
	for len(s) > 0 {
		i := strings.IndexAny(s, " \n")
		if i < 0 {
			i = len(s)
		}
		w := s[:i]
		s = s[i:]
		if w != "" && rnd()%uint64(n) == 0 {
			switch rnd() % 3 {
			case 0:
				w = vocab[rnd()%8]
			case 1:
				w = ""
				if strings.HasPrefix(s, " ") {
					s = s[1:]
				}
			default:
				w = vocab[rnd()%8] + " " + w
			}
		}
		b.WriteString(w)
		if len(s) > 0 {
			b.WriteByte(s[0])
			s = s[1:]
		}
	}
	return b.String()
}

func benchWordDiff(b *testing.B, old, new string) {
	b.SetBytes(int64(len(old) + len(new)))
	b.ReportAllocs()
	for b.Loop() {
		render.WordDiff(old, new)
	}
}

// BenchmarkWordDiffSeedEdited is the first seed as one text with about
// one word in eight changed.
func BenchmarkWordDiffSeedEdited(b *testing.B) {
	s := seedText(b, "000")
	benchWordDiff(b, s, editWords(s, 8, 1))
}

// BenchmarkWordDiffSeedFourfold is the same at four times the text: the
// time should grow about fourfold, not sixteenfold.
func BenchmarkWordDiffSeedFourfold(b *testing.B) {
	s := strings.Repeat(seedText(b, "000")+"\n", 4)
	benchWordDiff(b, s, editWords(s, 8, 1))
}

// BenchmarkWordDiffRewrite is a full rewrite: the first seed's text
// against the second's.
func BenchmarkWordDiffRewrite(b *testing.B) {
	benchWordDiff(b, seedText(b, "000"), seedText(b, "003"))
}

// marked counts the words of a text that a redline marks: the
// space-separated words of the old text with a deleted character, and of
// the new text with an inserted one.
func marked(segs []render.Segment) int {
	n := 0
	for _, side := range []render.Op{render.Delete, render.Insert} {
		inWord, hit := false, false
		for _, s := range segs {
			if s.Op != render.Equal && s.Op != side {
				continue
			}
			for _, r := range s.Text {
				if r == ' ' || r == '\n' || r == '\t' {
					if inWord && hit {
						n++
					}
					inWord, hit = false, false
					continue
				}
				inWord = true
				hit = hit || s.Op == side
			}
		}
		if inWord && hit {
			n++
		}
	}
	return n
}

// gitMarked counts the words git's word diff marks between two texts: the
// words of its deleted and inserted runs.
func gitMarked(t *testing.T, git, a, b string) int {
	t.Helper()
	dir := t.TempDir()
	fa, fb := filepath.Join(dir, "a.txt"), filepath.Join(dir, "b.txt")
	if err := os.WriteFile(fa, []byte(a), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(fb, []byte(b), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(git, "diff", "--no-index", "--no-color", "--word-diff=porcelain", fa, fb).Output()
	if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() != 1) {
		t.Fatalf("git diff: %v", err)
	}
	n := 0
	_, body, _ := strings.Cut(string(out), "\n@@")
	for _, l := range strings.Split(body, "\n") {
		if strings.HasPrefix(l, "-") || strings.HasPrefix(l, "+") {
			n += len(strings.Fields(l[1:]))
		}
	}
	return n
}

// longPairs are the long texts the redline is measured on: the first seed
// as one text with scripted edits, four times over, the second seed (one
// line of 62 KB) edited, and a full rewrite.
func longPairs(t testing.TB) map[string][2]string {
	s0, s3 := seedText(t, "000"), seedText(t, "003")
	four := strings.Repeat(s0+"\n", 4)
	return map[string][2]string{
		"seed, 1 word in 8 changed":  {s0, editWords(s0, 8, 1)},
		"seed, 1 word in 3 changed":  {s0, editWords(s0, 3, 2)},
		"seed, 1 word in 40 changed": {s0, editWords(s0, 40, 3)},
		"seed ×4, 1 word in 8":       {four, editWords(four, 8, 4)},
		"one-line seed, 1 word in 8": {s3, editWords(s3, 8, 5)},
		"full rewrite":               {s0, s3},
	}
}

// TestRedlineMarksNoMoreThanGitOnLongTexts compares the words the redline
// marks with the words git's word diff marks on the same pairs: never more
// than 1.2 times as many. Both texts rebuild from the redline.
func TestRedlineMarksNoMoreThanGitOnLongTexts(t *testing.T) {
	if testing.Short() {
		t.Skip("runs git on long texts; in the full suite")
	}
	git := checkers.Tool(t, "git", "apt-get install -y git")
	pairs := longPairs(t)
	for _, name := range slices.Sorted(maps.Keys(pairs)) {
		p := pairs[name]
		segs := render.WordDiff(p[0], p[1])
		if join(segs, render.Delete) != p[0] || join(segs, render.Insert) != p[1] {
			t.Errorf("%s: the redline does not rebuild both texts", name)
		}
		ours, theirs := marked(segs), gitMarked(t, git, p[0], p[1])
		t.Logf("%s: %d words marked, git %d (%.2f×)", name, ours, theirs, float64(ours)/float64(theirs))
		if float64(ours) > 1.2*float64(theirs) {
			t.Errorf("%s: %d words marked, more than 1.2 × git's %d", name, ours, theirs)
		}
	}
}

// runOn is a text of n words and no punctuation, drawn from a small
// vocabulary by a seeded generator.
func runOn(n int, seed uint64) string {
	x := seed%2147483646 + 1
	ws := make([]string, n)
	for i := range ws {
		x = x * 16807 % 2147483647
		ws[i] = "w" + strconv.Itoa(int(x%500))
	}
	return strings.Join(ws, " ")
}

// TestWordDiffRebuildsRunOnTexts checks the rebuild property on two
// unrelated texts of 20,000 words on one line with no punctuation, which
// cannot be cut into sentences or clauses: compared by what they share at
// the start and end, not by a word diff of their whole length.
func TestWordDiffRebuildsRunOnTexts(t *testing.T) {
	a, b := runOn(20000, 1), runOn(20000, 2)
	b = a[:5000] + b + a[len(a)-5000:]
	segs := render.WordDiff(a, b)
	if join(segs, render.Delete) != a || join(segs, render.Insert) != b {
		t.Fatal("the redline does not rebuild both texts")
	}
	if segs[0].Op != render.Equal || len(segs[0].Text) < 4900 {
		t.Errorf("the shared start is not kept: %.80q", segs[0].Text)
	}
}

// BenchmarkWordDiffRunOn is two unrelated texts of 20,000 words on one
// line with no punctuation.
func BenchmarkWordDiffRunOn(b *testing.B) {
	benchWordDiff(b, runOn(20000, 1), runOn(20000, 2))
}
