package testproc

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TempDir is testing.TB.TempDir for tests that also run under Wine: Go's
// os.RemoveAll on Windows deletes with FileDispositionInformationEx, which
// Wine 8 does not implement, so t.TempDir's cleanup fails there. This one
// removes the tree file by file, deepest first.
func TempDir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.MkdirTemp("", "soakrun-test-")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := os.RemoveAll(dir); err == nil {
			return
		}
		var paths []string
		filepath.WalkDir(dir, func(p string, _ fs.DirEntry, _ error) error {
			paths = append(paths, p)
			return nil
		})
		slices.Reverse(paths) // children before their directory
		for _, p := range paths {
			if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
				tb.Errorf("remove test file: %v", err)
			}
		}
	})
	return dir
}
