package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

func newGitHub(stdio Stdio) *cobra.Command {
	cmd := group("github", "Work with GitHub from CI: the pull-request comment")
	cmd.Annotations = map[string]string{readsPolicy: "no"}
	var file, marker string
	var pr int
	comment := &cobra.Command{
		Use:   "comment",
		Short: "Create or update policyc's one comment on a pull request",
		Long: `Comment posts the Markdown in --file (or standard input) as a comment on a
pull request, or updates the comment it posted before, found by a hidden
marker (<!-- policyc:MARKER -->), so that a pull request carries one policyc
comment however often its checks run.

It reads the GitHub Actions environment: GITHUB_TOKEN (required; a token
that may write pull-request comments), GITHUB_REPOSITORY (owner/name),
GITHUB_API_URL (default https://api.github.com) and the pull request's
number from --pr or from the event in GITHUB_EVENT_PATH. It prints the
comment's URL. Anything GitHub refuses exits 2 with GitHub's message.`,
		Example:     "  policyc diff \"$base\" policy --format md > diff.md\n  policyc github comment --file diff.md",
		Args:        args(cobra.NoArgs),
		Annotations: map[string]string{readsPolicy: "no"},
		RunE: func(cmd *cobra.Command, _ []string) error {
			// The marker stands inside an HTML comment.
			if marker == "" || strings.ContainsAny(marker, "<>\n") || strings.Contains(marker, "--") {
				return usageError{fmt.Errorf("--marker %q: it must be one line, without <, > or --", marker)}
			}
			var body []byte
			var err error
			if file == "" || file == "-" {
				body, err = io.ReadAll(stdio.In)
			} else {
				body, err = os.ReadFile(file)
			}
			if err != nil {
				return err
			}
			gh, err := gitHubFromEnv(os.Getenv)
			if err != nil {
				return err
			}
			if pr == 0 {
				if pr, err = pullRequestFromEvent(os.Getenv("GITHUB_EVENT_PATH")); err != nil {
					return err
				}
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), 2*time.Minute)
			defer cancel()
			c, created, err := gh.upsertComment(ctx, pr, "<!-- policyc:"+marker+" -->", string(body))
			if err != nil {
				return err
			}
			verb := "updated"
			if created {
				verb = "created"
			}
			fmt.Fprintf(stdio.Out, "%s comment %s\n", verb, c.HTMLURL)
			return nil
		},
	}
	comment.Flags().StringVar(&file, "file", "", "the comment's Markdown (default: standard input)")
	comment.Flags().IntVar(&pr, "pr", 0, "the pull request's `NUMBER` (default: the one in GITHUB_EVENT_PATH)")
	comment.Flags().StringVar(&marker, "marker", "diff", "the hidden `MARKER` that tells policyc's comment from others (one comment per marker)")
	cmd.AddCommand(comment)
	return cmd
}

// gitHub is the part of GitHub's REST API the comment needs.
type gitHub struct {
	api, token, owner, repo string
	client                  *http.Client
}

func gitHubFromEnv(getenv func(string) string) (*gitHub, error) {
	gh := &gitHub{api: strings.TrimSuffix(getenv("GITHUB_API_URL"), "/"), token: getenv("GITHUB_TOKEN"), client: http.DefaultClient}
	if gh.api == "" {
		gh.api = "https://api.github.com"
	}
	if gh.token == "" {
		return nil, errors.New("GITHUB_TOKEN is not set: give the step a token that may write pull-request comments (env: GITHUB_TOKEN: ${{ github.token }})")
	}
	repo := getenv("GITHUB_REPOSITORY")
	owner, name, ok := strings.Cut(repo, "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		return nil, fmt.Errorf("GITHUB_REPOSITORY is %q, want owner/name", repo)
	}
	gh.owner, gh.repo = owner, name
	return gh, nil
}

// pullRequestFromEvent reads the pull request's number from the event
// GitHub Actions wrote for a pull_request or pull_request_target run.
func pullRequestFromEvent(path string) (int, error) {
	if path == "" {
		return 0, usageError{errors.New("no pull request: give --pr NUMBER, or run in a pull_request workflow (GITHUB_EVENT_PATH)")}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	var ev struct {
		Number      int `json:"number"`
		PullRequest struct {
			Number int `json:"number"`
		} `json:"pull_request"`
	}
	if err := json.Unmarshal(b, &ev); err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	if n := max(ev.PullRequest.Number, ev.Number); n > 0 {
		return n, nil
	}
	return 0, usageError{fmt.Errorf("%s is not a pull request's event: give --pr NUMBER", path)}
}

type ghComment struct {
	ID      int64  `json:"id"`
	Body    string `json:"body"`
	HTMLURL string `json:"html_url"`
}

// upsertComment updates the pull request's comment whose body starts with
// marker, or creates one; created says which.
func (gh *gitHub) upsertComment(ctx context.Context, pr int, marker, body string) (c ghComment, created bool, err error) {
	body = marker + "\n" + body
	issue := fmt.Sprintf("/repos/%s/%s/issues/%d", url.PathEscape(gh.owner), url.PathEscape(gh.repo), pr)
	// GitHub lists comments oldest first, 100 a page at most; the first
	// with the marker is policyc's.
	for page := 1; ; page++ {
		var list []ghComment
		if err := gh.call(ctx, http.MethodGet, issue+"/comments?per_page=100&page="+strconv.Itoa(page), nil, &list); err != nil {
			return c, false, err
		}
		for _, old := range list {
			if strings.HasPrefix(old.Body, marker) {
				err := gh.call(ctx, http.MethodPatch, fmt.Sprintf("/repos/%s/%s/issues/comments/%d", url.PathEscape(gh.owner), url.PathEscape(gh.repo), old.ID), map[string]string{"body": body}, &c)
				return c, false, err
			}
		}
		if len(list) < 100 {
			break
		}
	}
	err = gh.call(ctx, http.MethodPost, issue+"/comments", map[string]string{"body": body}, &c)
	return c, err == nil, err
}

func (gh *gitHub) call(ctx context.Context, method, path string, in, out any) error {
	var rd io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, gh.api+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+gh.token)
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := gh.client.Do(req)
	if err != nil {
		return fmt.Errorf("GitHub API: %w", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return fmt.Errorf("GitHub API: %s %s: %w", method, path, err)
	}
	if resp.StatusCode/100 != 2 {
		var e struct {
			Message string `json:"message"`
		}
		json.Unmarshal(b, &e)
		if e.Message == "" {
			e.Message = strings.TrimSpace(string(b))
		}
		return fmt.Errorf("GitHub API: %s %s: %s: %s", method, strings.Split(path, "?")[0], resp.Status, e.Message)
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("GitHub API: %s %s: unexpected answer: %w", method, path, err)
	}
	return nil
}
