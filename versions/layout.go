package versions

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit"
)

// layout is where a repository's parts are, found as git finds them
// (gitrepository-layout(5), git(1) ENVIRONMENT).
type layout struct {
	// gitDir is the git directory of the work tree: .git, or
	// .git/worktrees/NAME for a linked work tree.
	gitDir string
	// commonDir holds what all work trees share: objects, refs, config.
	// It is gitDir except for a linked work tree.
	commonDir string
	workDir   string
}

// discover finds the repository holding dir. GIT_DIR, GIT_WORK_TREE and
// GIT_COMMON_DIR are honoured as git honours them; otherwise dir and its
// parents are searched for .git (a directory, or a file naming one).
func discover(dir string) (layout, error) {
	var l layout
	abs, err := filepath.Abs(dir)
	if err != nil {
		return l, err
	}
	if env := os.Getenv("GIT_DIR"); env != "" {
		if l.gitDir, err = filepath.Abs(env); err != nil {
			return l, err
		}
		if !isGitDir(l.gitDir) {
			return l, fmt.Errorf("%w: GIT_DIR=%s is not a git directory", ErrNoRepository, env)
		}
		switch wt := os.Getenv("GIT_WORK_TREE"); {
		case wt != "":
			if l.workDir, err = filepath.Abs(wt); err != nil {
				return l, err
			}
		default:
			// git(1): with GIT_DIR and no work tree named, core.worktree,
			// else the current directory, is the top of the work tree
			// (unless the repository is bare).
			cfg := readConfig(filepath.Join(commonDirOf(l.gitDir), "config"))
			if w := cfg["core.worktree"]; w != "" {
				if !filepath.IsAbs(w) {
					w = filepath.Join(l.gitDir, w)
				}
				l.workDir = w
			} else if cfg["core.bare"] == "true" {
				return l, bareError(l.gitDir)
			} else if l.workDir, err = os.Getwd(); err != nil {
				return l, err
			}
		}
	} else {
		for p := abs; ; {
			dot := filepath.Join(p, ".git")
			if st, err := os.Stat(dot); err == nil {
				if st.IsDir() && isGitDir(dot) {
					l.gitDir, l.workDir = dot, p
					break
				}
				if !st.IsDir() {
					// A linked work tree or a submodule: .git names the directory.
					b, err := os.ReadFile(dot)
					rest, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "gitdir: ")
					if err != nil || !ok {
						return l, fmt.Errorf("%s is neither a git directory nor a \"gitdir: PATH\" file", dot)
					}
					if !filepath.IsAbs(rest) {
						rest = filepath.Join(p, rest)
					}
					if !isGitDir(rest) {
						return l, fmt.Errorf("%s names %s, which is not a git directory (was the work tree moved or pruned? see git worktree repair)", dot, rest)
					}
					l.gitDir, l.workDir = rest, p
					break
				}
			}
			if isGitDir(p) {
				// A bare repository, or the inside of a git directory.
				return l, bareError(p)
			}
			parent := filepath.Dir(p)
			if parent == p {
				return l, fmt.Errorf("%w: %s (start one with: git init)", ErrNoRepository, dir)
			}
			p = parent
		}
	}
	l.commonDir = commonDirOf(l.gitDir)
	if env := os.Getenv("GIT_COMMON_DIR"); env != "" {
		if l.commonDir, err = filepath.Abs(env); err != nil {
			return l, err
		}
	}
	return l, nil
}

func bareError(dir string) error {
	return fmt.Errorf("%s is a bare repository or a git directory: policyc archives a policy from a work tree; run it in a checkout (git clone, or git worktree add)", dir)
}

// isGitDir is git's test for a git directory: a HEAD file, and objects/
// and refs/ (here or in the common directory).
func isGitDir(dir string) bool {
	if st, err := os.Stat(filepath.Join(dir, "HEAD")); err != nil || st.IsDir() {
		return false
	}
	common := commonDirOf(dir)
	for _, sub := range []string{"objects", "refs"} {
		if st, err := os.Stat(filepath.Join(common, sub)); err != nil || !st.IsDir() {
			return false
		}
	}
	return true
}

// commonDirOf is the directory gitDir's commondir file names, or gitDir.
func commonDirOf(gitDir string) string {
	b, err := os.ReadFile(filepath.Join(gitDir, "commondir"))
	if err != nil {
		return gitDir
	}
	c := strings.TrimSpace(string(b))
	if c == "" {
		return gitDir
	}
	if !filepath.IsAbs(c) {
		c = filepath.Join(gitDir, c)
	}
	return filepath.Clean(c)
}

// readConfig reads the few settings policyc looks at from a git config
// file, as "section.key" (lowercased) to value. Subsections are kept
// ("section.sub.key"); values are unquoted only when simple.
func readConfig(path string) map[string]string {
	out := map[string]string{}
	b, err := os.ReadFile(path)
	if err != nil {
		return out
	}
	section := ""
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if line[0] == '[' {
			end := strings.IndexByte(line, ']')
			if end < 0 {
				continue
			}
			name := line[1:end]
			if sec, sub, ok := strings.Cut(name, " "); ok {
				section = strings.ToLower(sec) + "." + strings.Trim(strings.TrimSpace(sub), `"`)
			} else {
				section = strings.ToLower(name)
			}
			continue
		}
		key, val, ok := strings.Cut(line, "=")
		if !ok {
			val = "true" // a bare key is a true boolean
		}
		out[section+"."+strings.ToLower(strings.TrimSpace(key))] = strings.Trim(strings.TrimSpace(val), `"`)
	}
	return out
}

// checkSupported refuses, before anything is written, repositories whose
// layout or configuration policyc's git library (go-git) would misread.
func checkSupported(l layout) error {
	cfg := readConfig(filepath.Join(l.commonDir, "config"))
	if f := strings.ToLower(cfg["extensions.objectformat"]); f != "" && f != "sha1" {
		return fmt.Errorf("the repository names its objects with %s (extensions.objectFormat), which policyc's git library (go-git) does not support; archive the policy in a SHA-1 repository", f)
	}
	for _, ext := range []string{"worktreeconfig", "refstorage", "partialclone"} {
		if v, ok := cfg["extensions."+ext]; ok && v != "false" {
			return fmt.Errorf("the repository uses the git extension %q, which policyc's git library (go-git) does not support; archive the policy in a repository without it", ext)
		}
	}
	if _, err := os.Stat(filepath.Join(l.gitDir, "info", "sparse-checkout")); err == nil {
		return fmt.Errorf("the repository uses a sparse checkout, which policyc's git library (go-git) does not support; archive the policy in a full checkout")
	}
	if _, err := os.Stat(filepath.Join(l.commonDir, "info", "sparse-checkout")); err == nil && cfg["core.sparsecheckout"] == "true" {
		return fmt.Errorf("the repository uses a sparse checkout, which policyc's git library (go-git) does not support; archive the policy in a full checkout")
	}
	return nil
}

// openRepo opens the repository a layout describes with go-git, its shared
// parts read from the common directory.
func openRepo(l layout) (*git.Repository, error) {
	var common billy.Filesystem
	if l.commonDir != l.gitDir {
		common = osfs.New(l.commonDir)
	}
	s := filesystem.NewStorage(dotgit.NewRepositoryFilesystem(osfs.New(l.gitDir), common), cache.NewObjectLRUDefault())
	repo, err := git.Open(s, osfs.New(l.workDir))
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return nil, fmt.Errorf("%w: %s has no HEAD", ErrNoRepository, l.gitDir)
	}
	return repo, err
}
