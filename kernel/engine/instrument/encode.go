package instrument

// Encode writes the module back in canonical section order. Custom
// sections keep their place after the section they followed.
func (m *Module) Encode() []byte {
	out := []byte("\x00asm\x01\x00\x00\x00")
	ci := 0
	customs := func(upTo int) {
		for ci < len(m.Customs) && m.Customs[ci].After <= upTo {
			out = appendSection(out, secCustom, m.Customs[ci].Payload)
			ci++
		}
	}
	customs(0)
	var b []byte
	emit := func(id byte, present bool) {
		if present {
			out = appendSection(out, id, b)
		}
		customs(sectionRank(id))
		b = b[:0]
	}
	if len(m.Types) > 0 || m.present[secType] {
		b = appendU32(b, uint32(len(m.Types)))
		for _, t := range m.Types {
			b = append(b, 0x60)
			b = appendU32(b, uint32(len(t.Params)))
			b = append(b, vt(t.Params)...)
			b = appendU32(b, uint32(len(t.Results)))
			b = append(b, vt(t.Results)...)
		}
		emit(secType, true)
	} else {
		emit(secType, false)
	}
	if len(m.Imports) > 0 || m.present[secImport] {
		b = appendU32(b, uint32(len(m.Imports)))
		for _, im := range m.Imports {
			b = appendName(b, im.Module)
			b = appendName(b, im.Name)
			b = append(b, im.Kind)
			switch im.Kind {
			case KindFunc:
				b = appendU32(b, im.TypeIdx)
			case KindGlobal:
				mu := byte(0)
				if im.Global.Mutable {
					mu = 1
				}
				b = append(b, byte(im.Global.Type), mu)
			default:
				b = append(b, im.Desc...)
			}
		}
		emit(secImport, true)
	} else {
		emit(secImport, false)
	}
	if len(m.Funcs) > 0 || m.present[secFunction] {
		b = appendU32(b, uint32(len(m.Funcs)))
		for _, f := range m.Funcs {
			b = appendU32(b, f)
		}
		emit(secFunction, true)
	} else {
		emit(secFunction, false)
	}
	rawVec := func(id byte, items [][]byte) {
		if len(items) > 0 || m.present[id] {
			b = appendU32(b, uint32(len(items)))
			for _, it := range items {
				b = append(b, it...)
			}
			emit(id, true)
		} else {
			emit(id, false)
		}
	}
	rawVec(secTable, m.Tables)
	rawVec(secMemory, m.Mems)
	if len(m.Globals) > 0 || m.present[secGlobal] {
		b = appendU32(b, uint32(len(m.Globals)))
		for _, g := range m.Globals {
			mu := byte(0)
			if g.Mutable {
				mu = 1
			}
			b = append(b, byte(g.Type), mu)
			b = append(b, g.Init...)
		}
		emit(secGlobal, true)
	} else {
		emit(secGlobal, false)
	}
	if len(m.Exports) > 0 || m.present[secExport] {
		b = appendU32(b, uint32(len(m.Exports)))
		for _, e := range m.Exports {
			b = appendName(b, e.Name)
			b = append(b, e.Kind)
			b = appendU32(b, e.Index)
		}
		emit(secExport, true)
	} else {
		emit(secExport, false)
	}
	if m.HasStart {
		b = appendU32(b, m.Start)
	}
	emit(secStart, m.HasStart)
	if len(m.Elems) > 0 || m.present[secElement] {
		b = appendU32(b, uint32(len(m.Elems)))
		for _, e := range m.Elems {
			b = appendU32(b, e.Flags)
			if e.Flags == 2 || e.Flags == 6 {
				b = appendU32(b, e.Table)
			}
			if e.Flags&1 == 0 {
				b = append(b, e.Offset...)
			}
			switch e.Flags {
			case 1, 2, 3:
				b = append(b, 0) // elemkind funcref
			case 5, 6, 7:
				b = append(b, byte(FuncRef))
			}
			b = appendU32(b, uint32(len(e.Funcs)))
			for _, f := range e.Funcs {
				b = appendU32(b, f)
			}
		}
		emit(secElement, true)
	} else {
		emit(secElement, false)
	}
	if m.DataCount != nil {
		b = appendU32(b, *m.DataCount)
	}
	emit(secDataCount, m.DataCount != nil)
	if len(m.Code) > 0 || m.present[secCode] {
		b = appendU32(b, uint32(len(m.Code)))
		for _, c := range m.Code {
			b = appendU32(b, uint32(len(c)))
			b = append(b, c...)
		}
		emit(secCode, true)
	} else {
		emit(secCode, false)
	}
	if len(m.Data) > 0 || m.present[secData] {
		b = appendU32(b, uint32(len(m.Data)))
		for _, d := range m.Data {
			b = appendU32(b, d.Flags)
			if d.Flags == 2 {
				b = appendU32(b, d.Mem)
			}
			if d.Flags != 1 {
				b = append(b, d.Offset...)
			}
			b = appendU32(b, uint32(len(d.Init)))
			b = append(b, d.Init...)
		}
		emit(secData, true)
	} else {
		emit(secData, false)
	}
	customs(1 << 30)
	return out
}

func appendSection(out []byte, id byte, payload []byte) []byte {
	out = append(out, id)
	out = appendU32(out, uint32(len(payload)))
	return append(out, payload...)
}
