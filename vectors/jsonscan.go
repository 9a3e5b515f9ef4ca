package vectors

import "bytes"

// cutTopLevelString finds the member key of the JSON object in data whose
// value is a string without escapes, and returns that string's bytes and a
// copy of data with the value replaced by "". It reads only the top-level
// object's structure: strings are skipped with IndexByte, nested values by
// depth. Anything unexpected returns ok false, and the caller decodes data
// the general way (which then reports the error, if there is one).
//
// A vector's CAR is nearly all of its JSON (conformance.md §1.4): cutting it
// out lets encoding/json decode the small remainder, and the base64 be
// decoded straight from the input instead of being scanned twice, unquoted
// into a string and copied.
func cutTopLevelString(data []byte, key string) (value, rest []byte, ok bool) {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return nil, nil, false
	}
	i++
	for {
		i = skipSpace(data, i)
		if i >= len(data) || data[i] != '"' {
			return nil, nil, false
		}
		ks, ke, plain := stringSpan(data, i)
		if ke < 0 {
			return nil, nil, false
		}
		i = skipSpace(data, ke)
		if i >= len(data) || data[i] != ':' {
			return nil, nil, false
		}
		i = skipSpace(data, i+1)
		vs := i
		if i = skipValue(data, i); i < 0 {
			return nil, nil, false
		}
		if plain && string(data[ks:ke-1]) == key && data[vs] == '"' {
			s, e, plainValue := stringSpan(data, vs)
			if !plainValue || e < 0 {
				return nil, nil, false
			}
			rest = make([]byte, 0, len(data)-(e-vs)+2)
			rest = append(append(append(rest, data[:vs]...), '"', '"'), data[e:]...)
			return data[s : e-1], rest, true
		}
		i = skipSpace(data, i)
		if i >= len(data) {
			return nil, nil, false
		}
		switch data[i] {
		case ',':
			i++
		case '}':
			return nil, nil, false // no such member
		default:
			return nil, nil, false
		}
	}
}

func skipSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// stringSpan takes data[i] == '"' and returns the index of the string's
// first byte, the index just past its closing quote (-1 if unterminated),
// and whether it has no escapes.
func stringSpan(data []byte, i int) (start, end int, plain bool) {
	start, plain = i+1, true
	j := start
	for {
		k := bytes.IndexByte(data[j:], '"')
		if k < 0 {
			return start, -1, false
		}
		q := j + k
		if bytes.IndexByte(data[j:q], '\\') >= 0 {
			plain = false
			// An escaped quote does not end the string: count the
			// backslashes just before it.
			n := 0
			for b := q - 1; b >= start && data[b] == '\\'; b-- {
				n++
			}
			if n%2 == 1 {
				j = q + 1
				continue
			}
		}
		return start, q + 1, plain
	}
}

// skipValue returns the index just past the JSON value at data[i], or -1.
// It checks only what it needs to find the end; encoding/json validates the
// remainder afterwards.
func skipValue(data []byte, i int) int {
	if i >= len(data) {
		return -1
	}
	switch data[i] {
	case '"':
		_, e, _ := stringSpan(data, i)
		return e
	case '{', '[':
		depth := 0
		for i < len(data) {
			switch data[i] {
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			case '"':
				_, e, _ := stringSpan(data, i)
				if e < 0 {
					return -1
				}
				i = e
				continue
			}
			i++
		}
		return -1
	default: // number, true, false, null
		for i < len(data) {
			switch data[i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return i
			}
			i++
		}
		return i
	}
}
