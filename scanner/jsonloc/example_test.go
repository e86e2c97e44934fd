package jsonloc_test

import (
	"fmt"
	"strings"

	"github.com/mcpscan/mcpscan/scanner/jsonloc"
)

func ExampleLocate() {
	rec := `{"type":"assistant","message":{"content":[{"type":"tool_use","id":"toolu_1",` +
		`"input":{"command":"export TOKEN=abc123"},"name":"Bash"}]},"sessionId":"s-1"}`
	secret := int64(strings.Index(rec, "abc123"))
	ts, err := jsonloc.Locate(strings.NewReader(rec), []int64{secret, 0}, jsonloc.Options{
		Capture: []string{"type", "name", "id", "sessionId"},
	})
	if err != nil {
		panic(err)
	}
	t := ts[0]
	fmt.Println(t.Found, t.Path)
	block := t.Frames[len(t.Frames)-2] // the content block holding "input"
	fmt.Println(block.Index, block.Fields["type"], block.Fields["name"], block.Fields["id"])
	fmt.Println(t.Frames[0].Fields["sessionId"]) // read after the secret
	fmt.Println(ts[1].Found)                     // offset 0 is the '{'
	// Output:
	// true message.content[0].input.command
	// 0 tool_use Bash toolu_1
	// s-1
	// false
}
