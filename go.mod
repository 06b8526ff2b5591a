module github.com/consentgate/consentgate

go 1.23.0

require (
	github.com/gorilla/securecookie v1.1.2
	github.com/stretchr/testify v1.11.1
	golang.org/x/net v0.42.0
)

require (
	github.com/davecgh/go-spew v1.1.1 // indirect
	github.com/pmezard/go-difflib v1.0.0 // indirect
	golang.org/x/text v0.27.0 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
