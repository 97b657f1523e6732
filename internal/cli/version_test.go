package cli

import (
	"runtime/debug"
	"testing"
)

func TestVersionDescribesStampedAndLocalBuilds(t *testing.T) {
	vcs := func(rev, time, modified string) *debug.BuildInfo {
		bi := &debug.BuildInfo{Main: debug.Module{Path: "github.com/policyc/policyc", Version: "(devel)"}}
		bi.Settings = []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev},
			{Key: "vcs.time", Value: time}, {Key: "vcs.modified", Value: modified}}
		return bi
	}
	installed := &debug.BuildInfo{Main: debug.Module{Path: "github.com/policyc/policyc", Version: "v0.4.1"}}
	for _, c := range []struct {
		name    string
		stamped string
		bi      *debug.BuildInfo
		want    string
	}{
		{"release build", "0.4.0", vcs("a1b2c3d4e5f6", "2026-11-29T10:00:00Z", "false"), "0.4.0 (a1b2c3d, 2026-11-29)"},
		{"release tag with v", "v0.4.0", vcs("a1b2c3d4e5f6", "2026-11-29T10:00:00Z", "false"), "0.4.0 (a1b2c3d, 2026-11-29)"},
		{"local build with changes", "", vcs("a1b2c3d4e5f6", "2026-11-29T10:00:00Z", "true"), "(devel, a1b2c3d-dirty)"},
		{"local clean build", "", vcs("a1b2c3d4e5f6", "2026-11-29T10:00:00Z", "false"), "(devel, a1b2c3d)"},
		{"go install of a tag", "", installed, "0.4.1"},
		{"no build info", "", nil, "(devel)"},
	} {
		if got := describeBuild(c.stamped, c.bi); got != c.want {
			t.Errorf("%s: describeBuild = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestVersionFlagPrintsTheBuild(t *testing.T) {
	code, out, _ := run("--version")
	if want := "policyc " + version() + "\n"; code != 0 || out != want {
		t.Errorf("--version: exit %d, %q; want 0, %q", code, out, want)
	}
}
