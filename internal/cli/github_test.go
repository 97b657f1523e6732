package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// fakeGitHub stands in for the part of GitHub's REST API that a pull
// request's comments use: list (paged), create and update.
type fakeGitHub struct {
	mu       sync.Mutex
	token    string
	comments []ghComment
	calls    []string
	refuse   int // answer every call with this status, when set
}

func (f *fakeGitHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, r.Method+" "+r.URL.Path)
	w.Header().Set("Content-Type", "application/json")
	if r.Header.Get("Authorization") != "Bearer "+f.token {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"message":"Bad credentials"}`)
		return
	}
	if f.refuse != 0 {
		w.WriteHeader(f.refuse)
		fmt.Fprint(w, `{"message":"Resource not accessible by integration"}`)
		return
	}
	var in struct{ Body string }
	if r.Body != nil {
		json.NewDecoder(r.Body).Decode(&in)
	}
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/repos/acme/policies/issues/7/comments":
		per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		if per <= 0 || per > 100 {
			per = 30 // GitHub's default
		}
		page = max(page, 1)
		lo, hi := min((page-1)*per, len(f.comments)), min(page*per, len(f.comments))
		json.NewEncoder(w).Encode(f.comments[lo:hi])
	case r.Method == http.MethodPost && r.URL.Path == "/repos/acme/policies/issues/7/comments":
		c := ghComment{ID: int64(1000 + len(f.comments)), Body: in.Body}
		c.HTMLURL = fmt.Sprintf("https://github.example/acme/policies/pull/7#issuecomment-%d", c.ID)
		f.comments = append(f.comments, c)
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(c)
	case r.Method == http.MethodPatch && strings.HasPrefix(r.URL.Path, "/repos/acme/policies/issues/comments/"):
		id, _ := strconv.ParseInt(strings.TrimPrefix(r.URL.Path, "/repos/acme/policies/issues/comments/"), 10, 64)
		for i := range f.comments {
			if f.comments[i].ID == id {
				f.comments[i].Body = in.Body
				json.NewEncoder(w).Encode(f.comments[i])
				return
			}
		}
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"message":"Not Found"}`)
	default:
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"message":"Not Found"}`)
	}
}

// gitHubAPICmd is the script command "githubapi TOKEN": it starts a
// stand-in for GitHub's API that accepts TOKEN and points GITHUB_API_URL
// and GITHUB_REPOSITORY (acme/policies) at it; the pull request is 7.
func gitHubAPICmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: githubapi TOKEN")
	}
	srv := httptest.NewServer(&fakeGitHub{token: args[0]})
	ts.Defer(srv.Close)
	ts.Setenv("GITHUB_API_URL", srv.URL)
	ts.Setenv("GITHUB_REPOSITORY", "acme/policies")
}

func withGitHubEnv(t *testing.T, api string) {
	t.Setenv("GITHUB_API_URL", api)
	t.Setenv("GITHUB_TOKEN", "t0ken")
	t.Setenv("GITHUB_REPOSITORY", "acme/policies")
	event := filepath.Join(t.TempDir(), "event.json")
	os.WriteFile(event, []byte(`{"action":"synchronize","number":7,"pull_request":{"number":7}}`), 0o644)
	t.Setenv("GITHUB_EVENT_PATH", event)
}

func TestGitHubCommentIsCreatedOnceThenUpdated(t *testing.T) {
	gh := &fakeGitHub{token: "t0ken"}
	// Others' comments come first, more than a page of them.
	for i := range 130 {
		gh.comments = append(gh.comments, ghComment{ID: int64(i + 1), Body: fmt.Sprintf("comment %d by a reviewer", i)})
	}
	srv := httptest.NewServer(gh)
	defer srv.Close()
	withGitHubEnv(t, srv.URL)
	dir := t.TempDir()
	first, second := filepath.Join(dir, "one.md"), filepath.Join(dir, "two.md")
	os.WriteFile(first, []byte("## Policy change: **significant**\n"), 0o644)
	os.WriteFile(second, []byte("## Policy change: **editorial**\n"), 0o644)

	code, out, errb := run("github", "comment", "--file", first)
	if code != ExitOK || !strings.HasPrefix(out, "created comment https://github.example/acme/policies/pull/7#issuecomment-") || errb != "" {
		t.Fatalf("first run: exit %d, stdout %q, stderr %q", code, out, errb)
	}
	code, out, errb = run("github", "comment", "--file", second)
	if code != ExitOK || !strings.HasPrefix(out, "updated comment ") || errb != "" {
		t.Fatalf("second run: exit %d, stdout %q, stderr %q", code, out, errb)
	}
	ours := 0
	for _, c := range gh.comments {
		if strings.HasPrefix(c.Body, "<!-- policyc:diff -->") {
			ours++
			if want := "<!-- policyc:diff -->\n## Policy change: **editorial**\n"; c.Body != want {
				t.Errorf("the comment reads %q, want %q", c.Body, want)
			}
		}
	}
	if ours != 1 || len(gh.comments) != 131 {
		t.Errorf("%d policyc comments among %d, want 1 among 131", ours, len(gh.comments))
	}

	// Another marker is another comment; --pr overrides the event.
	code, out, _ = run("github", "comment", "--file", second, "--marker", "diff:kids", "--pr", "7")
	if code != ExitOK || !strings.HasPrefix(out, "created comment ") || len(gh.comments) != 132 {
		t.Errorf("a second marker: exit %d, %q, %d comments", code, out, len(gh.comments))
	}
}

func TestGitHubCommentFailuresExitTwoWithGitHubsMessage(t *testing.T) {
	gh := &fakeGitHub{token: "t0ken", refuse: http.StatusForbidden}
	srv := httptest.NewServer(gh)
	defer srv.Close()
	withGitHubEnv(t, srv.URL)
	body := filepath.Join(t.TempDir(), "c.md")
	os.WriteFile(body, []byte("x\n"), 0o644)

	code, out, errb := run("github", "comment", "--file", body)
	if code != ExitFailed || out != "" || !strings.Contains(errb, "GitHub API: GET /repos/acme/policies/issues/7/comments: 403 Forbidden: Resource not accessible by integration") {
		t.Errorf("refused: exit %d, stdout %q, stderr %q", code, out, errb)
	}
	gh.refuse = 0
	t.Setenv("GITHUB_TOKEN", "wrong")
	if code, _, errb := run("github", "comment", "--file", body); code != ExitFailed || !strings.Contains(errb, "401 Unauthorized: Bad credentials") {
		t.Errorf("bad token: exit %d, %q", code, errb)
	}
	t.Setenv("GITHUB_TOKEN", "")
	if code, _, errb := run("github", "comment", "--file", body); code != ExitFailed || !strings.Contains(errb, "GITHUB_TOKEN is not set") {
		t.Errorf("no token: exit %d, %q", code, errb)
	}
	t.Setenv("GITHUB_TOKEN", "t0ken")
	t.Setenv("GITHUB_EVENT_PATH", "")
	if code, _, errb := run("github", "comment", "--file", body); code != ExitFailed || !strings.Contains(errb, "no pull request: give --pr NUMBER") {
		t.Errorf("no pull request: exit %d, %q", code, errb)
	}
	if code, _, errb := run("github", "comment", "--file", body, "--pr", "7", "--marker", "a-->b"); code != ExitFailed || !strings.Contains(errb, "without <, > or --") {
		t.Errorf("a marker that would end the HTML comment: exit %d, %q", code, errb)
	}
	if len(gh.comments) != 0 {
		t.Errorf("a failed run wrote %d comments", len(gh.comments))
	}
}
