package samples

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/soakrun/soakrun/internal/testproc"
)

var update = flag.Bool("update", false, "rewrite testdata/snapshot.golden.jsonl")

// everyField returns a value of t with every field set, each to a value no
// other field has, so a field read into its neighbour's place shows.
func everyField(t reflect.Type, seed *int) reflect.Value {
	v := reflect.New(t).Elem()
	for i := range t.NumField() {
		*seed++
		f := v.Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString("s" + string(rune('a'+*seed%26)) + "é" + string(rune('a'+*seed/26)))
		case reflect.Float64:
			f.SetFloat(float64(*seed) + 0.25)
		case reflect.Int:
			f.SetInt(int64(*seed))
		case reflect.Uint64:
			f.SetUint(uint64(*seed) << 40)
		case reflect.Pointer:
			p := reflect.New(f.Type().Elem())
			switch p.Elem().Kind() {
			case reflect.Float64:
				p.Elem().SetFloat(float64(*seed) + 0.5)
			case reflect.Int:
				p.Elem().SetInt(int64(*seed))
			case reflect.Uint64:
				p.Elem().SetUint(uint64(*seed) << 33)
			}
			f.Set(p)
		case reflect.Slice:
			s := reflect.MakeSlice(f.Type(), 2, 2)
			for j := range 2 {
				s.Index(j).Set(everyField(f.Type().Elem(), seed))
			}
			f.Set(s)
		}
		if f.IsZero() {
			panic("everyField cannot set " + t.Field(i).Name + " of type " + f.Type().String())
		}
	}
	return v
}

func fullSnapshot() Snapshot {
	seed := 0
	return everyField(reflect.TypeFor[Snapshot](), &seed).Interface().(Snapshot)
}

// sinkFunc adapts a function to Sink.
type sinkFunc func(*Snapshot)

func (f sinkFunc) Add(s *Snapshot) { f(s) }

func TestFastPathReadsEveryField(t *testing.T) {
	for _, tab := range []fieldTable{snapshotFields, memberFields} {
		if tab.slowOnly || len(tab.missing) > 0 {
			t.Errorf("fields the fast decoder cannot read: %v", tab.missing)
		}
	}
	for i := range reflect.TypeFor[Snapshot]().NumField() {
		sf := reflect.TypeFor[Snapshot]().Field(i)
		if _, ok := snapshotFields.byName[jsonName(sf)]; !ok {
			t.Errorf("field %s is not in the decoder's table", sf.Name)
		}
	}
}

// jsonName asks encoding/json itself what a field with sf's tag is called.
func jsonName(sf reflect.StructField) string {
	v := reflect.New(reflect.StructOf([]reflect.StructField{{Name: sf.Name, Type: reflect.TypeFor[int](), Tag: sf.Tag}})).Elem()
	v.Field(0).SetInt(1)
	b, _ := json.Marshal(v.Interface())
	var m map[string]any
	json.Unmarshal(b, &m)
	for k := range m {
		return k
	}
	return ""
}

// TestRoundTripEveryField writes a snapshot with every field set, reads it
// back through the reader's fast path and through encoding/json, and wants
// the same snapshot from both.
func TestRoundTripEveryField(t *testing.T) {
	want := fullSnapshot()
	if want.JobPeakMemoryMB == nil {
		t.Fatal("job_peak_memory_mb not set")
	}
	path := filepath.Join(testproc.TempDir(t), "s.jsonl")
	w, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w.Add(&want)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	line, _ := os.ReadFile(path)

	var d decoder
	var fast Snapshot
	d.reset(bytes.TrimSpace(line))
	if !d.object(&fast) || !d.end() {
		t.Fatalf("the fast path declined the writer's own line %s", line)
	}
	if !reflect.DeepEqual(fast, want) {
		t.Errorf("fast path:\n got %+v\nwant %+v", fast, want)
	}
	var slow Snapshot
	if err := json.Unmarshal(line, &slow); err != nil || !reflect.DeepEqual(slow, want) {
		t.Errorf("encoding/json: %v\n got %+v\nwant %+v", err, slow, want)
	}
	n := 0
	st, err := ReadFile(path, sinkFunc(func(s *Snapshot) {
		n++
		if !reflect.DeepEqual(*s, want) {
			t.Errorf("ReadFile:\n got %+v\nwant %+v", *s, want)
		}
	}))
	if err != nil || n != 1 || st != (ReadStats{Lines: 1, Samples: 1}) {
		t.Errorf("ReadFile: %d samples, %+v, %v", n, st, err)
	}
}

// TestFastPathPlacesEachField catches a table entry that writes to the
// wrong offset: each field alone, set, must come back alone.
func TestFastPathPlacesEachField(t *testing.T) {
	full := reflect.ValueOf(fullSnapshot())
	typ := full.Type()
	for i := range typ.NumField() {
		one := reflect.New(typ).Elem()
		one.Field(i).Set(full.Field(i))
		b, err := json.Marshal(one.Interface())
		if err != nil {
			t.Fatal(err)
		}
		var got Snapshot
		var d decoder
		d.reset(b)
		if !d.object(&got) {
			t.Errorf("%s: fast path declined %s", typ.Field(i).Name, b)
			continue
		}
		var want Snapshot
		json.Unmarshal(b, &want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %+v, want %+v", typ.Field(i).Name, got, want)
		}
	}
}

// TestWriterBytesAreTheFormat holds the writer's bytes for a snapshot with
// every field set to the file written before the stream had one owner: a
// change here changes the format every reader of these files parses. A new
// field changes them on purpose: run with -update and review the diff.
func TestWriterBytesAreTheFormat(t *testing.T) {
	path := filepath.Join(testproc.TempDir(t), "s.jsonl")
	w, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	s := fullSnapshot()
	if err := w.Write(&s); err != nil {
		t.Fatal(err)
	}
	w.Add(&Snapshot{TimestampUTC: "2026-11-29T15:00:00.000000Z", TimestampUnix: 1795964400, Kind: KindStart})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	golden := filepath.Join("testdata", "snapshot.golden.jsonl")
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("writer bytes differ from %s:\n got %s\nwant %s", golden, got, want)
	}
}

// TestDecodeAllocatesNothing: once its arenas fit the longest line, the
// decoder reads a line with every field set and a long --top list without
// allocating.
func TestDecodeAllocatesNothing(t *testing.T) {
	s := fullSnapshot()
	for len(s.Top) < 16 {
		s.Top = append(s.Top, s.Top...)
	}
	line, err := json.Marshal(&s)
	if err != nil {
		t.Fatal(err)
	}
	var d decoder
	var got Snapshot
	if err := d.decode(line, &got); err != nil || !reflect.DeepEqual(got, s) {
		t.Fatalf("decode: %v, equal %v", err, reflect.DeepEqual(got, s))
	}
	if n := testing.AllocsPerRun(100, func() { d.decode(line, &got) }); n != 0 {
		t.Errorf("%v allocations per line", n)
	}
}
