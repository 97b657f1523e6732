package cli

import (
	"strconv"

	"github.com/spf13/cobra"

	"github.com/policyc/policyc/policy"
)

// Shell completion (policyc completion bash|zsh|fish|powershell) of the
// values that come from the policy: its locales and its archived versions.
// A policy that cannot be read completes nothing; completion never fails.

// completeLocales completes --locale with the policy's locales.
func completeLocales(g *globals) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(_ *cobra.Command, a []string, _ string) ([]string, cobra.ShellCompDirective) {
		dir, err := g.policyDir(dirOf(a))
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		p, err := policy.Load(dir)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []string
		for _, l := range p.Locales {
			out = append(out, string(l))
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// dirOf keeps a positional directory argument for locating the policy and
// drops a version argument.
func dirOf(a []string) []string {
	if len(a) > 0 && isDir(a[len(a)-1]) {
		return a[len(a)-1:]
	}
	return nil
}

// completeVersions completes up to n version arguments with the archive's
// versions, newest first.
func completeVersions(g *globals, n int) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(_ *cobra.Command, a []string, _ string) ([]string, cobra.ShellCompDirective) {
		if len(a) >= n {
			return nil, cobra.ShellCompDirectiveDefault
		}
		dir, err := g.policyDir(nil)
		if err != nil {
			return nil, cobra.ShellCompDirectiveDefault
		}
		arch, _, err := openArchive(dir)
		if err != nil {
			return nil, cobra.ShellCompDirectiveDefault
		}
		vs, err := arch.Versions()
		if err != nil {
			return nil, cobra.ShellCompDirectiveDefault
		}
		var out []string
		for _, v := range vs {
			out = append(out, "v"+strconv.Itoa(v.Version))
		}
		return out, cobra.ShellCompDirectiveDefault
	}
}
