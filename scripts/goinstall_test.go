package scripts

import (
	"archive/zip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// `go install github.com/soakrun/soakrun/cmd/soakrun@v1.2.3` gives a binary
// whose --version says v1.2.3. The module comes from a proxy on disk that
// serves this checkout as v1.2.3, in the layout of the Go module proxy
// protocol; the dependencies from the module cache's own download
// directory, which has that layout too. The install gets a module cache of
// its own, so that this made-up v1.2.3 never enters the real one.
func TestGoInstallCarriesTheVersion(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds soakrun")
	}
	const module, v = "github.com/soakrun/soakrun", "v1.2.3"
	files := checkoutFiles(t)
	proxy := t.TempDir()
	dir := filepath.Join(proxy, module, "@v")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile(filepath.Join(repoRoot, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "list"), []byte(v+"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, v+".info"), []byte(`{"Version":"`+v+`","Time":"2026-11-29T12:00:00Z"}`), 0o644)
	os.WriteFile(filepath.Join(dir, v+".mod"), gomod, 0o644)
	zf, err := os.Create(filepath.Join(dir, v+".zip"))
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(zf)
	for f := range files {
		b, err := os.ReadFile(filepath.Join(repoRoot, f))
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.Create(module + "@" + v + "/" + f)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	zf.Close()

	cache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	downloads := filepath.Join(strings.TrimSpace(string(cache)), "cache", "download")
	bin := t.TempDir()
	install := exec.Command("go", "install", module+"/cmd/soakrun@"+v)
	install.Dir = t.TempDir() // outside this module, as a user runs it
	install.Env = append(os.Environ(), "GOBIN="+bin, "GOMODCACHE="+t.TempDir(),
		"GOPROXY=file://"+filepath.ToSlash(proxy)+",file://"+filepath.ToSlash(downloads),
		"GOSUMDB=off", "GOFLAGS=-modcacherw", "GOTOOLCHAIN=local")
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("go install: %v\n%s", err, out)
	}
	exe := filepath.Join(bin, "soakrun")
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	out, err := exec.Command(exe, "--version").Output()
	if err != nil {
		t.Fatalf("--version: %v", err)
	}
	if want := "soakrun version " + v + " (built with "; !strings.HasPrefix(string(out), want) {
		t.Errorf("--version printed %q, want it to start %q", out, want)
	}
}
