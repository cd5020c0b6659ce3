package main

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// ldflagsVersion, when set at build time (-ldflags "-X main.ldflagsVersion=…"),
// names the build in place of what the Go toolchain recorded: the action
// sets it to the ref it was used at, whose source came without .git.
var ldflagsVersion string

// version names this build in every sample and analysis, and leads
// --version.
var version, versionLong = buildVersion(ldflagsVersion, readBuildInfo())

func readBuildInfo() *debug.BuildInfo {
	info, _ := debug.ReadBuildInfo()
	return info
}

// buildVersion reads what the toolchain recorded. `go install …@v1.2.3`
// records v1.2.3; a build in a git checkout records a pseudo-version that
// names the commit, with +dirty for uncommitted changes, and the revision
// itself; `go run` and test binaries record neither and are "devel".
// The short form goes into data, the long one is what --version prints.
func buildVersion(override string, info *debug.BuildInfo) (short, long string) {
	short = "devel"
	var revision, vcsTime, goVersion string
	modified := false
	if info != nil {
		if v := info.Main.Version; v != "" && v != "(devel)" {
			short = v
		}
		goVersion = info.GoVersion
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.time":
				vcsTime = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if override != "" {
		short = override
	}
	if short == "devel" && revision != "" {
		// A checkout the toolchain gave no pseudo-version still has a
		// commit worth naming in every sample.
		short += "-" + shortRevision(revision)
		if modified {
			short += "+dirty"
		}
	}
	var details []string
	if revision != "" {
		r := "revision " + revision
		if modified {
			r += " (modified)"
		}
		details = append(details, r)
	}
	if vcsTime != "" {
		details = append(details, "committed "+vcsTime)
	}
	if goVersion != "" {
		details = append(details, "built with "+goVersion)
	}
	long = short
	if len(details) > 0 {
		long = fmt.Sprintf("%s (%s)", short, strings.Join(details, ", "))
	}
	return short, long
}

func shortRevision(r string) string {
	if len(r) > 12 {
		return r[:12]
	}
	return r
}
