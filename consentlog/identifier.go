package consentlog

import (
	"fmt"
	"strings"
)

// maxTableLen leaves room for the longest suffix added to the table name
// ("_schema_version") inside PostgreSQL's 63-byte identifier limit.
const maxTableLen = 40

// versionSuffix names the schema-version table after the log table.
const versionSuffix = "_schema_version"

// validateTable checks that name can be spliced into SQL: the table name is
// the only caller-supplied text that is not a bound parameter, so it is held
// to a strict, portable form: lower-case ASCII letters, digits and '_',
// starting with a letter or '_'. Lower case only, because PostgreSQL folds
// unquoted names and a DBA typing the name by hand should find the table.
func validateTable(name string) error {
	if name == "" {
		return fmt.Errorf("consentlog: table name is empty")
	}
	if len(name) > maxTableLen {
		return fmt.Errorf("consentlog: table name %q is longer than %d bytes", name, maxTableLen)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		ok := c >= 'a' && c <= 'z' || c == '_' || i > 0 && c >= '0' && c <= '9'
		if !ok {
			return fmt.Errorf("consentlog: table name %q: want lower-case letters, digits and '_', not starting with a digit", name)
		}
	}
	// Both databases reserve these prefixes for their own catalogues.
	if strings.HasPrefix(name, "sqlite_") || strings.HasPrefix(name, "pg_") {
		return fmt.Errorf("consentlog: table name %q uses a prefix the database reserves", name)
	}
	return nil
}

// quote returns a validated identifier in double quotes, which both SQLite
// and PostgreSQL accept, so reserved words such as "order" are usable too.
func quote(ident string) string { return `"` + ident + `"` }
