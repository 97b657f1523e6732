package cli

import (
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// actionlint is the GitHub Actions checker, run as a Go module at a pinned
// version (it downloads through the module proxy: full suite only).
const actionlint = "github.com/rhysd/actionlint/cmd/actionlint@v1.7.12"

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func TestActionAndExampleWorkflowPassActionlint(t *testing.T) {
	if testing.Short() {
		t.Skip("runs actionlint through go run (a download): full suite only")
	}
	root := repoRoot(t)
	// actionlint checks an action's metadata where a workflow uses it
	// locally: a repository with the action at its root and a workflow
	// that gives it every input.
	repo := t.TempDir()
	gitIn(t, repo, "init", "-q")
	copyFile(t, filepath.Join(root, "action.yml"), filepath.Join(repo, "action.yml"))
	os.MkdirAll(filepath.Join(repo, ".github", "workflows"), 0o755)
	os.WriteFile(filepath.Join(repo, ".github", "workflows", "self.yml"), []byte(`name: self
on: pull_request
permissions:
  contents: read
jobs:
  policy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: ./
        id: policyc
        with:
          policy: policy
          token: ${{ github.token }}
          comment: "true"
          sarif: "false"
      - run: echo "$LEVEL"
        env:
          LEVEL: ${{ steps.policyc.outputs.level }}
`), 0o644)
	for _, c := range []struct{ dir, file string }{
		{repo, filepath.Join(repo, ".github", "workflows", "self.yml")},
		{root, filepath.Join(root, "docs", "examples", "policyc.yml")},
	} {
		cmd := exec.Command("go", "run", actionlint, "-no-color", c.file)
		cmd.Dir = c.dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("actionlint %s: %v\n%s", c.file, err, out)
		}
	}
	// The example in docs/ci.md is the example workflow file.
	doc, _ := os.ReadFile(filepath.Join(root, "docs", "ci.md"))
	example, _ := os.ReadFile(filepath.Join(root, "docs", "examples", "policyc.yml"))
	body := string(example)[strings.Index(string(example), "name: policyc"):]
	if !strings.Contains(string(doc), "```yaml\n"+body+"```") {
		t.Error("docs/ci.md does not show docs/examples/policyc.yml as it is (from its name: line)")
	}
}

func gitIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Dir(to), 0o755)
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// action is the part of action.yml the runner below reads.
type action struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

type actionStep struct {
	ID    string            `yaml:"id"`
	Name  string            `yaml:"name"`
	If    string            `yaml:"if"`
	Uses  string            `yaml:"uses"`
	Shell string            `yaml:"shell"`
	Run   string            `yaml:"run"`
	Env   map[string]string `yaml:"env"`
	With  map[string]string `yaml:"with"`
}

// actionRun runs action.yml's run: steps as GitHub's runner would on a
// pull request (bash -eo pipefail, the runner's files and variables), in
// the repository work; the uses: steps (setup-go, upload-sarif) are
// GitHub's and are skipped, their inputs checked by the caller.
type actionRun struct {
	t        *testing.T
	act      action
	work     string
	ctx      map[string]string // expression contexts: inputs.*, github.*, runner.*
	env      []string
	outputs  map[string]map[string]string // step id → outputs
	exits    map[string]int               // step name → exit code
	path     []string
	summary  string
	failed   bool
	skipped  []string
	comments *fakeGitHub
}

var expr = regexp.MustCompile(`^\$\{\{\s*(.*?)\s*\}\}$`)

func (r *actionRun) eval(s string) string {
	m := expr.FindStringSubmatch(s)
	if m == nil {
		if strings.Contains(s, "${{") {
			r.t.Fatalf("an expression inside a string: %q (pass it through env:)", s)
		}
		return s
	}
	if v, ok := r.ctx[m[1]]; ok {
		return r.eval(v)
	}
	if rest, ok := strings.CutPrefix(m[1], "steps."); ok {
		id, out, _ := strings.Cut(rest, ".outputs.")
		return r.outputs[id][out]
	}
	r.t.Fatalf("the runner here does not know %q", m[1])
	return ""
}

