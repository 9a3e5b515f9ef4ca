package instrument

// NaN canonicalisation. Every current reference engine (fvm 2.12.1, 3.14.1
// and 4.8.2, all on wasmtime 36.0.7) compiles with cranelift's
// `enable_nan_canonicalization` (fvm-abi.md §11, fvm-gas-next.md §6.2). Its
// pass (cranelift/codegen/src/nan_canonicalization.rs at wasmtime v36.0.7)
// replaces a NaN result of ceil, floor, nearest, sqrt, trunc, fdemote,
// fpromote (unary) and fadd, fdiv, fmax, fmin, fmul, fsub (binary) by the
// canonical NaN 0x7FC00000 / 0x7FF8000000000000; the sign-bit ops (fneg,
// fabs, fcopysign) keep their payload. Older wasmtime releases (2.0.2, which
// fvm-abi.md describes) left demote and promote alone. Here the same is done
// in wasm, after the op and unmetered:
//
//	local.tee $t; fN.const canon; local.get $t; local.get $t; fN.eq; select
//
// which keeps x when x == x and yields the canonical NaN otherwise.

const (
	canonNaN32 = 0x7FC00000
	canonNaN64 = 0x7FF8000000000000
)

// canonicalizeNaN rewrites one body; params is the function's parameter count.
func canonicalizeNaN(b *Body, params int) {
	var need32, need64 bool
	n := 0
	for _, in := range b.Instrs {
		switch in.Op.info().nan {
		case 4:
			need32 = true
			n++
		case 8:
			need64 = true
			n++
		}
	}
	if n == 0 {
		return
	}
	next := uint32(uint64(params) + b.NumLocals())
	var t32, t64 uint32
	if need32 {
		t32 = next
		next++
		b.Locals = append(b.Locals, LocalGroup{1, F32})
	}
	if need64 {
		t64 = next
		b.Locals = append(b.Locals, LocalGroup{1, F64})
	}
	out := make([]Instr, 0, len(b.Instrs)+6*n)
	for _, in := range b.Instrs {
		out = append(out, in)
		switch in.Op.info().nan {
		case 4:
			out = append(out, iIdx(OpLocalTee, t32), iF32Const(canonNaN32), iIdx(OpLocalGet, t32),
				iIdx(OpLocalGet, t32), iOp(OpF32Eq), iOp(OpSelect))
		case 8:
			out = append(out, iIdx(OpLocalTee, t64), iF64Const(canonNaN64), iIdx(OpLocalGet, t64),
				iIdx(OpLocalGet, t64), iOp(OpF64Eq), iOp(OpSelect))
		}
	}
	b.Instrs = out
}
