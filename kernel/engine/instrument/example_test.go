package instrument_test

import (
	"fmt"

	"github.com/gofvm/gofvm/kernel/engine/instrument"
)

// A module exporting `(func (export "f") (result i32) i32.const 42)`,
// instrumented for FVM v3 in the runtime form: the export now goes through a
// stack-limiter thunk, and the module defines and exports `gas_counter`.
func ExampleInstrument() {
	wasm := []byte{
		0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
		0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, // type: () -> i32
		0x03, 0x02, 0x01, 0x00, // function 0: type 0
		0x07, 0x05, 0x01, 0x01, 'f', 0x00, 0x00, // export "f" = func 0
		0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x2a, 0x0b, // body: i32.const 42
	}
	out, err := instrument.Instrument(wasm, instrument.Options{Version: instrument.FVM3})
	if err != nil {
		panic(err)
	}
	m, err := instrument.DecodeModule(out, instrument.FVM3)
	if err != nil {
		panic(err)
	}
	for _, e := range m.Exports {
		fmt.Printf("export %q kind %d index %d\n", e.Name, e.Kind, e.Index)
	}
	body, _ := instrument.DecodeBody(m.Code[0], instrument.DecodeOptions{Version: instrument.FVM3})
	for _, in := range body.Instrs {
		switch in.Op {
		case instrument.OpCall:
			fmt.Println(in.Op, in.X)
		case instrument.OpI32Const, instrument.OpI64Const:
			fmt.Println(in.Op, int64(in.Y))
		default:
			fmt.Println(in.Op)
		}
	}
	// Output:
	// export "f" kind 0 index 1
	// export "gas_counter" kind 3 index 1
	// i64.const 4000
	// call 2
	// i32.const 42
	// end
}