// cond evaluates the if: conditions action.yml uses.
func (r *actionRun) cond(s actionStep) bool {
	switch s.If {
	case "":
		return !r.failed
	case "${{ always() }}":
		return true
	case "${{ github.event_name == 'pull_request' || github.event_name == 'pull_request_target' }}":
		return !r.failed && (r.ctx["github.event_name"] == "pull_request" || r.ctx["github.event_name"] == "pull_request_target")
	case "${{ always() && inputs.sarif == 'true' && steps.lint.outputs.exit != '' }}":
		return r.eval("${{ inputs.sarif }}") == "true" && r.outputs["lint"]["exit"] != ""
	}
	r.t.Fatalf("the runner here does not know the condition %q", s.If)
	return false
}

func (r *actionRun) run() {
	t := r.t
	temp := t.TempDir()
	r.outputs, r.exits = map[string]map[string]string{}, map[string]int{}
	summary := filepath.Join(temp, "summary.md")
	for i, s := range r.act.Runs.Steps {
		if !r.cond(s) {
			r.skipped = append(r.skipped, s.Name)
			continue
		}
		if s.Uses != "" {
			continue
		}
		if s.Shell != "bash" {
			t.Fatalf("step %q: shell %q, want bash", s.Name, s.Shell)
		}
		script := filepath.Join(temp, "step.sh")
		os.WriteFile(script, []byte(s.Run), 0o644)
		out, pathFile := filepath.Join(temp, "output"), filepath.Join(temp, "path")
		os.WriteFile(out, nil, 0o644)
		os.WriteFile(pathFile, nil, 0o644)
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", script)
		cmd.Dir = r.work
		env := append(os.Environ(), r.env...)
		env = append(env, "RUNNER_TEMP="+filepath.Join(temp, "runner"), "GITHUB_OUTPUT="+out, "GITHUB_PATH="+pathFile,
			"GITHUB_STEP_SUMMARY="+summary, "GITHUB_WORKSPACE="+r.work, "PATH="+strings.Join(append(r.path, os.Getenv("PATH")), string(os.PathListSeparator)))
		for k, v := range s.Env {
			env = append(env, k+"="+r.eval(v))
		}
		cmd.Env = env
		os.MkdirAll(filepath.Join(temp, "runner"), 0o755)
		b, err := cmd.CombinedOutput()
		code := 0
		if err != nil {
			ee, ok := err.(*exec.ExitError)
			if !ok {
				t.Fatal(err)
			}
			code = ee.ExitCode()
			r.failed = true
		}
		r.exits[s.Name] = code
		t.Logf("step %d %q: exit %d\n%s", i, s.Name, code, b)
		if s.ID != "" {
			r.outputs[s.ID] = map[string]string{}
			data, _ := os.ReadFile(out)
			for _, l := range strings.Split(string(data), "\n") {
				if k, v, ok := strings.Cut(l, "="); ok {
					r.outputs[s.ID][k] = v
				}
			}
		}
		added, _ := os.ReadFile(pathFile)
		for _, p := range strings.Fields(string(added)) {
			r.path = append([]string{p}, r.path...)
		}
	}
	b, _ := os.ReadFile(summary)
	r.summary = string(b)
}

