package samples

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"
	"unsafe"
)

// Decode decodes one JSONL line into snap. A 72-hour file sampled every
// second is 259,200 lines, which encoding/json decodes at about 30 MB/s, so
// the lines soakrun writes take a fast path that reads the schema's fields
// straight off the bytes. Anything the fast path is not sure of (an escape
// in a string, invalid UTF-8, a shape it does not know) goes to
// encoding/json, which decides: the fast path accepts nothing that
// encoding/json would reject or read differently (FuzzDecodeLine checks).
func Decode(line []byte, snap *Snapshot) error {
	var d decoder
	return d.decode(line, snap)
}

// decode is Decode reusing d's storage (see decoder).
func (d *decoder) decode(line []byte, snap *Snapshot) error {
	*snap = Snapshot{}
	d.reset(line)
	if d.object(snap) && d.end() {
		return nil
	}
	*snap = Snapshot{}
	return json.Unmarshal(line, snap)
}

// decoder reads one JSON value at a time from b. Each method returns false
// as soon as the input is not what it expects. The snapshot's numbers point
// into the decoder's own arrays and its strings into b, so decoding a line
// allocates nothing: the snapshot is valid until the next line is decoded
// with the same decoder, and its strings until b changes.
type decoder struct {
	b []byte
	i int

	floats []float64 // the line's numbers, for its pointer fields
	ints   []int
	uints  []uint64
	nf     int // used of floats
	ni     int
	nu     int
	tops   []Member
	snap   Snapshot // the line's, for readers that keep none
}

// reset readies d for the next line.
func (d *decoder) reset(b []byte) {
	d.b, d.i, d.nf, d.ni, d.nu = b, 0, 0, 0, 0
}

func (d *decoder) ws() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *decoder) eat(c byte) bool {
	d.ws()
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		return true
	}
	return false
}

func (d *decoder) end() bool {
	d.ws()
	return d.i == len(d.b)
}

// object reads the top-level object into snap.
func (d *decoder) object(snap *Snapshot) bool {
	if snapshotFields.slowOnly {
		return false
	}
	return d.fields(&snapshotFields, unsafe.Pointer(snap))
}

// fields reads an object into the struct at base, by t's table.
func (d *decoder) fields(t *fieldTable, base unsafe.Pointer) bool {
	sawList := false
	it := d.iterate('{')
	for {
		key, more, ok := it.next(d)
		if !ok || !more {
			return ok
		}
		f, known := t.byName[string(key)]
		switch {
		case !known && foldsTo(key, t.byName):
			return false // encoding/json matches keys without case
		case !known:
			ok = d.skip()
		case f.read == nil:
			return false // a type the fast path does not read
		case f.list && sawList:
			return false // a second list decodes into the first's elements
		default:
			sawList = sawList || f.list
			ok = f.read(d, unsafe.Add(base, f.offset))
		}
		if !ok {
			return false
		}
	}
}

// foldsTo reports whether key matches one of fields only without case.
func foldsTo[V any](key []byte, fields map[string]V) bool {
	for name := range fields {
		if bytes.EqualFold(key, []byte(name)) {
			return true
		}
	}
	return false
}

// iterator walks the members of an object or the elements of an array.
type iterator struct {
	open, close byte
	started     bool
	bad         bool
}

// iterate starts reading an object ('{') or an array ('[').
func (d *decoder) iterate(open byte) iterator {
	it := iterator{open: open, close: '}'}
	if open == '[' {
		it.close = ']'
	}
	it.bad = !d.eat(open)
	return it
}

// next moves to the next member or element: for an object it reads the
// key and the colon, and the caller then reads the value. more is false at
// the end; ok is false on bad input.
func (it *iterator) next(d *decoder) (key []byte, more, ok bool) {
	if it.bad {
		return nil, false, false
	}
	if !it.started {
		it.started = true
		if d.eat(it.close) {
			return nil, false, true
		}
	} else {
		if d.eat(it.close) {
			return nil, false, true
		}
		if !d.eat(',') {
			return nil, false, false
		}
	}
	d.ws()
	if it.open == '[' {
		return nil, true, true
	}
	key, ok = d.str()
	if !ok || !d.eat(':') {
		return nil, false, false
	}
	d.ws()
	return key, true, true
}

