// Package buildinfo names the soakrun build that wrote a sample or an
// analysis: the module version the toolchain recorded, the commit of a
// checkout, or a name given at link time. It finds soakrun's module in the
// binary of a program that uses package soak as a library, too.
package buildinfo

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// linkVersion, when set at link time
// (-ldflags "-X github.com/soakrun/soakrun/internal/buildinfo.linkVersion=…"),
// names the build in place of what the toolchain recorded: the action sets
// it to the ref it was used at, whose source came without .git.
var linkVersion string

// modulePath is soakrun's module.
const modulePath = "github.com/soakrun/soakrun"

// Version names this build in every sample and analysis; Long is what
// --version prints.
var Version, Long = describe(linkVersion, read())

func read() *debug.BuildInfo {
	info, _ := debug.ReadBuildInfo()
	return info
}

// describe reads what the toolchain recorded. `go install …@v1.2.3`
// records v1.2.3; a build in a git checkout records a pseudo-version that
// names the commit, with +dirty for uncommitted changes, and the revision
// itself; `go run` and test binaries record neither and are "devel". In a
// program that uses soakrun as a library, soakrun's version is that of the
// dependency, and the commit is not soakrun's to name.
func describe(override string, info *debug.BuildInfo) (short, long string) {
	short = "devel"
	var revision, vcsTime, goVersion string
	modified := false
	if info != nil {
		mod, isMain := soakrunModule(info)
		if v := mod.Version; v != "" && v != "(devel)" {
			short = v
		}
		goVersion = info.GoVersion
		for _, s := range info.Settings {
			if !isMain {
				break // the commit is the program's, not soakrun's
			}
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

// soakrunModule is soakrun's module in the build: the main module, or,
// in a program that uses soakrun as a library, the dependency (as
// replaced, where it is).
func soakrunModule(info *debug.BuildInfo) (m debug.Module, isMain bool) {
	if info.Main.Path == modulePath || info.Main.Path == "" {
		return info.Main, true
	}
	for _, d := range info.Deps {
		if d.Path == modulePath {
			if d.Replace != nil {
				return *d.Replace, false
			}
			return *d, false
		}
	}
	return debug.Module{}, false
}
