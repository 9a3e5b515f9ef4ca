package vectors

import "testing"

func TestCutTopLevelString(t *testing.T) {
	for _, c := range []struct {
		in, value, rest string
		ok              bool
	}{
		{`{"car":"QUJD"}`, "QUJD", `{"car":""}`, true},
		{` { "a" : {"car":"x","b":[1,"}"]}, "car" : "QUJD" , "z":null } `, "QUJD", ` { "a" : {"car":"x","b":[1,"}"]}, "car" : "" , "z":null } `, true},
		{`{"a":"q\"car\":\"no","car":"QUJD"}`, "QUJD", `{"a":"q\"car\":\"no","car":""}`, true},
		{`{"a":"\\","car":"QUJD"}`, "QUJD", `{"a":"\\","car":""}`, true},
		{`{"ca\u0072":"QUJD"}`, "", "", false}, // an escaped key: the general path
		{`{"car":"QU\/D"}`, "", "", false},     // an escaped value: the general path
		{`{"car":123}`, "", "", false},         // not a string
		{`{"a":1}`, "", "", false},             // no such member
		{`["car","QUJD"]`, "", "", false},      // not an object
		{`{"a":"unterminated`, "", "", false},  // malformed
		{`{"a":[1,2,"car":"x"`, "", "", false}, // malformed
		{``, "", "", false},
	} {
		v, rest, ok := cutTopLevelString([]byte(c.in), "car")
		if ok != c.ok || string(v) != c.value || (ok && string(rest) != c.rest) {
			t.Errorf("%s: got %q %q %v, want %q %q %v", c.in, v, rest, ok, c.value, c.rest, c.ok)
		}
	}
}
