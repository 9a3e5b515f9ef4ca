package engine

import (
	"errors"
	"fmt"
)

// wasmInfo is what the engine reads from a module's bytes itself, because
// wazero's CompiledModule does not expose it: imports of kinds other than
// functions (the host modules export only functions, so any such import is a
// link error) and the table export the nv18 wasm_table_init charge reads
// (fvm-gas.md §2.2: only an export named exactly `table`).
type wasmInfo struct {
	nonFuncImport  string // "module.name" of the first non-function import, "" if none
	tableExport    bool
	tableExportMin uint32
	tableElems     uint32 // sum of the minimums of the tables the module defines
	hasStart       bool
}

var errMalformed = errors.New("malformed wasm")

// Section and external-kind ids from the WebAssembly core specification §5.5.
const (
	secImport = 2
	secTable  = 4
	secExport = 7
	secStart  = 8

	kindFunc   = 0
	kindTable  = 1
	kindMemory = 2
	kindGlobal = 3
	kindTag    = 4
)

type reader struct {
	b   []byte
	off int
}

func (r *reader) byte() (byte, error) {
	if r.off >= len(r.b) {
		return 0, errMalformed
	}
	c := r.b[r.off]
	r.off++
	return c, nil
}

func (r *reader) u32() (uint32, error) {
	var v uint32
	for shift := uint(0); shift < 35; shift += 7 {
		c, err := r.byte()
		if err != nil {
			return 0, err
		}
		if shift == 28 && c > 0x0f {
			return 0, errMalformed
		}
		v |= uint32(c&0x7f) << shift
		if c&0x80 == 0 {
			return v, nil
		}
	}
	return 0, errMalformed
}

func (r *reader) bytes(n uint32) ([]byte, error) {
	if uint64(n) > uint64(len(r.b)-r.off) {
		return nil, errMalformed
	}
	s := r.b[r.off : r.off+int(n)]
	r.off += int(n)
	return s, nil
}

func (r *reader) name() (string, error) {
	n, err := r.u32()
	if err != nil {
		return "", err
	}
	s, err := r.bytes(n)
	return string(s), err
}

// limits reads a limits type and returns its minimum.
func (r *reader) limits() (uint32, error) {
	flag, err := r.byte()
	if err != nil {
		return 0, err
	}
	min, err := r.u32()
	if err != nil {
		return 0, err
	}
	switch flag {
	case 0x00:
	case 0x01, 0x03: // with maximum (0x03: shared memory)
		if _, err := r.u32(); err != nil {
			return 0, err
		}
	default:
		return 0, errMalformed
	}
	return min, nil
}

// tableType reads reftype + limits and returns the minimum.
func (r *reader) tableType() (uint32, error) {
	if _, err := r.byte(); err != nil { // element reference type
		return 0, err
	}
	return r.limits()
}

// readWasmInfo scans the import, table and export sections. It does not
// validate the module (wazero does); it only must never panic on bad bytes.
func readWasmInfo(wasm []byte) (wasmInfo, error) {
	var info wasmInfo
	if len(wasm) < 8 || string(wasm[:4]) != "\x00asm" {
		return info, fmt.Errorf("%w: no wasm header", errMalformed)
	}
	var tableMins []uint32 // imported tables first, then defined ones
	type export struct {
		kind byte
		idx  uint32
	}
	var tableExp *export
	r := &reader{b: wasm, off: 8}
	for r.off < len(r.b) {
		id, err := r.byte()
		if err != nil {
			return info, err
		}
		size, err := r.u32()
		if err != nil {
			return info, err
		}
		body, err := r.bytes(size)
		if err != nil {
			return info, err
		}
		s := &reader{b: body}
		switch id {
		case secStart:
			info.hasStart = true
		case secImport:
			n, err := s.u32()
			if err != nil {
				return info, err
			}
			for i := uint32(0); i < n; i++ {
				mod, err := s.name()
				if err != nil {
					return info, err
				}
				name, err := s.name()
				if err != nil {
					return info, err
				}
				kind, err := s.byte()
				if err != nil {
					return info, err
				}
				if kind != kindFunc && info.nonFuncImport == "" {
					info.nonFuncImport = mod + "." + name
				}
				switch kind {
				case kindFunc:
					_, err = s.u32()
				case kindTable:
					var min uint32
					min, err = s.tableType()
					tableMins = append(tableMins, min)
				case kindMemory:
					_, err = s.limits()
				case kindGlobal:
					_, err = s.bytes(2) // valtype, mutability
				case kindTag:
					_, err = s.bytes(1)
					if err == nil {
						_, err = s.u32()
					}
				default:
					err = errMalformed
				}
				if err != nil {
					return info, err
				}
			}
		case secTable:
			n, err := s.u32()
			if err != nil {
				return info, err
			}
			for i := uint32(0); i < n; i++ {
				min, err := s.tableType()
				if err != nil {
					return info, err
				}
				tableMins = append(tableMins, min)
				if info.tableElems+min < info.tableElems {
					return info, fmt.Errorf("%w: table sizes overflow", errMalformed)
				}
				info.tableElems += min
			}
		case secExport:
			n, err := s.u32()
			if err != nil {
				return info, err
			}
			for i := uint32(0); i < n; i++ {
				name, err := s.name()
				if err != nil {
					return info, err
				}
				kind, err := s.byte()
				if err != nil {
					return info, err
				}
				idx, err := s.u32()
				if err != nil {
					return info, err
				}
				if name == "table" && kind == kindTable {
					tableExp = &export{kind, idx}
				}
			}
		}
	}
	if tableExp != nil {
		if uint64(tableExp.idx) >= uint64(len(tableMins)) {
			return info, fmt.Errorf("%w: table export index %d out of range", errMalformed, tableExp.idx)
		}
		info.tableExport = true
		info.tableExportMin = tableMins[tableExp.idx]
	}
	return info, nil
}
