// Package promtest starts Debian's prometheus and prometheus-pushgateway on
// loopback for tests, asks Prometheus for values, and plays the gateway
// that never answers. A test whose binary is missing is skipped.
package promtest

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/soakrun/soakrun/internal/testproc"
)

// Prometheus runs prometheus scraping every second what scrapeConfigs
// lists (YAML items under scrape_configs) and returns its web address.
func Prometheus(t *testing.T, scrapeConfigs string) string {
	t.Helper()
	dir := testproc.TempDir(t)
	config := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(config, []byte("global:\n  scrape_interval: 1s\nscrape_configs:\n"+scrapeConfigs), 0o644); err != nil {
		t.Fatal(err)
	}
	web := FreeAddr(t)
	start(t, "prometheus", "--config.file="+config, "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+web, "--log.level=warn")
	return web
}

// Pushgateway runs prometheus-pushgateway, persisting into a temporary
// directory, and returns its address once it answers.
func Pushgateway(t *testing.T) string {
	t.Helper()
	addr := FreeAddr(t)
	start(t, "prometheus-pushgateway", "--web.listen-address="+addr,
		"--persistence.file="+filepath.Join(testproc.TempDir(t), "pushgateway.data"), "--log.level=warn")
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if resp, err := http.Get("http://" + addr + "/-/ready"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return addr
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("pushgateway never became ready")
		}
	}
}

// start runs name until the test ends, and shows its log if the test failed.
func start(t *testing.T, name string, args ...string) {
	t.Helper()
	bin, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("needs %s (Debian's package of that name)", name)
	}
	cmd := exec.Command(bin, args...)
	logs := &strings.Builder{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("%s's log:\n%s", name, logs)
		}
	})
}

// Results asks Prometheus for the instant vector q and returns its values;
// ok is false when Prometheus did not answer.
func Results(web, q string) (values []string, ok bool) {
	resp, err := http.Get("http://" + web + "/api/v1/query?query=" + url.QueryEscape(q))
	if err != nil {
		return nil, false
	}
	defer resp.Body.Close()
	var r struct {
		Data struct {
			Result []struct {
				Value [2]any `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if json.NewDecoder(resp.Body).Decode(&r) != nil {
		return nil, false
	}
	for _, res := range r.Data.Result {
		v, _ := res.Value[1].(string)
		values = append(values, v)
	}
	return values, true
}

// Query returns the one value of q, when there is exactly one.
func Query(web, q string) (string, bool) {
	vs, ok := Results(web, q)
	if !ok || len(vs) != 1 {
		return "", false
	}
	return vs[0], vs[0] != ""
}

// WaitQuery waits up to a minute for Prometheus to return one value for q.
func WaitQuery(t *testing.T, web, q string) string {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(500 * time.Millisecond) {
		if v, ok := Query(web, q); ok {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("Prometheus returned no value for %s", q)
		}
	}
}

// FreeAddr is a loopback address nothing listens on, for now.
func FreeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// Hanging returns the address of a listener that accepts connections,
// reads what comes and never answers: a gateway that hangs.
func Hanging(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			go io.Copy(io.Discard, c)
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().String()
}
