package cli

import (
	"runtime/debug"
	"strings"
)

// Version is the release number GoReleaser stamps at build time with
// -ldflags "-X github.com/policyc/policyc/internal/cli.Version=0.4.0"; a
// plain go build leaves it empty.
var Version = ""

// version describes this build as --version prints it after "policyc " and
// as a release records it: "0.4.0 (a1b2c3d, 2026-11-29)" for a release
// build, "(devel, a1b2c3d-dirty)" for a local one.
func version() string {
	bi, _ := debug.ReadBuildInfo()
	return describeBuild(Version, bi)
}

// describeBuild reads the stamped version, else the module version (go
// install …@v0.4.0), and the VCS revision, time and dirty flag the go
// command records when it builds from a repository.
func describeBuild(stamped string, bi *debug.BuildInfo) string {
	v := strings.TrimPrefix(stamped, "v")
	var rev, date string
	dirty := false
	if bi != nil {
		if v == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = strings.TrimPrefix(bi.Main.Version, "v")
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				date = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	if len(rev) > 7 {
		rev = rev[:7]
	}
	if len(date) > 10 {
		date = date[:10] // RFC 3339: the day is enough to place a build
	}
	if dirty && rev != "" {
		rev += "-dirty"
	}
	var detail []string
	if v == "" {
		detail = append(detail, "devel")
	}
	if rev != "" {
		detail = append(detail, rev)
		if v != "" && date != "" {
			detail = append(detail, date)
		}
	}
	switch {
	case v == "":
		return "(" + strings.Join(detail, ", ") + ")"
	case len(detail) == 0:
		return v
	}
	return v + " (" + strings.Join(detail, ", ") + ")"
}
