package cli

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/site"
)

func newSite(stdio Stdio, g *globals) *cobra.Command {
	cmd := group("site", "Build the static site of the policy and its archive")
	var out, base, format, asOf string
	var draft, noPDF bool
	var without []string
	build := &cobra.Command{
		Use:   "build [DIR]",
		Short: "Write the static site: current policy, archive, comparisons, feeds",
		Long: `Build writes a self-contained static site from the archive of the policy in
DIR: the current policy in each locale, a page per archived version with
its files exactly as published, comparisons of each version with the one
before it and with the current one (compare/vN-current.html), a page to
pick any two versions, an Atom feed per locale, versions.json,
the banner of the latest significant change, a 404 page, and with
--base-url a sitemap and absolute feed links. Links are relative, so the
site works under any sub-path and from file://.

The landing page and the documents at the root are the policy in force:
the newest version whose effective date is on or before --as-of. A
version released to take effect after it is announced there as upcoming,
with its date and links to it and to what it changes. The build never
reads the clock: --as-of defaults to the newest version's updated date,
so a site published on a release's day announces it until it takes
effect; build again (e.g. daily, with --as-of set to that day) to move
the policy in force forward. versions.json names both the newest version
(current) and the one in force (in_force). Dates on the pages and in the
feeds' text are written as each language writes them ("2 December 2026",
"2026年12月2日"); the feeds' timestamps and <time datetime> stay ISO.

Builds are incremental: a page whose inputs (the archived versions it shows,
this build of policyc and its templates) are those of the page already in
DIR, as the previous build recorded in .git/policyc/site/, is neither made
nor written again, so it keeps its bytes and modification time; a page
edited or removed by hand since is made again. New files are written beside
their places and renamed in only when the whole build has succeeded, so a
failed build leaves the previous site as it was; files a previous build
wrote that are no longer part of the site are removed, and so are the
temporary files of a build that was killed. Nothing outside the output
directory is written or removed, and no symbolic link inside it is
followed.

In a repository whose policyc.yaml lists several policies, each site is
built into DIR/<id>/.

--format json prints {"format": "policyc.site/v1", "sites": [{"dir", "id",
"output", "files", "written", "unchanged", "removed"}]}
(docs/json/site.schema.json).`,
		Args: args(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			if noPDF {
				without = append(without, "pdf")
			}
			var day policy.Date
			if asOf != "" {
				var err error
				if day, err = policy.ParseDate(asOf); err != nil {
					return usageError{fmt.Errorf("--as-of: %w", err)}
				}
			}
			ts, err := g.targets(a, true)
			if err != nil {
				return err
			}
			res := siteJSON{Format: "policyc.site/v1", Sites: []siteBuiltJSON{}}
			for _, t := range ts {
				o := out
				if len(ts) > 1 {
					o = filepath.Join(out, t.id)
				}
				rep, err := site.Build(site.Options{Dir: t.dir, Out: o, BaseURL: base, Draft: draft, Without: without, AsOf: day})
				if errors.Is(err, site.ErrFormat) {
					return usageError{err}
				}
				if err != nil {
					if len(ts) > 1 {
						return fmt.Errorf("%s: %w", t.id, err)
					}
					return err
				}
				id := t.id
				if pid, err := policy.ReadID(t.dir); err == nil {
					id = string(pid)
				}
				res.Sites = append(res.Sites, siteBuiltJSON{Dir: filepath.ToSlash(t.dir), ID: id, Output: filepath.ToSlash(o),
					Files: rep.Files, Written: rep.Written, Unchanged: rep.Unchanged, Removed: rep.Removed})
				if format == "text" {
					fmt.Fprintf(stdio.Out, "%s: %d files, %d written, %d unchanged, %d removed\n", o, rep.Files, rep.Written, rep.Unchanged, rep.Removed)
				}
			}
			if format == "json" {
				return writeJSON(stdio.Out, res)
			}
			return nil
		},
	}
	build.Flags().StringVarP(&out, "output", "o", "public", "output `DIR`")
	build.Flags().StringVar(&base, "base-url", "", "the `URL` the site is served from (absolute feed links, sitemap)")
	build.Flags().BoolVar(&draft, "draft", false, "also publish the unreleased working copy under draft/, marked as a draft")
	build.Flags().StringSliceVar(&without, "without", nil, "leave `FORMATS` of the archived documents out of the site (any of md, pdf, docx, json, comma-separated; the archive keeps them)")
	build.Flags().BoolVar(&noPDF, "no-pdf", false, "the same as --without pdf")
	build.Flags().StringVar(&asOf, "as-of", "", "the `DATE` (YYYY-MM-DD) the site shows the policy in force on (default: the newest version's updated date; the build never reads the clock)")
	formatFlag(build, &format, "text", "json")
	build.RegisterFlagCompletionFunc("without", cobra.FixedCompletions([]string{"md", "pdf", "docx", "json"}, cobra.ShellCompDirectiveNoFileComp))
	cmd.AddCommand(build)
	var addr string
	serve := &cobra.Command{
		Use:   "serve [DIR]",
		Short: "Preview the site on localhost, rebuilding on every change",
		Long: `Serve builds the site with the draft (the working copy against the latest
release) into a temporary directory and serves it on localhost. Every change
to the policy directory rebuilds it — editors that save by renaming a new
file over the old one included — and open pages reload. A policy that does
not build shows its problems instead of the pages. Each build, what
changed and the time it took, and each error are logged on stderr. It
answers only requests addressed to it (http://127.0.0.1:PORT/,
http://localhost:PORT/), not to other names that resolve to this machine.
Stop with Ctrl-C (or SIGTERM): the temporary directory is removed.`,
		Args: args(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			dir, err := g.policyDir(a)
			if err != nil {
				return err
			}
			s := &site.Server{Dir: dir, Addr: addr, Log: stdio.Err}
			where, err := s.Start(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdio.Out, "previewing %s at http://%s/ (draft: http://%s/draft/); Ctrl-C to stop\n", dir, where, where)
			<-ctx.Done()
			s.Wait() // the temporary directory is removed
			return nil
		},
	}
	serve.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "`host:port` to serve on (localhost only)")
	cmd.AddCommand(serve)
	return cmd
}

type siteJSON struct {
	Format string          `json:"format"`
	Sites  []siteBuiltJSON `json:"sites"`
}

type siteBuiltJSON struct {
	Dir       string `json:"dir"`
	ID        string `json:"id"`
	Output    string `json:"output"`
	Files     int    `json:"files"`
	Written   int    `json:"written"`
	Unchanged int    `json:"unchanged"`
	Removed   int    `json:"removed"`
}
