package buildinfo

import (
	"runtime/debug"
	"testing"
)

func TestDescribe(t *testing.T) {
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev},
			{Key: "vcs.time", Value: "2026-11-29T15:02:43Z"}, {Key: "vcs.modified", Value: modified}}
	}
	const rev = "7b5b9589414c5405160debc513b03bad2b5ee966"
	for _, tc := range []struct {
		name, override string
		info           *debug.BuildInfo
		short, long    string
	}{
		{"go install @version", "", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: modulePath, Version: "v1.2.3"}},
			"v1.2.3", "v1.2.3 (built with go1.26.8)"},
		{"checkout with a pseudo-version", "", &debug.BuildInfo{GoVersion: "go1.26.8",
			Main: debug.Module{Path: modulePath, Version: "v0.0.0-20261129150243-7b5b9589414c+dirty"}, Settings: vcs(rev, "true")},
			"v0.0.0-20261129150243-7b5b9589414c+dirty",
			"v0.0.0-20261129150243-7b5b9589414c+dirty (revision " + rev + " (modified), committed 2026-11-29T15:02:43Z, built with go1.26.8)"},
		{"checkout without a pseudo-version", "", &debug.BuildInfo{GoVersion: "go1.26.8",
			Main: debug.Module{Path: modulePath, Version: "(devel)"}, Settings: vcs(rev, "false")},
			"devel-7b5b9589414c", "devel-7b5b9589414c (revision " + rev + ", committed 2026-11-29T15:02:43Z, built with go1.26.8)"},
		{"go run", "", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: modulePath, Version: "(devel)"}},
			"devel", "devel (built with go1.26.8)"},
		{"no build info", "", nil, "devel", "devel"},
		{"a program using soakrun as a library", "", &debug.BuildInfo{GoVersion: "go1.26.8",
			Main: debug.Module{Path: "example.com/team", Version: "(devel)"}, Settings: vcs(rev, "true"),
			Deps: []*debug.Module{{Path: "golang.org/x/sys", Version: "v0.38.0"}, {Path: modulePath, Version: "v1.4.0"}}},
			"v1.4.0", "v1.4.0 (built with go1.26.8)"},
		{"soakrun replaced by a local copy", "", &debug.BuildInfo{GoVersion: "go1.26.8",
			Main: debug.Module{Path: "example.com/team", Version: "(devel)"},
			Deps: []*debug.Module{{Path: modulePath, Version: "v1.4.0", Replace: &debug.Module{Path: "../soakrun"}}}},
			"devel", "devel (built with go1.26.8)"},
		{"set at link time", "v2.0.0", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: modulePath, Version: "(devel)"}},
			"v2.0.0", "v2.0.0 (built with go1.26.8)"},
	} {
		short, long := describe(tc.override, tc.info)
		if short != tc.short || long != tc.long {
			t.Errorf("%s: got %q, %q\nwant %q, %q", tc.name, short, long, tc.short, tc.long)
		}
	}
}
