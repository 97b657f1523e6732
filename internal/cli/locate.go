package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"github.com/policyc/policyc/policy"
)

// ProjectFile lists the policies of a repository that holds several.
const ProjectFile = "policyc.yaml"

const policyDirHelp = `Every command finds the policy it works on the same way, as git finds .git:

  DIR             the commands that take a directory argument (validate,
                  lint, render, release, log, verify, site build, site serve,
                  show VERSION DIR) use it as the policy directory
  -C DIR          the policy directory, or a directory inside it: policyc
                  looks for policy.yaml in DIR and then in each parent,
                  up to the repository root
  --policy ID     a policy listed in the repository's policyc.yaml
  (none)          as -C with the current directory

Give the directory once: DIR and -C together, or either with --policy, is
a usage error.

A repository holding several policies lists them, id to directory
(relative to the file), in policyc.yaml at its root:

  policies:
    app: policies/app
    kids: policies/kids

Inside one of those directories the nearest policy.yaml wins as before.
Elsewhere in the repository, --policy ID names one; without it validate,
lint, render and site build run over every policy listed (render and site
build write each into OUT/ID/), and the other commands ask for --policy.`

// target is a policy directory a command works on.
type target struct {
	dir string // as the user reaches it from the working directory
	id  string // its key in policyc.yaml, "" for a lone policy
}

// policyDir is the single policy a command works on.
func (g *globals) policyDir(a []string) (string, error) {
	ts, err := g.targets(a, false)
	if err != nil {
		return "", err
	}
	return ts[0].dir, nil
}

// targets resolves the policies a command works on; many allows every
// policy of policyc.yaml when none is named (a policyc.yaml that lists one
// names it).
func (g *globals) targets(a []string, many bool) ([]target, error) {
	positional := ""
	if len(a) > 0 {
		positional = a[0]
	}
	switch {
	case positional != "" && g.dir != "":
		return nil, usageError{fmt.Errorf("the policy directory is given twice (%s and -C %s): give one", positional, g.dir)}
	case positional != "" && g.policy != "":
		return nil, usageError{fmt.Errorf("give either a policy directory (%s) or --policy %s, not both", positional, g.policy)}
	case positional != "":
		return []target{{dir: positional}}, nil
	}
	start := g.dir
	if start == "" {
		start = "."
	}
	if g.policy == "" {
		if _, err := os.Stat(filepath.Join(start, policy.MainFile)); err == nil {
			return []target{{dir: start}}, nil
		}
	}
	if st, err := os.Stat(start); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("%w: %s is not a directory", policy.ErrNotPolicyDir, start)
	}
	found, project, err := walkUp(start, g.policy == "")
	if err != nil {
		return nil, err
	}
	if found != "" {
		return []target{{dir: found}}, nil
	}
	if project == "" {
		if g.policy != "" {
			return nil, usageError{fmt.Errorf("--policy %s: no %s in %s or above it, up to the repository root", g.policy, ProjectFile, start)}
		}
		return nil, fmt.Errorf("%w: no %s in %s or above it, up to the repository root (create one with: policyc init DIR)", policy.ErrNotPolicyDir, policy.MainFile, start)
	}
	all, err := readProject(project)
	if err != nil {
		return nil, err
	}
	if g.policy != "" {
		for _, t := range all {
			if t.id == g.policy {
				return []target{t}, nil
			}
		}
		return nil, usageError{fmt.Errorf("--policy %s: %s lists no such policy (it lists %s)", g.policy, project, strings.Join(ids(all), ", "))}
	}
	if !many && len(all) > 1 {
		return nil, usageError{fmt.Errorf("%s lists several policies (%s): name one with --policy ID", project, strings.Join(ids(all), ", "))}
	}
	return all, nil
}

func ids(ts []target) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.id)
	}
	return out
}

// walkUp looks for policy.yaml (when wantPolicy) in start and each of its
// parents, and for policyc.yaml, stopping at the root of the repository
// that holds start (the first directory with .git), or at the file
// system's root outside a repository. Paths are returned as the user
// reaches them from the working directory.
func walkUp(start string, wantPolicy bool) (policyDir, project string, err error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", "", err
	}
	abs, err := filepath.Abs(start)
	if err != nil {
		return "", "", err
	}
	for d := abs; ; {
		if wantPolicy {
			if isFile(filepath.Join(d, policy.MainFile)) {
				return relPath(wd, d), "", nil
			}
		}
		if project == "" && isFile(filepath.Join(d, ProjectFile)) {
			project = relPath(wd, filepath.Join(d, ProjectFile))
		}
		if exists(filepath.Join(d, ".git")) {
			return "", project, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", project, nil
		}
		d = parent
	}
}

func relPath(wd, path string) string {
	if r, err := filepath.Rel(wd, path); err == nil {
		return r
	}
	return path
}

func isFile(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// readProject reads policyc.yaml: a map "policies" of id to directory,
// relative to the file, inside the repository.
func readProject(path string) ([]target, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	at := func(n *yaml.Node, format string, a ...any) error {
		return fmt.Errorf("%s:%d:%d: %s", path, n.Line, n.Column, fmt.Sprintf(format, a...))
	}
	if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s:1:1: want a mapping with the key policies", path)
	}
	top := doc.Content[0]
	var list *yaml.Node
	for i := 0; i+1 < len(top.Content); i += 2 {
		k := top.Content[i]
		if k.Value != "policies" {
			return nil, at(k, "unknown key %q (want policies)", k.Value)
		}
		list = top.Content[i+1]
	}
	if list == nil || list.Kind != yaml.MappingNode || len(list.Content) == 0 {
		n := top
		if list != nil {
			n = list
		}
		return nil, at(n, "policies must map each policy id to its directory")
	}
	base := filepath.Dir(path)
	var out []target
	for i := 0; i+1 < len(list.Content); i += 2 {
		k, v := list.Content[i], list.Content[i+1]
		if k.Kind != yaml.ScalarNode || v.Kind != yaml.ScalarNode || v.Value == "" {
			return nil, at(k, "policies must map each policy id to its directory")
		}
		if slices.Contains(ids(out), k.Value) {
			return nil, at(k, "policy %q is listed twice", k.Value)
		}
		rel := filepath.FromSlash(v.Value)
		if filepath.IsAbs(rel) || !filepath.IsLocal(rel) {
			return nil, at(v, "%q leaves the repository: give a directory relative to %s", v.Value, ProjectFile)
		}
		out = append(out, target{dir: filepath.Join(base, rel), id: k.Value})
	}
	return out, nil
}

// completePolicyIDs completes --policy with the ids of policyc.yaml.
func completePolicyIDs(g *globals) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		start := g.dir
		if start == "" {
			start = "."
		}
		_, project, err := walkUp(start, false)
		if err != nil || project == "" {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		ts, err := readProject(project)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return ids(ts), cobra.ShellCompDirectiveNoFileComp
	}
}