// str reads a string without escapes and of valid UTF-8; others are left
// to encoding/json.
func (d *decoder) str() ([]byte, bool) {
	if d.i >= len(d.b) || d.b[d.i] != '"' {
		return nil, false
	}
	start := d.i + 1
	ascii := true
	for j := start; j < len(d.b); j++ {
		switch c := d.b[j]; {
		case c == '"':
			s := d.b[start:j]
			d.i = j + 1
			return s, ascii || utf8.Valid(s)
		case c == '\\' || c < 0x20:
			return nil, false
		case c >= 0x80:
			ascii = false
		}
	}
	return nil, false
}

// null reads a null, if there is one.
func (d *decoder) null() bool {
	if bytes.HasPrefix(d.b[d.i:], []byte("null")) {
		d.i += 4
		return true
	}
	return false
}

// number reads a JSON number's bytes.
func (d *decoder) number() ([]byte, bool) {
	b, i := d.b, d.i
	start := i
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		return nil, false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return nil, false
		}
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return nil, false
		}
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	}
	d.i = i
	return b[start:i], true
}

// skip reads any value the schema does not use.
func (d *decoder) skip() bool {
	if d.i >= len(d.b) {
		return false
	}
	switch c := d.b[d.i]; {
	case c == '{' || c == '[':
		it := d.iterate(c)
		for {
			_, more, ok := it.next(d)
			if !ok || !more {
				return ok
			}
			if !d.skip() {
				return false
			}
		}
	case c == '"':
		_, ok := d.str()
		return ok
	case c == 't':
		return d.literal("true")
	case c == 'f':
		return d.literal("false")
	case c == 'n':
		return d.null()
	default:
		_, ok := d.number()
		return ok
	}
}

func (d *decoder) literal(s string) bool {
	if bytes.HasPrefix(d.b[d.i:], []byte(s)) {
		d.i += len(s)
		return true
	}
	return false
}

// unsafeString views b as a string without copying it: for the number
// parsers, which do not keep it, and for the snapshot's strings, which live
// as long as the line (see decoder).
func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

func (d *decoder) float() (*float64, bool) {
	return readNumber(d, &d.floats, &d.nf, func(s string) (float64, error) { return strconv.ParseFloat(s, 64) })
}

func (d *decoder) int() (*int, bool) {
	return readNumber(d, &d.ints, &d.ni, func(s string) (int, error) {
		v, err := strconv.ParseInt(s, 10, 0)
		return int(v), err
	})
}

func (d *decoder) uint() (*uint64, bool) {
	return readNumber(d, &d.uints, &d.nu, func(s string) (uint64, error) { return strconv.ParseUint(s, 10, 64) })
}

// readNumber reads a number, or null (nil), parsed by parse and kept in
// arena.
func readNumber[T any](d *decoder, arena *[]T, n *int, parse func(string) (T, error)) (*T, bool) {
	if d.null() {
		return nil, true
	}
	b, ok := d.number()
	if !ok {
		return nil, false
	}
	v, err := parse(unsafeString(b))
	return keep(arena, n, v), err == nil
}

// keep stores v at *n in arena, and returns where. A full arena is
// replaced by one twice its size for the rest of the line and the lines
// after: the numbers already given out stay where they are, and the
// decoder stops allocating once its arenas fit the longest line.
func keep[T any](arena *[]T, n *int, v T) *T {
	if *n == len(*arena) {
		*arena, *n = make([]T, 2*len(*arena)+16), 0
	}
	p := &(*arena)[*n]
	*p, *n = v, *n+1
	return p
}

// string reads a string field; null leaves it as it was, as encoding/json
// does.
func (d *decoder) string(dst *string) bool {
	if d.null() {
		return true
	}
	s, ok := d.str()
	if ok {
		*dst = unsafeString(s)
	}
	return ok
}
