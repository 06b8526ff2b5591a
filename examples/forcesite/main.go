// Command forcesite is a realistic police force website built on consentgate.
package main

import "fmt"

func main() { fmt.Println("forcesite: not built yet") }
