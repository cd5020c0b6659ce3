package samples

import (
	"encoding/json"
	"reflect"
	"testing"
)

var decodeSeeds = []string{
	`{"timestamp_utc":"2026-11-22T18:45:18.629191Z","timestamp_unix":1795373118.629191,"sample":"interval","cpu_percent":28.74,"cpu_count":2,"memory_used_mb":354.945,"network_bytes_sent":144253,"process_memory_mb":38.801,"process_threads":27,"top":[{"pid":28132,"name":"go","rss_mb":19.418,"cpu_percent":0}]}`,
	`{"timestamp_unix":1,"cpu_percent":null,"process_count":null,"top":null}`,
	`{"timestamp_unix":1,"top":[]}`,
	`{"timestamp_unix":1,"top":[{"pid":7,"name":"w","rss_mb":2.5,"cpu_percent":null,"threads":4,"handles":null},{"pid":8,"threads":null,"handles":120}]}`,
	`{"timestamp_unix":1e3,"cpu_percent":-0.5E-2,"extra":{"a":[1,true,false,null,"x"]}}`,
	`{"timestamp_unix":1,"cpu_percent":"x"}`,
	`{"timestamp_unix":1,"process_count":3.5}`,
	`{"timestamp_unix":1,"network_bytes_sent":-1}`,
	`{"TIMESTAMP_UNIX":5}`,
	`{"hostname":"a\u00e9b","timestamp_unix":2}`,
	`{"timestamp_unix":1,"top":[{"pid":1,"name":"a"}],"top":[{"pid":2}]}`,
	`{"timestamp_unix":1} trailing`,
	`{"timestamp_unix":01}`,
	`[1,2]`,
	``,
	"{\"hostname\":\"\xff\"}",
	`{"timestamp_unix":1,"process_cpu_seconds":12.5,"process_pss_mb":40.25,"cgroup_memory_mb":300.5,"cgroup_memory_nocache_mb":200,"cgroup_anon_mb":190,"cgroup_file_mb":110,"cgroup_memory_peak_mb":310,"cgroup_tasks":5,"cgroup_tasks_peak":9,"cgroup_cpu_seconds":3.25,"cgroup_io_read_bytes":4096,"cgroup_io_write_bytes":0,"cgroup_oom_kills":1,"cgroup_memory_pressure_some_avg10":0.5,"cgroup_memory_pressure_full_avg10":null,"cgroup_cpu_pressure_some_avg10":1.25}`,
}

func TestDecodeLineAgreesWithEncodingJSON(t *testing.T) {
	for _, s := range decodeSeeds {
		checkDecode(t, []byte(s))
	}
}

// FuzzDecodeLine holds the fast path to encoding/json's answer on any
// input: the same error or not, and the same snapshot.
func FuzzDecodeLine(f *testing.F) {
	for _, s := range decodeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkDecode(t, b) })
}

func checkDecode(t *testing.T, b []byte) {
	t.Helper()
	var got, want Snapshot
	gotErr := Decode(b, &got)
	wantErr := json.Unmarshal(b, &want)
	if (gotErr == nil) != (wantErr == nil) {
		t.Fatalf("%q: decodeLine error %v, encoding/json %v", b, gotErr, wantErr)
	}
	if wantErr == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("%q:\n got %+v\nwant %+v", b, got, want)
	}
}
