package samples

import (
	"fmt"
	"reflect"
	"strings"
	"unsafe"
)

// The fast decoder's field tables are derived from the structs' own json
// tags when the package loads, so a field added to Snapshot is read back
// with no second list to keep: a field of a type the fast path does not
// read still decodes, through encoding/json, and TestFastPathReadsEveryField
// fails until it does.
var snapshotFields, memberFields fieldTable

// init builds the tables; a variable initialiser cannot, as a list field's
// reader refers to its element's table.
func init() {
	snapshotFields = tableOf(reflect.TypeFor[Snapshot]())
	memberFields = tableOf(reflect.TypeFor[Member]())
}

// fieldTable is how the fast path reads one struct type.
type fieldTable struct {
	byName map[string]field
	// slowOnly is set when the struct has a shape the table cannot describe
	// (an embedded struct's promoted fields): every line goes to
	// encoding/json.
	slowOnly bool
	// missing names the fields the fast path cannot read, for the test.
	missing []string
}

// field reads one JSON member into the struct field at offset.
type field struct {
	offset uintptr
	list   bool
	read   func(d *decoder, p unsafe.Pointer) bool // nil: left to encoding/json
}

// tableOf lists t's fields by JSON name, as encoding/json names them.
func tableOf(t reflect.Type) fieldTable {
	tab := fieldTable{byName: map[string]field{}}
	for i := range t.NumField() {
		sf := t.Field(i)
		if sf.Anonymous {
			tab.slowOnly = true
			tab.missing = append(tab.missing, sf.Name+" (embedded)")
			continue
		}
		if !sf.IsExported() {
			continue
		}
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if name == "" {
			name = sf.Name
		}
		f := field{offset: sf.Offset, read: readerOf(sf.Type)}
		f.list = sf.Type.Kind() == reflect.Slice
		if f.read == nil {
			tab.missing = append(tab.missing, fmt.Sprintf("%s (%s)", name, sf.Type))
		}
		tab.byName[name] = f
	}
	return tab
}

// readerOf returns the fast reader for a field of type t, or nil. A null
// sets a pointer to nil and leaves anything else as it was, as
// encoding/json does.
func readerOf(t reflect.Type) func(d *decoder, p unsafe.Pointer) bool {
	switch t {
	case reflect.TypeFor[string]():
		return func(d *decoder, p unsafe.Pointer) bool { return d.string((*string)(p)) }
	case reflect.TypeFor[float64]():
		return value((*decoder).float)
	case reflect.TypeFor[int]():
		return value((*decoder).int)
	case reflect.TypeFor[uint64]():
		return value((*decoder).uint)
	case reflect.TypeFor[*float64]():
		return pointer((*decoder).float)
	case reflect.TypeFor[*int]():
		return pointer((*decoder).int)
	case reflect.TypeFor[*uint64]():
		return pointer((*decoder).uint)
	case reflect.TypeFor[[]Member]():
		return func(d *decoder, p unsafe.Pointer) bool { return d.members((*[]Member)(p)) }
	}
	return nil
}

// value reads a number into a field of type T.
func value[T any](read func(*decoder) (*T, bool)) func(d *decoder, p unsafe.Pointer) bool {
	return func(d *decoder, p unsafe.Pointer) bool {
		if d.null() {
			return true
		}
		v, ok := read(d)
		if ok {
			*(*T)(p) = *v
		}
		return ok
	}
}

// pointer reads a number, or null, into a field of type *T.
func pointer[T any](read func(*decoder) (*T, bool)) func(d *decoder, p unsafe.Pointer) bool {
	return func(d *decoder, p unsafe.Pointer) bool {
		v, ok := read(d)
		*(**T)(p) = v
		return ok
	}
}

// members reads the --top list; null leaves it empty.
func (d *decoder) members(dst *[]Member) bool {
	if d.null() {
		*dst = nil
		return true
	}
	if memberFields.slowOnly {
		return false
	}
	if d.tops == nil {
		d.tops = make([]Member, 0, 8)
	}
	list := d.tops[:0]
	defer func() { d.tops = list; *dst = list }()
	it := d.iterate('[')
	for {
		_, more, ok := it.next(d)
		if !ok || !more {
			return ok
		}
		list = append(list, Member{})
		if !d.fields(&memberFields, unsafe.Pointer(&list[len(list)-1])) {
			return false
		}
	}
}
