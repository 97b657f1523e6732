package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/policyc/policyc/internal/checkers"
)

// TestSARIFValidatesAgainstTheSchema lints the SDK example against profiles
// it does not meet (so there are results) and its own, whose acknowledged
// findings become suppressions, and validates the SARIF with the SARIF
// 2.1.0 JSON Schema (from npm @microsoft/jest-sarif, tools/check).
func TestSARIFValidatesAgainstTheSchema(t *testing.T) {
	schemaPath := filepath.Join(checkers.Dir(t), "node_modules", "@microsoft", "jest-sarif", "lib", "schemas", "sarif-2.1.0-rtm.5.json")
	b, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatalf("SARIF schema not installed (run npm ci --prefix tools/check): %v", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("sarif.json", doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("sarif.json")
	if err != nil {
		t.Fatal(err)
	}
	code, out, stderr := run("lint", filepath.Join("..", "..", "examples", "sdk-provider"), "--profile", "eu-gdpr", "--profile", "us-ccpa", "--profile", "cn-pipl", "--format", "sarif")
	if code != ExitFound {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(inst); err != nil {
		t.Errorf("SARIF does not validate: %v", err)
	}
	if !strings.Contains(out, `"ruleId": "ccpa-agents"`) || !strings.Contains(out, `"startLine"`) {
		t.Errorf("SARIF lacks the expected result:\n%.500s", out)
	}
	if !strings.Contains(out, `"suppressions"`) || !strings.Contains(out, `"justification": "The consulting partners change with each project`) {
		t.Errorf("SARIF lacks the acknowledged finding's suppression and justification")
	}
	if !strings.Contains(out, `"fullyQualifiedName": "recipients[data-consulting].contact"`) {
		t.Errorf("SARIF lacks the finding's model path")
	}
}
