package testproc

import (
	"go/build"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// Tests that .ci/wine.sh runs under Wine must not use testing's TempDir:
// its cleanup fails there (see TempDir). This finds them on any platform,
// so the mistake shows in the first `go test ./...`, not only under Wine.
func TestWindowsTestsUseTempDir(t *testing.T) {
	_, self, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(self), "..", "..")
	underWine := winePackages(t, root)
	windowsBuild := build.Default
	windowsBuild.GOOS = "windows"
	testingTempDir := regexp.MustCompile(`\b[tbf]\.TempDir\(\)`)
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, "_test.go") || !underWine(filepath.Dir(path)) {
			return nil
		}
		if ok, err := windowsBuild.MatchFile(filepath.Dir(path), d.Name()); err != nil || !ok {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			if testingTempDir.MatchString(line) {
				rel, _ := filepath.Rel(root, path)
				t.Errorf("%s:%d: use testproc.TempDir(t): testing's TempDir cannot clean up under Wine", filepath.ToSlash(rel), i+1)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// winePackages reads the packages .ci/wine.sh tests ("./proc",
// "./report/...") and reports whether a directory is one of them.
func winePackages(t *testing.T, root string) func(dir string) bool {
	script, err := os.ReadFile(filepath.Join(root, ".ci", "wine.sh"))
	if err != nil {
		t.Fatal(err)
	}
	body, _, _ := strings.Cut(string(script)[strings.Index(string(script), "\ntests() {"):], "\n}")
	var dirs, trees []string
	for _, m := range regexp.MustCompile(`\s\./([\w/.-]+)`).FindAllStringSubmatch(body, -1) {
		if tree, ok := strings.CutSuffix(m[1], "/..."); ok {
			trees = append(trees, filepath.Join(root, tree))
		} else {
			dirs = append(dirs, filepath.Join(root, m[1]))
		}
	}
	if len(dirs)+len(trees) == 0 {
		t.Fatal("no packages found in .ci/wine.sh's tests()")
	}
	return func(dir string) bool {
		for _, d := range dirs {
			if dir == d {
				return true
			}
		}
		for _, tr := range trees {
			if dir == tr || strings.HasPrefix(dir, tr+string(filepath.Separator)) {
				return true
			}
		}
		return false
	}
}
