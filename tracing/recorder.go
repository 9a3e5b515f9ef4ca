package tracing

import (
	"encoding/json"
	"fmt"
	"io"
)

// Event is one recorded trace event: exactly one field is set.
type Event struct {
	MessageStart *MessageStart `json:",omitempty"`
	MessageEnd   *MessageEnd   `json:",omitempty"`
	Call         *Call         `json:",omitempty"`
	CallReturn   *CallReturn   `json:",omitempty"`
	CallError    *CallError    `json:",omitempty"`
	InvokeActor  *InvokeActor  `json:",omitempty"`
	GasCharge    *GasCharge    `json:",omitempty"`
	Ipld         *Ipld         `json:",omitempty"`
	Log          *Log          `json:",omitempty"`
}

// Kind names the event's type, as in the FVM's ExecutionEvent.
func (e Event) Kind() string {
	switch {
	case e.MessageStart != nil:
		return "MessageStart"
	case e.MessageEnd != nil:
		return "MessageEnd"
	case e.Call != nil:
		return "Call"
	case e.CallReturn != nil:
		return "CallReturn"
	case e.CallError != nil:
		return "CallError"
	case e.InvokeActor != nil:
		return "InvokeActor"
	case e.GasCharge != nil:
		return "GasCharge"
	case e.Ipld != nil:
		return "Ipld"
	case e.Log != nil:
		return "Log"
	}
	return "Empty"
}

// Recorder keeps every event in order. It is not safe for concurrent use:
// one recorder per machine, as a machine applies one message at a time.
type Recorder struct {
	Events []Event
}

// Hooks returns hooks that append to r.
func (r *Recorder) Hooks() *Hooks {
	return &Hooks{
		OnMessageStart: func(e MessageStart) { r.Events = append(r.Events, Event{MessageStart: &e}) },
		OnMessageEnd:   func(e MessageEnd) { r.Events = append(r.Events, Event{MessageEnd: &e}) },
		OnCall:         func(e Call) { r.Events = append(r.Events, Event{Call: &e}) },
		OnCallReturn:   func(e CallReturn) { r.Events = append(r.Events, Event{CallReturn: &e}) },
		OnCallError:    func(e CallError) { r.Events = append(r.Events, Event{CallError: &e}) },
		OnInvokeActor:  func(e InvokeActor) { r.Events = append(r.Events, Event{InvokeActor: &e}) },
		OnGasCharge:    func(e GasCharge) { r.Events = append(r.Events, Event{GasCharge: &e}) },
		OnIpld:         func(e Ipld) { r.Events = append(r.Events, Event{Ipld: &e}) },
		OnLog:          func(e Log) { r.Events = append(r.Events, Event{Log: &e}) },
	}
}

// Reset forgets the recorded events and keeps the buffer.
func (r *Recorder) Reset() { r.Events = r.Events[:0] }

// WriteJSONLines writes one JSON object per event: {"type": Kind, ...fields}.
func WriteJSONLines(w io.Writer, events []Event) error {
	enc := json.NewEncoder(w)
	for i, e := range events {
		var body any
		switch {
		case e.MessageStart != nil:
			body = e.MessageStart
		case e.MessageEnd != nil:
			body = e.MessageEnd
		case e.Call != nil:
			body = e.Call
		case e.CallReturn != nil:
			body = e.CallReturn
		case e.CallError != nil:
			body = e.CallError
		case e.InvokeActor != nil:
			body = e.InvokeActor
		case e.GasCharge != nil:
			body = e.GasCharge
		case e.Ipld != nil:
			body = e.Ipld
		case e.Log != nil:
			body = e.Log
		default:
			return fmt.Errorf("tracing: event %d is empty", i)
		}
		line := struct {
			Type string `json:"type"`
			Body any    `json:"event"`
		}{e.Kind(), body}
		if err := enc.Encode(line); err != nil {
			return err
		}
	}
	return nil
}