func TestActionCommentsOnAPullRequestAndFailsAShortNotice(t *testing.T) {
	if testing.Short() {
		t.Skip("builds policyc with go install, as the action does: full suite only")
	}
	root := repoRoot(t)
	b, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var act action
	if err := yaml.Unmarshal(b, &act); err != nil {
		t.Fatal(err)
	}
	if act.Runs.Using != "composite" {
		t.Fatalf("action.yml runs using %q, want composite", act.Runs.Using)
	}
	uses := map[string]actionStep{}
	for _, s := range act.Runs.Steps {
		if s.Uses != "" {
			uses[strings.Split(s.Uses, "@")[0]] = s
		}
	}
	if s, ok := uses["actions/setup-go"]; !ok || s.With["go-version-file"] != "${{ github.action_path }}/go.mod" {
		t.Errorf("action.yml does not set up Go from its own go.mod: %+v", s)
	}
	if s, ok := uses["github/codeql-action/upload-sarif"]; !ok || s.With["sarif_file"] != "${{ runner.temp }}/policyc.sarif" {
		t.Errorf("action.yml does not upload the lint SARIF: %+v", s)
	}

	// A repository whose pull request changes the contact address
	// (significant) and takes effect 9 days after its update.
	work := t.TempDir()
	copyTree(t, filepath.Join(root, "examples", "website"), filepath.Join(work, "policy"))
	gitIn(t, work, "init", "-q")
	gitIn(t, work, "add", ".")
	gitIn(t, work, "commit", "-qm", "the policy")
	base := gitIn(t, work, "rev-parse", "HEAD")
	yamlPath := filepath.Join(work, "policy", "policy.yaml")
	replaceIn(t, yamlPath, "privacy@pixelgrove.example", "dpo@pixelgrove.example")
	replaceIn(t, yamlPath, "updated: 2026-04-23\neffective: 2026-04-23", "updated: 2026-06-01\neffective: 2026-06-10")
	gitIn(t, work, "commit", "-qam", "new contact")

	gh := &fakeGitHub{token: "t0ken"}
	srv := httptest.NewServer(gh)
	defer srv.Close()
	event := filepath.Join(t.TempDir(), "event.json")
	os.WriteFile(event, []byte(`{"number": 7, "pull_request": {"number": 7, "base": {"sha": "`+base+`"}}}`), 0o644)
	newRun := func() *actionRun {
		r := &actionRun{t: t, act: act, work: work, comments: gh, ctx: map[string]string{
			"github.action_path": root, "github.token": "t0ken", "github.event_name": "pull_request",
			"github.event.pull_request.base.sha": base, "runner.temp": "unused",
		}, env: []string{"GITHUB_API_URL=" + srv.URL, "GITHUB_REPOSITORY=acme/policies", "GITHUB_EVENT_PATH=" + event, "GITHUB_EVENT_NAME=pull_request"}}
		for name, in := range act.Inputs {
			r.ctx["inputs."+name] = in.Default
		}
		return r
	}

	r := newRun()
	r.run()
	if r.exits["Validate"] != 0 || r.exits["Lint"] != 0 || r.outputs["lint"]["exit"] != "0" {
		t.Errorf("validate and lint: exits %v, lint outputs %v", r.exits, r.outputs["lint"])
	}
	if got := r.outputs["diff"]; got["level"] != "significant" || got["notice"] != "1" {
		t.Errorf("diff step outputs %v, want level significant, notice 1", got)
	}
	if r.exits["Fail on lint errors or a short notice"] != 1 {
		t.Errorf("the check passed a significant change with 9 days' notice: exits %v", r.exits)
	}
	if len(gh.comments) != 1 || !strings.HasPrefix(gh.comments[0].Body, "<!-- policyc:diff:policy -->\n## Policy change before → after: **significant**") ||
		!strings.Contains(gh.comments[0].Body, "Notice period not met") || !strings.Contains(gh.comments[0].Body, "<ins><dpo@pixelgrove.example></ins>") {
		t.Fatalf("comments after the first push: %+v", gh.comments)
	}
	if !strings.Contains(r.summary, "**significant**") {
		t.Errorf("the job summary lacks the verdict: %q", r.summary)
	}
	if s := gitIn(t, work, "status", "--porcelain"); s != "" {
		t.Errorf("the action changed the work tree:\n%s", s)
	}

	// The next push gives 30 days' notice: the same comment is updated
	// and the check passes.
	replaceIn(t, yamlPath, "effective: 2026-06-10", "effective: 2026-07-01")
	gitIn(t, work, "commit", "-qam", "30 days' notice")
	r = newRun()
	r.run()
	if r.failed || r.outputs["diff"]["notice"] != "0" {
		t.Errorf("with 30 days' notice the check fails: exits %v, diff outputs %v", r.exits, r.outputs["diff"])
	}
	if len(gh.comments) != 1 || strings.Contains(gh.comments[0].Body, "Notice period not met") || !strings.Contains(gh.comments[0].Body, "**significant**") {
		t.Errorf("comments after the second push: %+v", gh.comments)
	}

	// A policy that does not validate fails at once, and nothing is posted.
	replaceIn(t, yamlPath, "effective: 2026-07-01", "effective: 2026-13-01")
	r = newRun()
	r.run()
	if r.exits["Validate"] != 1 || !slices.Contains(r.skipped, "Compare with the pull request's base") || r.exits["Fail on lint errors or a short notice"] != 0 {
		t.Errorf("an invalid policy: exits %v, skipped %v", r.exits, r.skipped)
	}
}

func replaceIn(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s has no %q", path, old)
	}
	os.WriteFile(path, []byte(strings.Replace(string(b), old, new, 1)), 0o644)
}
